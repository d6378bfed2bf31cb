import { Inject, Injectable } from '@nestjs/common';
import { topicBit, topicMask } from '../common/topics';
import { ConfigType } from '@nestjs/config';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DomainEvents, IncidentRecordedEvent } from '../common/domain-events';
import { EntityManager, SelectQueryBuilder } from 'typeorm';
import { DatabaseService } from '../database/database.service';
import { Appearance } from '../appearances/appearance.entity';
import { AppearancesService } from '../appearances/appearances.service';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../common/auth';
import { Clock } from '../common/clock';
import { ForbiddenError, NotFoundError, StaleVersionError, UnprocessableError, ValidationFailedError } from '../common/errors';
import { Page, page } from '../common/pagination';
import { privacyConfig } from '../config/privacy.config';
import { Institution } from '../institutions/institution.entity';
import { normaliseState } from '../institutions/normalise';
import { RiskService } from '../risk/risk.service';
import { CreateIncidentDto, IncidentQuery, IncidentView, UpdateIncidentDto, VerificationDto } from './dto/incident.dto';
import { Incident } from './incident.entity';
import { toIncidentCsvRow, toIncidentView } from './incident-view';
import { assertDescriptionAllowed, assertVerificationAllowed } from './incident-rules';

/** Allowed verification changes: a dispute is recorded, never deleted; nothing goes back to reported. */
const TRANSITIONS: Record<string, string[]> = {
  reported: ['corroborated', 'disputed'],
  corroborated: ['disputed'],
  disputed: ['corroborated'],
};

/**
 * Incidents: create, read (role-checked in the controller, every read audited), correct (audited,
 * versioned), verify or dispute. Each write re-assesses the institution's upcoming appearances in
 * the same transaction.
 */
@Injectable()
export class IncidentsService {
  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly risk: RiskService,
    @Inject(privacyConfig.KEY) private readonly privacy: ConfigType<typeof privacyConfig>,
    private readonly events: EventEmitter2,
    private readonly appearances: AppearancesService,
  ) {}

  async create(dto: CreateIncidentDto, actor: AuthUser): Promise<IncidentView> {
    const occurredAt = this.occurredAt(dto.occurredAt);
    this.checkDescription(dto.description, occurredAt);
    return this.db.write(async (m) => {
      const institution = await m.findOneBy(Institution, { id: dto.institutionId });
      if (!institution) throw new NotFoundError('Institution', dto.institutionId, 'institutionId');
      const appearance = dto.appearanceId ? await this.appearanceAt(m, dto.appearanceId, institution.id, actor) : null;
      const now = this.clock.now();
      const row = m.create(Incident, {
        institutionId: institution.id,
        state: institution.state,
        appearanceId: appearance?.id ?? null,
        kind: dto.kind,
        occurredAt,
        recordedAt: now,
        severity: dto.severity,
        crowdSize: dto.crowdSize ?? 'unknown',
        impact: dto.impact ?? 'none',
        target: dto.target,
        topicMask: topicMask(dto.topics),
        source: dto.source,
        verification: 'reported',
        disputeStatement: null,
        disputeRecordedById: null,
        disputeRecordedAt: null,
        description: dto.description || null,
        descriptionExpiredAt: null,
        recordedById: actor.id,
        importKey: null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      await m.save(Incident, row);
      const view = toIncidentView(row, institution);
      await this.audit.record(m, { actorId: actor.id, action: 'create', entityType: 'incident', entityId: row.id, after: auditSnapshot(view) });
      if (appearance) await this.markDisrupted(m, appearance, row, actor);
      await this.risk.reassessInstitution(m, institution.id, 'incident', actor.id);
      const event: IncidentRecordedEvent = {
        manager: m,
        actorId: actor.id,
        at: now,
        incident: {
          id: row.id,
          institutionId: row.institutionId,
          appearanceId: row.appearanceId,
          kind: row.kind,
          severity: row.severity,
          occurredAt: row.occurredAt,
          target: row.target,
          impact: row.impact,
          source: row.source,
        },
      };
      await this.events.emitAsync(DomainEvents.IncidentRecorded, event);
      return view;
    });
  }

  async get(id: string, actor: AuthUser): Promise<IncidentView> {
    const row = await this.db.read((m) => m.getRepository(Incident).findOne({ where: { id }, relations: { institution: true } }));
    if (!row) throw new NotFoundError('Incident', id);
    await this.audit.record(null, { actorId: actor.id, action: 'read', entityType: 'incident', entityId: id, meta: { kind: 'record' } });
    return toIncidentView(row);
  }

  async list(q: IncidentQuery, actor: AuthUser): Promise<Page<IncidentView>> {
    const [rows, total] = await this.db.read((m) =>
      this.filtered(m, q)
        .orderBy('i.occurredAt', 'DESC')
        .addOrderBy('i.id', 'DESC')
        .skip((q.page - 1) * q.pageSize)
        .take(q.pageSize)
        .getManyAndCount(),
    );
    await this.audit.record(null, { actorId: actor.id, action: 'read', entityType: 'incident', entityId: null, meta: { kind: 'list', filter: filterOf(q), total } });
    return page(
      rows.map((r) => toIncidentView(r)),
      total,
      q,
    );
  }

  /** Batches for the CSV export (keyset-paginated); the export itself is audited as a read. */
  async *exportRows(q: IncidentQuery, actor: AuthUser): AsyncGenerator<Array<Record<string, unknown>>> {
    await this.audit.record(null, { actorId: actor.id, action: 'read', entityType: 'incident', entityId: null, meta: { kind: 'export', filter: filterOf(q) } });
    let after: { at: number; id: string } | null = null;
    for (;;) {
      const from = after;
      const rows = await this.db.read((m) => {
        const qb = this.filtered(m, q).orderBy('i.occurredAt', 'ASC').addOrderBy('i.id', 'ASC').take(1000);
        if (from) qb.andWhere('(i.occurred_at > :aat OR (i.occurred_at = :aat AND i.id > :aid))', { aat: from.at, aid: from.id });
        return qb.getMany();
      });
      if (!rows.length) return;
      yield rows.map(toIncidentCsvRow);
      const last = rows[rows.length - 1];
      after = { at: last.occurredAt, id: last.id };
      if (rows.length < 1000) return;
    }
  }

  async update(id: string, dto: UpdateIncidentDto, expected: number | undefined, actor: AuthUser): Promise<IncidentView> {
    return this.db.write(async (m) => {
      const row = await this.load(m, id);
      if (expected !== undefined && expected !== row.version) throw new StaleVersionError('Incident', id, expected, row.version);
      const before = toIncidentView(row);
      const { version: _v, occurredAt, appearanceId, description, topics, ...facts } = dto;
      if (topics !== undefined) row.topicMask = topicMask(topics);
      for (const [k, v] of Object.entries(facts)) if (v !== undefined) (row as unknown as Record<string, unknown>)[k] = v;
      if (occurredAt !== undefined) row.occurredAt = this.occurredAt(occurredAt);
      if (description !== undefined) {
        this.checkDescription(description, row.occurredAt);
        row.description = description || null;
        if (row.description) row.descriptionExpiredAt = null;
      }
      let linked: Appearance | null = null;
      if (appearanceId !== undefined && appearanceId !== row.appearanceId) {
        linked = appearanceId ? await this.appearanceAt(m, appearanceId, row.institutionId, actor) : null;
        row.appearanceId = linked?.id ?? null;
      }
      const at = row.version;
      row.version = at + 1;
      row.updatedAt = this.clock.now();
      const { institution, appearance: _a, id: _id, createdAt: _c, ...patch } = row;
      const res = await m.update(Incident, { id, version: at }, patch);
      if (res.affected === 0) throw new StaleVersionError('Incident', id, at, at + 1);
      const after = toIncidentView(row, institution);
      await this.audit.record(m, {
        actorId: actor.id,
        action: 'update',
        entityType: 'incident',
        entityId: id,
        before: auditSnapshot(before),
        after: { ...auditSnapshot(after), descriptionChanged: before.description !== after.description },
      });
      if (row.appearanceId && row.target === 'organisation') {
        await this.markDisrupted(m, linked ?? (await this.appearanceAt(m, row.appearanceId, row.institutionId, actor)), row, actor);
      }
      await this.risk.reassessInstitution(m, row.institutionId, 'incident', actor.id);
      return after;
    });
  }

  async setVerification(id: string, dto: VerificationDto, expected: number | undefined, actor: AuthUser): Promise<IncidentView> {
    assertVerificationAllowed(actor, dto.verification, dto.statement);
    return this.db.write(async (m) => {
      const row = await this.load(m, id);
      if (expected !== undefined && expected !== row.version) throw new StaleVersionError('Incident', id, expected, row.version);
      if (!TRANSITIONS[row.verification]?.includes(dto.verification)) {
        throw new UnprocessableError('ILLEGAL_TRANSITION', `An incident that is ${row.verification} cannot become ${dto.verification}`, {
          verification: `${row.verification} → ${dto.verification} is not allowed (allowed: ${TRANSITIONS[row.verification]?.join(', ') || 'none'})`,
        });
      }
      const before = toIncidentView(row);
      const now = this.clock.now();
      row.verification = dto.verification;
      if (dto.verification === 'disputed') {
        row.disputeStatement = dto.statement!;
        row.disputeRecordedById = actor.id;
        row.disputeRecordedAt = now;
      }
      const at = row.version;
      row.version = at + 1;
      row.updatedAt = now;
      const res = await m.update(
        Incident,
        { id, version: at },
        {
          verification: row.verification,
          disputeStatement: row.disputeStatement,
          disputeRecordedById: row.disputeRecordedById,
          disputeRecordedAt: row.disputeRecordedAt,
          version: row.version,
          updatedAt: now,
        },
      );
      if (res.affected === 0) throw new StaleVersionError('Incident', id, at, at + 1);
      const after = toIncidentView(row);
      await this.audit.record(m, {
        actorId: actor.id,
        action: 'status',
        entityType: 'incident',
        entityId: id,
        before: auditSnapshot(before),
        after: auditSnapshot(after),
        meta: { verification: dto.verification },
      });
      await this.risk.reassessInstitution(m, row.institutionId, 'incident', actor.id);
      return after;
    });
  }

  private filtered(m: EntityManager, q: IncidentQuery): SelectQueryBuilder<Incident> {
    const qb = m.getRepository(Incident).createQueryBuilder('i').leftJoinAndSelect('i.institution', 'inst');
    if (q.institutionId) qb.andWhere('i.institution_id = :iid', { iid: q.institutionId });
    if (q.state) qb.andWhere('i.state = :st', { st: normaliseState(q.state) });
    if (q.appearanceId) qb.andWhere('i.appearance_id = :aid', { aid: q.appearanceId });
    if (q.from) qb.andWhere('i.occurred_at >= :from', { from: new Date(q.from).getTime() });
    if (q.to) qb.andWhere('i.occurred_at < :to', { to: new Date(q.to).getTime() });
    if (q.kind) qb.andWhere('i.kind = :kind', { kind: q.kind });
    if (q.target) qb.andWhere('i.target = :target', { target: q.target });
    if (q.topic) qb.andWhere(`(i.topic_mask & ${topicBit(q.topic)}) <> 0`);
    if (q.verification) qb.andWhere('i.verification = :ver', { ver: q.verification });
    if (q.severity) qb.andWhere('i.severity = :sev', { sev: q.severity });
    if (q.minSeverity) qb.andWhere('i.severity >= :minsev', { minsev: q.minSeverity });
    return qb;
  }

  private async load(m: EntityManager, id: string): Promise<Incident> {
    const row = await m.findOne(Incident, { where: { id }, relations: { institution: true } });
    if (!row) throw new NotFoundError('Incident', id);
    return row;
  }

  private occurredAt(value: string): number {
    const ms = new Date(value).getTime();
    if (ms > this.clock.now()) throw new ValidationFailedError('occurredAt is in the future', { occurredAt: 'must not be in the future' });
    return ms;
  }

  private checkDescription(description: string | null | undefined, occurredAt: number): void {
    assertDescriptionAllowed(description, occurredAt, this.clock.now(), this.privacy.retentionMonths);
  }

  /**
   * The appearance an incident is linked to: at the same institution, and (except for admins) one of
   * the caller's own office — a link marks it disrupted and escalates to that office's coordinators.
   */
  private async appearanceAt(m: EntityManager, appearanceId: string, institutionId: string, actor: AuthUser): Promise<Appearance> {
    const a = await m.findOneBy(Appearance, { id: appearanceId });
    if (!a) throw new NotFoundError('Appearance', appearanceId, 'appearanceId');
    if (a.institutionId !== institutionId) {
      throw new UnprocessableError('APPEARANCE_AT_OTHER_INSTITUTION', 'The appearance is at another institution', {
        appearanceId: `appearance ${appearanceId} is at institution ${a.institutionId}, not ${institutionId}`,
      });
    }
    if (actor.role !== 'admin' && a.officeId !== actor.officeId) {
      throw new ForbiddenError('The appearance belongs to another office; only its office or an admin can record incidents against it', 'OTHER_OFFICE', {
        appearanceId: `appearance ${appearanceId} belongs to another office`,
      });
    }
    return a;
  }

  /** An incident aimed at the organisation during an appearance is a disruption fact outcomes use later. */
  private async markDisrupted(m: EntityManager, a: Appearance, incident: Incident, actor: AuthUser): Promise<void> {
    if (incident.target !== 'organisation' || a.disrupted) return;
    await this.appearances.markDisrupted(m, a, incident.id, actor);
  }
}

/**
 * What the audit log keeps of an incident: every structured fact, but not the free-text
 * description (retention blanks it after RETENTION_MONTHS; a copy in audit_entries would outlive
 * it). Only whether there was one and its length.
 */
export function auditSnapshot(view: IncidentView): Record<string, unknown> {
  const { description, ...rest } = view;
  return { ...rest, hasDescription: !!description, descriptionLength: description ? description.length : 0 };
}

function filterOf(q: IncidentQuery): Record<string, unknown> {
  const { page: p, pageSize, ...filter } = q;
  return { ...Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)), page: p, pageSize };
}
