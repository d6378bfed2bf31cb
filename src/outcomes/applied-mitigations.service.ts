import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../common/auth';
import { Clock } from '../common/clock';
import { FieldErrors, UnprocessableError, ValidationFailedError } from '../common/errors';
import { isMitigationId } from '../risk/mitigations';
import { AppliedMitigation } from './applied-mitigation.entity';
import { loadForTeamWrite } from './outcomes.service';
import { DatabaseService } from '../database/database.service';

/**
 * The appearance page's checklist: which of the recommended mitigations the team applied. Ticks are
 * replaced as a set (the form sends every box), audited, and refused once the appearance is closed
 * (cancelled); the debrief form starts its "mitigations used" from them.
 */
@Injectable()
export class AppliedMitigationsService {
  constructor(
    private readonly db: DatabaseService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(appearanceId: string): Promise<string[]> {
    const rows = await this.db.read((m) => m.getRepository(AppliedMitigation).find({ where: { appearanceId }, order: { mitigationId: 'ASC' } }));
    return rows.map((r) => r.mitigationId);
  }

  /** Replaces the ticked set; `offered` is the checklist shown (only those may be ticked). */
  async set(appearanceId: string, ids: string[], offered: string[], actor: AuthUser): Promise<string[]> {
    const fields: FieldErrors = {};
    ids.forEach((id, i) => {
      if (!isMitigationId(id)) fields[`mitigations[${i}]`] = `"${id}" is not in the mitigation catalogue`;
      else if (!offered.includes(id)) fields[`mitigations[${i}]`] = `"${id}" is not on this appearance's checklist`;
    });
    if (Object.keys(fields).length) throw new ValidationFailedError('Unknown mitigation', fields, 'UNKNOWN_MITIGATION');
    const wanted = [...new Set(ids)].sort();
    return this.db.write(async (m) => {
      const a = await loadForTeamWrite(m, appearanceId, actor);
      if (a.status === 'cancelled') throw new UnprocessableError('APPEARANCE_CLOSED', 'This appearance was cancelled; its checklist can no longer change', { status: 'cancelled' });
      const repo = m.getRepository(AppliedMitigation);
      const before = (await repo.find({ where: { appearanceId } })).map((r) => r.mitigationId).sort();
      const removed = before.filter((id) => !wanted.includes(id));
      const added = wanted.filter((id) => !before.includes(id));
      if (!removed.length && !added.length) return before;
      if (removed.length) await repo.delete({ appearanceId, mitigationId: In(removed) });
      const now = this.clock.now();
      if (added.length) await repo.insert(added.map((mitigationId) => ({ appearanceId, mitigationId, appliedById: actor.id, appliedAt: now })));
      await this.audit.record(m, { actorId: actor.id, action: 'mitigations_applied', entityType: 'appearance', entityId: appearanceId, before: { applied: before }, after: { applied: wanted } });
      return wanted;
    });
  }
}
