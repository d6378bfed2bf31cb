import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../common/auth';
import { Clock } from '../common/clock';
import { Stance } from '../common/enums';
import { ConflictError, NotFoundError, UnprocessableError, ValidationFailedError } from '../common/errors';
import { Page, page } from '../common/pagination';
import { assertNoPersonalData } from '../common/privacy/privacy-guard';
import { iso } from '../common/time';
import { Institution } from '../institutions/institution.entity';
import { normaliseState } from '../institutions/normalise';
import { RiskService } from '../risk/risk.service';
import { CreateReceptionEntryDto, ReceptionEntryView, ReceptionExportQuery, ReceptionQuery } from './dto/reception.dto';
import { ReceptionEntry } from './reception-entry.entity';
import { receptionSummaries, ReceptionSummary } from './reception-summary';
import { DatabaseService } from '../database/database.service';
import { plainText } from '../database/sql';
import { entryInForce } from './reception-sql';

/** The stance a kind implies when the recorder gives none (policy_changed and other need one). */
export const DEFAULT_STANCE: Partial<Record<ReceptionEntry['kind'], Stance>> = {
  welcomed: 'welcoming',
  invitation_accepted: 'welcoming',
  invitation_declined: 'cautious',
  appearance_cancelled_by_host: 'cautious',
  partnership_declined: 'restricted',
  access_restricted: 'restricted',
};

export const RECEPTION_CSV_COLUMNS = [
  'id',
  'institution_id',
  'institution_name',
  'state',
  'kind',
  'stance',
  'reason',
  'source',
  'effective_at',
  'recorded_at',
  'recorded_by_id',
  'supersedes_id',
  'superseded_by_id',
] as const;

type Row = ReceptionEntry & { supersededById?: string | null };

export function toReceptionView(e: Row): ReceptionEntryView {
  return {
    id: e.id,
    institutionId: e.institutionId,
    kind: e.kind,
    stance: e.stance,
    reason: e.reason,
    source: e.source,
    effectiveAt: iso(e.effectiveAt),
    recordedAt: iso(e.recordedAt),
    recordedById: e.recordedById,
    supersedesId: e.supersedesId,
    supersededById: e.supersededById ?? null,
  };
}

/**
 * The append-only reception ledger. Nothing is edited in place: a correction is a new entry that
 * supersedes an earlier one (which stays, marked superseded, and stops counting for the stance).
 */
@Injectable()
export class ReceptionService {
  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly risk: RiskService,
  ) {}

  async append(institutionId: string, dto: CreateReceptionEntryDto, actor: AuthUser): Promise<ReceptionEntryView> {
    const stance = dto.stance ?? DEFAULT_STANCE[dto.kind];
    if (!stance) throw new ValidationFailedError(`A ${dto.kind} entry needs a stance`, { stance: `required for kind ${dto.kind}` });
    const effectiveAt = new Date(dto.effectiveAt).getTime();
    if (effectiveAt > this.clock.now()) {
      throw new ValidationFailedError('effectiveAt is in the future: the ledger records what has happened', { effectiveAt: 'must not be in the future' });
    }
    assertNoPersonalData({ reason: dto.reason, source: dto.source });
    return this.db.write(async (m) => {
      await this.institution(m, institutionId);
      if (dto.supersedesId) await this.assertSupersedable(m, institutionId, dto.supersedesId);
      const now = this.clock.now();
      const row = m.create(ReceptionEntry, {
        institutionId,
        kind: dto.kind,
        stance,
        reason: dto.reason ?? '',
        source: dto.source ?? '',
        effectiveAt,
        recordedAt: now,
        recordedById: actor.id,
        supersedesId: dto.supersedesId ?? null,
      });
      try {
        await m.save(ReceptionEntry, row);
      } catch (e) {
        // Two corrections of one entry at the same moment: the unique index lets one through.
        if (dto.supersedesId && isUniqueViolation(e)) {
          throw new ConflictError(
            'ALREADY_SUPERSEDED',
            `Entry ${dto.supersedesId} was just corrected by someone else; reload and correct that one`,
            {},
            {
              supersedesId: 'already superseded',
            },
          );
        }
        throw e;
      }
      const view = toReceptionView(row);
      await this.audit.record(m, { actorId: actor.id, action: 'create', entityType: 'reception_entry', entityId: row.id, after: view });
      await this.risk.reassessInstitution(m, institutionId, 'reception', actor.id);
      return view;
    });
  }

  async list(institutionId: string, q: ReceptionQuery): Promise<Page<ReceptionEntryView>> {
    return this.db.read(async (m) => {
      await this.institution(m, institutionId);
      const qb = m
        .getRepository(ReceptionEntry)
        .createQueryBuilder('e')
        .where('e.institution_id = :institutionId', { institutionId })
        .orderBy('e.effective_at', 'DESC')
        .addOrderBy('e.recorded_at', 'DESC')
        .addOrderBy('e.id', 'DESC')
        .skip((q.page - 1) * q.pageSize)
        .take(q.pageSize);
      if (q.includeSuperseded === 'false') qb.andWhere(plainText(entryInForce('e')));
      const [rows, total] = await qb.getManyAndCount();
      const by = await this.supersededBy(rows.map((r) => r.id));
      return page(
        rows.map((r) => toReceptionView({ ...r, supersededById: by.get(r.id) ?? null } as Row)),
        total,
        q,
      );
    });
  }

  async summary(institutionId: string): Promise<ReceptionSummary> {
    return this.db.read(async (m) => {
      await this.institution(m, institutionId);
      const map = await receptionSummaries(m, [institutionId], this.clock.now());
      return map.get(institutionId)!;
    });
  }

  /** Batches of CSV rows for the ledger export (keyset-paginated, 1000 at a time). */
  async *exportRows(q: ReceptionExportQuery): AsyncGenerator<Array<Record<string, unknown>>> {
    let after: { at: number; id: string } | null = null;
    for (;;) {
      const from = after;
      const rows: Array<Record<string, unknown>> = await this.db.read((m) => {
        const qb = m
          .createQueryBuilder()
          .select([
            'e.id AS id',
            'e.institution_id AS institution_id',
            'i.name AS institution_name',
            'i.state AS state',
            'e.kind AS kind',
            'e.stance AS stance',
            'e.reason AS reason',
            'e.source AS source',
            'e.effective_at AS effective_at',
            'e.recorded_at AS recorded_at',
            'e.recorded_by_id AS recorded_by_id',
            'e.supersedes_id AS supersedes_id',
            '(SELECT s.id FROM reception_entries s WHERE s.supersedes_id = e.id LIMIT 1) AS superseded_by_id',
          ])
          .from(ReceptionEntry, 'e')
          .innerJoin(Institution, 'i', 'i.id = e.institution_id')
          .orderBy('e.effective_at', 'ASC')
          .addOrderBy('e.id', 'ASC')
          .limit(1000);
        if (q.institutionId) qb.andWhere('e.institution_id = :iid', { iid: q.institutionId });
        if (q.state) qb.andWhere('i.state = :st', { st: normaliseState(q.state) });
        if (from) qb.andWhere('(e.effective_at > :at OR (e.effective_at = :at AND e.id > :aid))', { at: from.at, aid: from.id });
        return qb.getRawMany();
      });
      if (!rows.length) return;
      yield rows.map((r) => ({ ...r, effective_at: iso(Number(r.effective_at)), recorded_at: iso(Number(r.recorded_at)) }));
      const last = rows[rows.length - 1];
      after = { at: Number(last.effective_at), id: String(last.id) };
      if (rows.length < 1000) return;
    }
  }

  private async institution(m: EntityManager, id: string): Promise<Institution> {
    const i = await m.findOneBy(Institution, { id });
    if (!i) throw new NotFoundError('Institution', id);
    return i;
  }

  private async assertSupersedable(m: EntityManager, institutionId: string, supersedesId: string): Promise<void> {
    const old = await m.findOneBy(ReceptionEntry, { id: supersedesId });
    if (!old) throw new NotFoundError('Reception entry', supersedesId, 'supersedesId');
    if (old.institutionId !== institutionId) {
      throw new UnprocessableError('SUPERSEDES_OTHER_INSTITUTION', 'A correction must be for the same institution as the entry it supersedes', {
        supersedesId: `belongs to institution ${old.institutionId}`,
      });
    }
    const later = await m.findOneBy(ReceptionEntry, { supersedesId });
    if (later) {
      throw new ConflictError(
        'ALREADY_SUPERSEDED',
        `Entry ${supersedesId} was already corrected by ${later.id}; correct that one instead`,
        { supersededById: later.id },
        {
          supersedesId: `already superseded by ${later.id}`,
        },
      );
    }
  }

  private async supersededBy(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = await this.db.read((m) => m.getRepository(ReceptionEntry).createQueryBuilder('s').select(['s.id', 's.supersedesId']).where('s.supersedes_id IN (:...ids)', { ids }).getMany());
    return new Map(rows.map((r) => [r.supersedesId as string, r.id]));
  }
}

function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; driverError?: { code?: string }; message?: string };
  const code = err.driverError?.code ?? err.code;
  return code === '23505' || (code === 'SQLITE_CONSTRAINT' && /UNIQUE/i.test(err.message ?? ''));
}
