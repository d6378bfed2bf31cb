import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { EntityManager } from 'typeorm';
import { Appearance } from '../appearances/appearance.entity';
import { AppearanceRecruiter } from '../appearances/appearance-recruiter.entity';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../common/auth';
import { Clock } from '../common/clock';
import { ConflictError, FieldErrors, ForbiddenError, NotFoundError, UnprocessableError, ValidationFailedError } from '../common/errors';
import { assertNoPersonalData } from '../common/privacy/privacy-guard';
import { DAY_MS, iso } from '../common/time';
import { outcomesConfig } from '../config';
import { isMitigationId, MITIGATION_IDS } from '../risk/mitigations';
import { DebriefDueView, DueQuery, OutcomeView, PutOutcomeDto } from './dto/outcome.dto';
import { AppliedMitigation } from './applied-mitigation.entity';
import { Outcome } from './outcome.entity';
import { DatabaseService } from '../database/database.service';

/**
 * Debriefs. Who: an assigned recruiter, a coordinator of the appearance's office, or an admin
 * (hr reads, never edits). When: once the appearance has ended, and edits only within the
 * configured window after the first submission. Every write is audited with before/after.
 */
@Injectable()
export class OutcomesService {
  constructor(
    private readonly db: DatabaseService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(outcomesConfig.KEY) private readonly config: ConfigType<typeof outcomesConfig>,
  ) {}

  async put(appearanceId: string, dto: PutOutcomeDto, actor: AuthUser): Promise<{ view: OutcomeView; created: boolean }> {
    // omitted: decided in the transaction (the ticked checklist on a first debrief, the stored list on an edit)
    const mitigationsUsed = dto.mitigationsUsed ?? [];
    const unknown: FieldErrors = {};
    mitigationsUsed.forEach((id, i) => {
      if (!isMitigationId(id)) unknown[`mitigationsUsed[${i}]`] = `"${id}" is not in the mitigation catalogue (known: ${MITIGATION_IDS.join(', ')})`;
    });
    if (Object.keys(unknown).length) throw new ValidationFailedError('Unknown mitigation id', unknown, 'UNKNOWN_MITIGATION');
    const notes = (dto.notes ?? '').trim();
    assertNoPersonalData({ notes });

    // Two first debriefs at once (PostgreSQL): both read no row, both insert, the second hits the
    // primary key. Its transaction is rolled back whole; written again, it finds the row and is an
    // edit of it (200), like a PUT that came a moment later.
    try {
      return await this.write(appearanceId, dto, mitigationsUsed, notes, actor);
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
    }
    try {
      return await this.write(appearanceId, dto, mitigationsUsed, notes, actor);
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      throw new ConflictError('DEBRIEF_FILED_CONCURRENTLY', 'Another debrief of this appearance was filed at the same moment; read it and send yours again as an edit', undefined, {
        appearanceId: 'a debrief was filed concurrently',
      });
    }
  }

  private write(appearanceId: string, dto: PutOutcomeDto, given: string[], notes: string, actor: AuthUser): Promise<{ view: OutcomeView; created: boolean }> {
    return this.db.write(async (m) => {
      const appearance = await this.loadForWrite(m, appearanceId, actor);
      const now = this.clock.now();
      if (now < appearance.endsAt) {
        throw new UnprocessableError('APPEARANCE_NOT_ENDED', `A debrief can be filed once the appearance has ended (${iso(appearance.endsAt)})`, {
          appearanceId: `ends at ${iso(appearance.endsAt)}`,
        });
      }
      const repo = m.getRepository(Outcome);
      const before = await repo.findOneBy({ appearanceId });
      // a debrief that does not say which mitigations were used keeps what is known: the stored list
      // on an edit, else what the team ticked on the appearance page's checklist
      const mitigationsUsed =
        dto.mitigationsUsed !== undefined
          ? given
          : before
            ? before.mitigationsUsed
            : (await m.getRepository(AppliedMitigation).find({ where: { appearanceId }, select: { mitigationId: true } })).map((r) => r.mitigationId);
      if (before && now > before.submittedAt + this.config.editWindowMs) {
        throw new UnprocessableError(
          'DEBRIEF_LOCKED',
          `This debrief was first submitted ${iso(before.submittedAt)} and could be edited until ${iso(before.submittedAt + this.config.editWindowMs)}`,
          undefined,
          { editableUntil: iso(before.submittedAt + this.config.editWindowMs) },
        );
      }
      const after: Outcome = {
        appearanceId,
        result: dto.result,
        attendance: dto.attendance ?? null,
        conversations: dto.conversations ?? null,
        leads: dto.leads ?? null,
        applicationsStarted: dto.applicationsStarted ?? null,
        mitigationsUsed: [...mitigationsUsed].sort(),
        notes,
        submittedById: before?.submittedById ?? actor.id,
        submittedAt: before?.submittedAt ?? now,
        updatedAt: now,
      };
      if (before) {
        const { appearanceId: _key, ...changes } = after;
        await repo.update({ appearanceId }, { ...changes, mitigationsUsed: [...after.mitigationsUsed] });
      } else {
        await repo.insert({ ...after, mitigationsUsed: [...after.mitigationsUsed] }); // insert rewrites its argument on PostgreSQL
      }
      await this.audit.record(m, {
        actorId: actor.id,
        action: before ? 'outcome.updated' : 'outcome.submitted',
        entityType: 'outcome',
        entityId: appearanceId,
        before: before ? snapshot(before) : null,
        after: snapshot(after),
      });
      return { view: this.toView(after), created: !before };
    });
  }

  async get(appearanceId: string, actor: AuthUser): Promise<OutcomeView> {
    const appearance = await this.db.read((m) => m.getRepository(Appearance).findOne({ where: { id: appearanceId }, select: { id: true, officeId: true } }));
    if (!appearance) throw new NotFoundError('Appearance', appearanceId, 'id');
    if (actor.role === 'recruiter' || actor.role === 'coordinator') {
      const assigned = await this.db.read((m) => m.getRepository(AppearanceRecruiter).exist({ where: { appearanceId, userId: actor.id } }));
      if (!assigned && actor.officeId !== appearance.officeId) throw new ForbiddenError('Only the office of this appearance may read its debrief');
    }
    const outcome = await this.db.read((m) => m.getRepository(Outcome).findOneBy({ appearanceId }));
    if (!outcome) throw new NotFoundError('Outcome of appearance', appearanceId, 'id');
    return this.toView(outcome);
  }

  /** Whether a debrief of the appearance has been filed. */
  async hasOutcome(appearanceId: string): Promise<boolean> {
    return this.db.read((m) => m.getRepository(Outcome).exist({ where: { appearanceId } }));
  }

  /**
   * "Debrief due": the appearance is completed, or has ended without being cancelled, and has no
   * outcome. Recruiters see their own; coordinators their office; admin and hr any (filterable).
   */
  async due(q: DueQuery, actor: AuthUser): Promise<DebriefDueView[]> {
    return this.db.read(async (m) => {
      let officeId = q.officeId;
      let userId = q.userId;
      if (actor.role === 'recruiter') {
        if (userId && userId !== actor.id) throw new ForbiddenError('Recruiters see only their own debriefs due');
        userId = actor.id;
      } else if (actor.role === 'coordinator') {
        if (officeId && officeId !== actor.officeId) throw new ForbiddenError('Coordinators see only their own office');
        officeId = actor.officeId ?? '00000000-0000-0000-0000-000000000000';
      }
      const now = this.clock.now();
      const qb = m
        .createQueryBuilder()
        .select(['a.id AS id', 'a.title AS title', 'a.office_id AS office_id', 'a.institution_id AS institution_id', 'i.name AS institution_name'])
        .addSelect(['a.status AS status', 'a.starts_at AS starts_at', 'a.ends_at AS ends_at'])
        .from(Appearance, 'a')
        .innerJoin('institutions', 'i', 'i.id = a.institution_id')
        .leftJoin(Outcome, 'o', 'o.appearance_id = a.id')
        .where('o.appearance_id IS NULL')
        .andWhere("(a.status = 'completed' OR (a.status <> 'cancelled' AND a.ends_at <= :now))", { now })
        .orderBy('a.ends_at', 'ASC')
        .addOrderBy('a.id', 'ASC')
        .limit(1000);
      if (officeId) qb.andWhere('a.office_id = :officeId', { officeId });
      if (userId) qb.andWhere('EXISTS (SELECT 1 FROM appearance_recruiters ar WHERE ar.appearance_id = a.id AND ar.user_id = :userId)', { userId });
      const rows = await qb.getRawMany<Record<string, string | number>>();
      return rows.map((r) => ({
        appearanceId: String(r.id),
        title: String(r.title),
        officeId: String(r.office_id),
        institutionId: String(r.institution_id),
        institutionName: String(r.institution_name),
        status: String(r.status),
        startsAt: iso(Number(r.starts_at)),
        endsAt: iso(Number(r.ends_at)),
        daysSinceEnd: Math.max(0, Math.floor((now - Number(r.ends_at)) / DAY_MS)),
      }));
    });
  }

  private loadForWrite(m: EntityManager, appearanceId: string, actor: AuthUser): Promise<Appearance> {
    return loadForTeamWrite(m, appearanceId, actor);
  }

  private toView(o: Outcome): OutcomeView {
    const editableUntil = o.submittedAt + this.config.editWindowMs;
    return {
      appearanceId: o.appearanceId,
      result: o.result,
      attendance: o.attendance,
      conversations: o.conversations,
      leads: o.leads,
      applicationsStarted: o.applicationsStarted,
      mitigationsUsed: o.mitigationsUsed,
      notes: o.notes,
      submittedById: o.submittedById,
      submittedAt: iso(o.submittedAt),
      updatedAt: iso(o.updatedAt),
      editableUntil: iso(editableUntil),
      editable: this.clock.now() <= editableUntil,
    };
  }
}

/**
 * The appearance, when the actor may write its debrief or tick its mitigations: an admin, a
 * coordinator of its office, or a recruiter (or coordinator) assigned to it.
 */
export async function loadForTeamWrite(m: EntityManager, appearanceId: string, actor: AuthUser): Promise<Appearance> {
  const appearance = await m.getRepository(Appearance).findOneBy({ id: appearanceId });
  if (!appearance) throw new NotFoundError('Appearance', appearanceId, 'id');
  if (actor.role === 'admin') return appearance;
  if (actor.role === 'coordinator' && actor.officeId === appearance.officeId) return appearance;
  if (actor.role === 'recruiter' || actor.role === 'coordinator') {
    const assigned = await m.getRepository(AppearanceRecruiter).exist({ where: { appearanceId, userId: actor.id } });
    if (assigned) return appearance;
  }
  throw new ForbiddenError('Only a recruiter assigned to this appearance, a coordinator of its office, or an admin may file its debrief', 'NOT_ASSIGNED');
}

/** The primary key (one debrief per appearance) refused a second insert. */
function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; driverError?: { code?: string }; message?: string };
  const code = err.driverError?.code ?? err.code;
  return code === '23505' || (code === 'SQLITE_CONSTRAINT' && /UNIQUE|PRIMARY KEY/i.test(err.message ?? ''));
}

function snapshot(o: Outcome): Record<string, unknown> {
  return {
    result: o.result,
    attendance: o.attendance,
    conversations: o.conversations,
    leads: o.leads,
    applicationsStarted: o.applicationsStarted,
    mitigationsUsed: o.mitigationsUsed,
    notes: o.notes,
  };
}
