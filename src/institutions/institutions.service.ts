import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { EntityManager, Not } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../common/auth';
import { Clock } from '../common/clock';
import { DomainEvents } from '../common/domain-events';
import { ConflictError, NotFoundError, StaleVersionError } from '../common/errors';
import { Page, page } from '../common/pagination';
import { iso } from '../common/time';
import { CreateInstitutionDto, InstitutionQuery, InstitutionView, ReceptionSummaryView, UpdateInstitutionDto } from './dto/institution.dto';
import { InstitutionStateChangedEvent } from './institution-events';
import { InstitutionReception } from './institution-reception';
import { Institution } from './institution.entity';
import { dedupeKey, normaliseState, normaliseText } from './normalise';
import { RiskService } from '../risk/risk.service';
import { containsPattern, LIKE_ESCAPE } from '../common/like';
import { assertNoPersonalData, FieldKind } from '../common/privacy/privacy-guard';
import { DatabaseService } from '../database/database.service';

export function toInstitutionView(i: Institution): InstitutionView {
  return {
    id: i.id,
    name: i.name,
    kind: i.kind,
    city: i.city,
    state: i.state,
    country: i.country,
    timeZone: i.timeZone,
    externalId: i.externalId,
    ownership: i.ownership,
    highestDegree: i.highestDegree ?? null,
    limitsImmigrationCooperation: i.limitsImmigrationCooperation,
    requiresAdvanceNotice: i.requiresAdvanceNotice,
    advanceNoticeDays: i.advanceNoticeDays,
    version: i.version,
    createdAt: iso(i.createdAt),
    updatedAt: iso(i.updatedAt),
  };
}

/** Institution fields the risk of its upcoming appearances depends on (the state: the regional wave). */
const RISK_FIELDS = ['state', 'limitsImmigrationCooperation', 'requiresAdvanceNotice', 'advanceNoticeDays', 'ownership', 'highestDegree'] as const;

/** How the privacy guard reads an institution's typed fields (its name is text: checked for names). */
export const INSTITUTION_FIELD_KINDS: Record<string, FieldKind> = { city: 'place', state: 'identifier', externalId: 'identifier', ownership: 'identifier' };

/** Tables whose rows point at an institution: it cannot be deleted while any exist. */
const REFERENCING = ['appearances', 'incidents', 'reception_entries'] as const;

@Injectable()
export class InstitutionsService {
  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly risk: RiskService,
    private readonly events: EventEmitter2,
    private readonly ledger: InstitutionReception,
  ) {}

  async list(q: InstitutionQuery): Promise<Page<InstitutionView>> {
    return this.db.read(async (m) => {
      const qb = m.getRepository(Institution).createQueryBuilder('i');
      const term = normaliseText(q.q);
      if (term) qb.andWhere(`i.search_name LIKE :term ${LIKE_ESCAPE}`, { term: containsPattern(term) });
      // A search of only punctuation or wildcards ("%", "_") names nothing: no matches, not every row.
      else if (q.q?.trim()) qb.andWhere('1 = 0');
      if (q.kind) qb.andWhere('i.kind = :kind', { kind: q.kind });
      if (q.state) qb.andWhere('i.state = :state', { state: normaliseState(q.state) });
      if (q.city) qb.andWhere('LOWER(i.city) = :city', { city: q.city.trim().toLowerCase() });
      if (q.externalId) qb.andWhere('i.external_id = :ext', { ext: q.externalId });
      qb.orderBy('i.search_name', 'ASC').addOrderBy('i.id', 'ASC');
      qb.skip((q.page - 1) * q.pageSize).take(q.pageSize);
      const [rows, total] = await qb.getManyAndCount();
      const stances = await this.ledger.summaries(
        rows.map((r) => r.id),
        this.clock.now(),
      );
      return page(
        rows.map((r) => ({ ...toInstitutionView(r), reception: stances.get(r.id) })),
        total,
        q,
      );
    });
  }

  /** The derived reception (current stance, since when, 12-month trend) of one institution (from the reception module). */
  async reception(id: string): Promise<ReceptionSummaryView> {
    return (await this.ledger.summaries([id], this.clock.now())).get(id)!;
  }

  async get(id: string, manager?: EntityManager): Promise<Institution> {
    return this.db.read(async (m) => {
      const i = await (manager ?? m).findOneBy(Institution, { id });
      if (!i) throw new NotFoundError('Institution', id);
      return i;
    });
  }

  async create(dto: CreateInstitutionDto, actor: AuthUser): Promise<InstitutionView> {
    assertNoPersonalData({ name: dto.name, city: dto.city, state: dto.state, externalId: dto.externalId, ownership: dto.ownership }, INSTITUTION_FIELD_KINDS);
    return this.refuseRacingDuplicate(dedupeKey(dto.name, dto.city, dto.state), () =>
      this.db.write(async (m) => {
        const now = this.clock.now();
        const row = m.create(Institution, {
          name: dto.name,
          kind: dto.kind,
          city: dto.city ?? '',
          state: normaliseState(dto.state),
          country: (dto.country ?? 'US').toUpperCase(),
          timeZone: dto.timeZone,
          externalId: dto.externalId ?? null,
          ownership: dto.ownership ?? null,
          highestDegree: dto.highestDegree ?? null,
          limitsImmigrationCooperation: dto.limitsImmigrationCooperation ?? false,
          requiresAdvanceNotice: dto.requiresAdvanceNotice ?? false,
          advanceNoticeDays: dto.advanceNoticeDays ?? null,
          version: 1,
          createdAt: now,
          updatedAt: now,
        });
        this.normalise(row);
        await this.assertNoDuplicate(m, row);
        await m.insert(Institution, row);
        const view = toInstitutionView(row);
        await this.audit.record(m, { actorId: actor.id, action: 'create', entityType: 'institution', entityId: row.id, after: view });
        return view;
      }),
    );
  }

  /**
   * Two writers racing to add the same institution both pass the look-up; the unique index stops the
   * second. Its error (after the rollback) becomes the same 409 with a pointer to the winner.
   */
  private async refuseRacingDuplicate<T>(key: string | (() => Promise<string>), work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      const err = e as { code?: string; message?: string; driverError?: { code?: string } };
      const unique = err.code === '23505' || err.driverError?.code === '23505' || /UNIQUE constraint failed: institutions\.dedupe_key/.test(err.message ?? '');
      if (!unique) throw e;
      const existing = await this.db.read(async (m) => m.getRepository(Institution).findOne({ where: { dedupeKey: typeof key === 'string' ? key : await key() }, select: { id: true, name: true } }));
      if (!existing) throw e;
      throw new ConflictError('DUPLICATE_INSTITUTION', `"${existing.name}" already exists`, { existingId: existing.id }, { name: `already exists as ${existing.id}` });
    }
  }

  async update(id: string, dto: UpdateInstitutionDto, expected: number | undefined, actor: AuthUser): Promise<InstitutionView> {
    assertNoPersonalData({ name: dto.name, city: dto.city, state: dto.state, externalId: dto.externalId, ownership: dto.ownership }, INSTITUTION_FIELD_KINDS);
    const keyAfter = async () => {
      const cur = await this.get(id);
      return dedupeKey(dto.name ?? cur.name, dto.city ?? cur.city, dto.state ?? cur.state);
    };
    return this.refuseRacingDuplicate(keyAfter, () =>
      this.db.write(async (m) => {
        const row = await this.get(id, m);
        if (expected !== undefined && expected !== row.version) throw new StaleVersionError('Institution', id, expected, row.version);
        const before = toInstitutionView(row);
        const { version: _v, ...changes } = dto;
        for (const [k, v] of Object.entries(changes)) if (v !== undefined) (row as any)[k] = v;
        if (changes.state !== undefined) row.state = normaliseState(changes.state);
        if (changes.country !== undefined) row.country = changes.country.toUpperCase();
        this.normalise(row);
        if (row.dedupeKey !== dedupeKey(before.name, before.city, before.state)) await this.assertNoDuplicate(m, row);
        const at = row.version;
        row.version = at + 1;
        row.updatedAt = this.clock.now();
        const { id: _id, createdAt: _c, ...patch } = row;
        const res = await m.update(Institution, { id, version: at }, patch);
        if (res.affected === 0) throw new StaleVersionError('Institution', id, at, at + 1);
        const after = toInstitutionView(row);
        await this.audit.record(m, { actorId: actor.id, action: 'update', entityType: 'institution', entityId: id, before, after });
        await this.afterRiskChange(m, before, after, actor);
        return after;
      }),
    );
  }

  async remove(id: string, actor: AuthUser): Promise<void> {
    await this.db.write(async (m) => {
      const row = await this.get(id, m);
      for (const table of REFERENCING) {
        const n = await m.createQueryBuilder().from(table, 't').where('t.institution_id = :id', { id }).getCount();
        if (n > 0) {
          throw new ConflictError('INSTITUTION_IN_USE', `Institution ${id} has ${n} ${table.replace('_', ' ')}; it cannot be deleted`, { table, count: n });
        }
      }
      await m.delete(Institution, { id });
      await this.audit.record(m, { actorId: actor.id, action: 'delete', entityType: 'institution', entityId: id, before: toInstitutionView(row) });
    });
  }

  /**
   * Incidents carry a copy of their institution's state (the regional wave reads it): a move is
   * announced in the same transaction and the incidents module moves its copies. A change of state or policy re-assesses the institution's
   * upcoming appearances; after a move also the old state's (its wave lost these incidents), with
   * one evidence pass over both states.
   */
  private async afterRiskChange(m: EntityManager, before: InstitutionView, after: InstitutionView, actor: AuthUser): Promise<void> {
    if (!RISK_FIELDS.some((f) => before[f] !== after[f])) return;
    if (before.state === after.state) {
      await this.risk.reassessInstitution(m, after.id, 'institution_updated', actor.id);
      return;
    }
    const moved: InstitutionStateChangedEvent = { manager: m, actorId: actor.id, at: this.clock.now(), institutionId: after.id, from: before.state, to: after.state };
    await this.events.emitAsync(DomainEvents.InstitutionStateChanged, moved);
    const now = this.clock.now();
    const peer = (await m
      .createQueryBuilder()
      .select('a.institution_id', 'id')
      .from('appearances', 'a')
      .innerJoin('institutions', 'i', 'i.id = a.institution_id')
      .where('i.state = :old', { old: before.state })
      .andWhere('a.starts_at > :now', { now })
      .andWhere("a.status IN ('planned', 'confirmed')")
      .limit(1)
      .getRawOne()) as { id: string } | undefined;
    await this.risk.reassessInstitutions(m, peer ? [after.id, peer.id] : [after.id], 'institution_updated', actor.id);
  }

  private normalise(row: Institution): void {
    row.searchName = normaliseText(row.name);
    row.dedupeKey = dedupeKey(row.name, row.city, row.state);
  }

  private async assertNoDuplicate(m: EntityManager, row: Institution): Promise<void> {
    const existing = await m.findOne(Institution, { where: { dedupeKey: row.dedupeKey, ...(row.id ? { id: Not(row.id) } : {}) }, select: { id: true, name: true } });
    if (existing) {
      throw new ConflictError(
        'DUPLICATE_INSTITUTION',
        `"${existing.name}" in ${row.city || '(no city)'}, ${row.state || '(no state)'} already exists`,
        { existingId: existing.id },
        { name: `already exists as ${existing.id}` },
      );
    }
  }
}
