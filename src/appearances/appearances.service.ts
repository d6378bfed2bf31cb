import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { randomUUID } from 'node:crypto';
import { EntityManager, In } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../common/auth';
import { Clock } from '../common/clock';
import { AppearanceCancelledEvent, AppearanceCompletedEvent, AppearanceCreatedEvent, AppearanceUpdatedEvent } from './appearance-events';
import { DomainEvents } from '../common/domain-events';
import type { AppearanceStatus } from '../common/enums';
import { ConflictError, FieldErrors, ForbiddenError, NotFoundError, StaleVersionError, UnprocessableError, ValidationFailedError } from '../common/errors';
import { assertNoPersonalData } from '../common/privacy/privacy-guard';
import { humanLocal, iso } from '../common/time';
import { Institution } from '../institutions/institution.entity';
import { Office } from '../offices/office.entity';
import { RiskService } from '../risk/risk.service';
import { User } from '../users/user.entity';
import { AppearanceReader } from './appearance-reader';
import { advanceNotice, CREATOR_ASSIGNED, HostRules, zoneWarning } from './appearance-rules';
import { resolveTimes, Times } from './appearance-times';
import { Appearance } from './appearance.entity';
import { AppearanceRecruiter } from './appearance-recruiter.entity';
import { AppearanceDetailView, AppearanceWarningView, ClashView, CreateAppearanceDto, UpdateAppearanceDto } from './dto/appearance.dto';
import { DatabaseService } from '../database/database.service';
import { isPostgres } from '../database/dialect';

/** Plain fields an update may change, compared one by one. */
const SCALAR_FIELDS = ['kind', 'title', 'venue', 'format', 'audience', 'expectedAttendance', 'visibleBranding', 'protestAnnounced', 'briefingOffsets'] as const;
/** Changes the people in the calendar invitation see: they raise the iCalendar SEQUENCE. */
const VISIBLE_FIELDS = ['title', 'venue', 'format', 'startsAt', 'endsAt', 'timeZone', 'institutionId', 'status'];
const LEGAL: Record<AppearanceStatus, AppearanceStatus[]> = {
  planned: ['confirmed', 'cancelled'],
  confirmed: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};
const ACTIVE_STATUSES: AppearanceStatus[] = ['planned', 'confirmed'];

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Plans, changes, confirms, cancels and completes appearances. Every write is one transaction that
 * also writes the audit entry, a fresh risk assessment and (through the domain events) the
 * notification outbox rows: all commit or none.
 */
@Injectable()
export class AppearancesService {
  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly risk: RiskService,
    private readonly events: EventEmitter2,
    private readonly reader: AppearanceReader,
  ) {}

  async get(id: string): Promise<AppearanceDetailView> {
    const view = await this.reader.one(id);
    return { ...view, risk: await this.risk.latestView(id) };
  }

  async create(dto: CreateAppearanceDto, actor: AuthUser): Promise<AppearanceDetailView> {
    // Title and venue travel in briefings, calendar invites and the audit trail.
    assertNoPersonalData({ title: dto.title, venue: dto.venue }, { venue: 'venue' });
    return this.db.write(async (m) => {
      const officeId = await this.resolveOffice(m, dto.officeId, actor);
      const inst = await this.host(m, dto.institutionId);
      const times = resolveTimes(dto, null, inst.timeZone);
      const now = this.clock.now();
      const warnings: AppearanceWarningView[] = [];
      // A recruiter who plans an appearance without naming the team is on it (briefings, warnings, debrief).
      let recruiterIds = dto.recruiterIds;
      if (recruiterIds === undefined && actor.role === 'recruiter') {
        recruiterIds = [actor.id];
        warnings.push(CREATOR_ASSIGNED);
      }
      recruiterIds ??= [];
      await this.assertAssignable(m, recruiterIds, officeId, actor);
      if (!dto.allowDoubleBooking) await this.assertNoClash(m, recruiterIds, times, null);
      const notice = advanceNotice(inst, times, now, dto.allowShortNotice);
      warnings.push(...notice.warnings, ...zoneWarning(inst, times.timeZone));
      const a = m.create(Appearance, {
        id: randomUUID(),
        institutionId: inst.id,
        officeId,
        kind: dto.kind,
        title: dto.title,
        ...times,
        venue: dto.venue ?? '',
        format: dto.format,
        audience: dto.audience,
        expectedAttendance: dto.expectedAttendance ?? null,
        visibleBranding: dto.visibleBranding ?? false,
        protestAnnounced: dto.protestAnnounced ?? false,
        status: 'planned',
        version: 1,
        sequence: 0,
        briefingOffsets: dto.briefingOffsets ?? null,
        disrupted: false,
        cancelReason: null,
        shortNoticeDeadline: notice.overriddenDeadline,
        createdById: actor.id,
        createdAt: now,
        updatedAt: now,
      });
      await m.insert(Appearance, a);
      if (recruiterIds.length)
        await m.insert(
          AppearanceRecruiter,
          recruiterIds.map((userId) => ({ appearanceId: a.id, userId })),
        );
      const risk = await this.risk.assessAppearance(m, a.id, 'appearance_created', actor.id);
      const view = await this.reader.one(a.id, m);
      await this.audit.record(m, { actorId: actor.id, action: 'create', entityType: 'appearance', entityId: a.id, after: view });
      const event: AppearanceCreatedEvent = { manager: m, actorId: actor.id, at: now, appearance: a, recruiterIds: [...recruiterIds].sort() };
      await this.events.emitAsync(DomainEvents.AppearanceCreated, event);
      return { ...view, risk, warnings };
    });
  }

  async update(id: string, dto: UpdateAppearanceDto, expected: number | undefined, actor: AuthUser): Promise<AppearanceDetailView> {
    assertNoPersonalData({ title: dto.title, venue: dto.venue }, { venue: 'venue' });
    const result = await this.db.write(async (m) => {
      const before = await this.load(m, id);
      this.assertCanEdit(before, actor);
      if (before.status === 'completed' || before.status === 'cancelled') {
        throw new ConflictError('APPEARANCE_CLOSED', `Appearance ${id} is ${before.status}; it can no longer be changed`, { status: before.status });
      }
      this.assertVersion(before, expected);
      const beforeView = await this.reader.one(id, m);
      const patch: Partial<Appearance> = {};
      if (dto.officeId !== undefined && dto.officeId !== before.officeId) {
        if (actor.role !== 'admin') throw new ForbiddenError('Only an admin can move an appearance to another office', 'OTHER_OFFICE');
        if (!(await m.existsBy(Office, { id: dto.officeId }))) throw new NotFoundError('Office', dto.officeId, 'officeId');
        patch.officeId = dto.officeId;
      }
      const movedHost = dto.institutionId !== undefined && dto.institutionId !== before.institutionId;
      const inst = await this.host(m, movedHost ? (dto.institutionId as string) : before.institutionId);
      if (movedHost) patch.institutionId = inst.id;
      const times = resolveTimes(dto, before, before.timeZone);
      for (const k of ['startsAt', 'endsAt', 'timeZone'] as const) if (times[k] !== before[k]) (patch as any)[k] = times[k];
      for (const k of SCALAR_FIELDS) if (dto[k] !== undefined && !same(dto[k], before[k])) (patch as any)[k] = dto[k];
      const recruitersBefore = beforeView.recruiterIds;
      const recruitersAfter = dto.recruiterIds ? [...dto.recruiterIds].sort() : recruitersBefore;
      const recruitersChanged = !same(recruitersBefore, recruitersAfter);
      if (!Object.keys(patch).length && !recruitersChanged) return null; // nothing to change
      if (recruitersChanged) await this.assertAssignable(m, dto.recruiterIds ?? [], patch.officeId ?? before.officeId, actor, new Set(recruitersBefore));
      const rescheduled = 'startsAt' in patch || 'endsAt' in patch || 'timeZone' in patch;
      if ((rescheduled || recruitersChanged) && !dto.allowDoubleBooking) await this.assertNoClash(m, recruitersAfter, times, id);
      const now = this.clock.now();
      const warnings: AppearanceWarningView[] = [];
      if (rescheduled || movedHost) {
        // a new time or host is judged afresh: booked past its deadline again, or no longer short notice
        const notice = advanceNotice(inst, times, now, dto.allowShortNotice);
        warnings.push(...notice.warnings);
        if (notice.overriddenDeadline !== before.shortNoticeDeadline) patch.shortNoticeDeadline = notice.overriddenDeadline;
      }
      if ('timeZone' in patch || movedHost) warnings.push(...zoneWarning(inst, times.timeZone));
      const visible = recruitersChanged || VISIBLE_FIELDS.some((f) => f in patch);
      Object.assign(patch, { version: before.version + 1, sequence: before.sequence + (visible ? 1 : 0), updatedAt: now });
      await this.writeVersioned(m, before, patch);
      if (recruitersChanged) {
        const removed = recruitersBefore.filter((r) => !recruitersAfter.includes(r));
        const added = recruitersAfter.filter((r) => !recruitersBefore.includes(r));
        if (removed.length) await m.delete(AppearanceRecruiter, { appearanceId: id, userId: In(removed) });
        if (added.length)
          await m.insert(
            AppearanceRecruiter,
            added.map((userId) => ({ appearanceId: id, userId })),
          );
      }
      const after = m.create(Appearance, { ...before, ...patch });
      const risk = await this.risk.assessAppearance(m, id, 'appearance_updated', actor.id);
      const view = await this.reader.one(id, m);
      await this.audit.record(m, { actorId: actor.id, action: 'update', entityType: 'appearance', entityId: id, before: beforeView, after: view });
      const event: AppearanceUpdatedEvent = { manager: m, actorId: actor.id, at: now, before, after, recruitersBefore, recruitersAfter, rescheduled };
      await this.events.emitAsync(DomainEvents.AppearanceUpdated, event);
      return { ...view, risk, warnings } as AppearanceDetailView;
    });
    return result ?? this.get(id);
  }

  /** planned → confirmed → completed; planned/confirmed → cancelled. */
  async transition(id: string, to: 'confirmed' | 'cancelled' | 'completed', expected: number | undefined, actor: AuthUser, reason?: string): Promise<AppearanceDetailView> {
    // A cancellation reason is free text that travels in emails: no personal data (who protested ...).
    if (reason) assertNoPersonalData({ reason });
    const view = await this.db.write(async (m) => {
      const before = await this.load(m, id);
      this.assertCanEdit(before, actor);
      if (!LEGAL[before.status].includes(to)) {
        throw new UnprocessableError(
          'ILLEGAL_TRANSITION',
          `Appearance ${id} is ${before.status}; it cannot become ${to}`,
          { status: `${before.status} → ${to} is not allowed` },
          { from: before.status, to },
        );
      }
      this.assertVersion(before, expected);
      const now = this.clock.now();
      if (to === 'completed' && now < before.startsAt) {
        throw new UnprocessableError('NOT_STARTED', `Appearance ${id} starts at ${iso(before.startsAt)}; it cannot be completed before it starts`, { status: 'not started yet' });
      }
      const beforeView = await this.reader.one(id, m);
      const patch: Partial<Appearance> = { status: to, version: before.version + 1, sequence: before.sequence + 1, updatedAt: now };
      if (to === 'cancelled') patch.cancelReason = reason ?? null;
      await this.writeVersioned(m, before, patch);
      const after = m.create(Appearance, { ...before, ...patch });
      const risk = to === 'confirmed' ? await this.risk.assessAppearance(m, id, 'appearance_confirmed', actor.id) : await this.risk.latestView(id, m);
      const view = await this.reader.one(id, m);
      await this.audit.record(m, { actorId: actor.id, action: 'status', entityType: 'appearance', entityId: id, before: beforeView, after: view, meta: { from: before.status, to } });
      const base = { manager: m, actorId: actor.id, at: now };
      if (to === 'cancelled') {
        const e: AppearanceCancelledEvent = { ...base, appearance: after, recruiterIds: view.recruiterIds, reason: reason ?? null };
        await this.events.emitAsync(DomainEvents.AppearanceCancelled, e);
      } else if (to === 'completed') {
        const e: AppearanceCompletedEvent = { ...base, appearance: after, recruiterIds: view.recruiterIds };
        await this.events.emitAsync(DomainEvents.AppearanceCompleted, e);
      } else {
        const e: AppearanceUpdatedEvent = { ...base, before, after, recruitersBefore: view.recruiterIds, recruitersAfter: view.recruiterIds, rescheduled: false };
        await this.events.emitAsync(DomainEvents.AppearanceUpdated, e);
      }
      return { view, risk };
    });
    return { ...view.view, risk: view.risk };
  }

  private async host(m: EntityManager, id: string): Promise<HostRules> {
    const inst = await m.findOne(Institution, { where: { id }, select: { id: true, name: true, timeZone: true, requiresAdvanceNotice: true, advanceNoticeDays: true } });
    if (!inst) throw new NotFoundError('Institution', id, 'institutionId');
    return inst;
  }

  private async load(m: EntityManager, id: string): Promise<Appearance> {
    const a = await m.findOneBy(Appearance, { id });
    if (!a) throw new NotFoundError('Appearance', id);
    return a;
  }

  private assertCanEdit(a: Appearance, actor: AuthUser): void {
    if (actor.role === 'admin') return;
    if (actor.role === 'hr') throw new ForbiddenError('HR reads appearances but does not change them');
    if (a.officeId !== actor.officeId) throw new ForbiddenError('This appearance belongs to another office; only its office or an admin can change it', 'OTHER_OFFICE');
  }

  private assertVersion(a: Appearance, expected: number | undefined): void {
    if (expected !== undefined && expected !== a.version) throw new StaleVersionError('Appearance', a.id, expected, a.version);
  }

  /**
   * Marks an appearance disrupted (an incident aimed at the organisation happened at it: a fact the
   * debrief and the reports use), with its audit entry, in the caller's transaction. Bumps the
   * version so an edit based on the older read is refused.
   */
  async markDisrupted(m: EntityManager, a: Appearance, incidentId: string, actor: AuthUser): Promise<void> {
    if (a.disrupted) return;
    await m.update(Appearance, { id: a.id }, { disrupted: true, version: () => 'version + 1', updatedAt: this.clock.now() } as never);
    await this.audit.record(m, {
      actorId: actor.id,
      action: 'update',
      entityType: 'appearance',
      entityId: a.id,
      before: { disrupted: false, version: a.version },
      after: { disrupted: true, version: a.version + 1 },
      meta: { cause: 'incident', incidentId },
    });
  }

  /** Conditional UPDATE on the version read: a concurrent writer makes this 409, never a lost update. */
  private async writeVersioned(m: EntityManager, before: Appearance, patch: Partial<Appearance>): Promise<void> {
    const res = await m.update(Appearance, { id: before.id, version: before.version }, patch);
    if (res.affected === 0) throw new StaleVersionError('Appearance', before.id, before.version, before.version + 1);
  }

  private async resolveOffice(m: EntityManager, requested: string | undefined, actor: AuthUser): Promise<string> {
    const officeId = requested ?? actor.officeId;
    if (!officeId) throw new ValidationFailedError('officeId is required: you belong to no office', { officeId: 'required (you belong to no office)' });
    if (actor.role !== 'admin' && officeId !== actor.officeId) {
      throw new ForbiddenError('You can only plan appearances for your own office', 'OTHER_OFFICE');
    }
    if (!(await m.existsBy(Office, { id: officeId }))) throw new NotFoundError('Office', officeId, 'officeId');
    return officeId;
  }

  /**
   * Every recruiter exists, is active and is a recruiter or coordinator — and, unless an admin assigns
   * them, of the appearance's office (briefings and escalations go to that office's people). Those
   * in `kept` (already assigned) are not checked again; field names index into `ids` as sent.
   */
  private async assertAssignable(m: EntityManager, ids: string[], officeId: string, actor: AuthUser, kept = new Set<string>()): Promise<void> {
    const fresh = ids.filter((id) => !kept.has(id));
    if (!fresh.length) return;
    const users = await m.find(User, { where: { id: In(fresh) }, select: { id: true, role: true, active: true, officeId: true } });
    const byId = new Map(users.map((u) => [u.id, u]));
    const fields: FieldErrors = {};
    ids.forEach((id, i) => {
      if (kept.has(id)) return;
      const u = byId.get(id);
      if (!u) throw new NotFoundError('User', id, `recruiterIds[${i}]`);
      if (!u.active) fields[`recruiterIds[${i}]`] = `user ${id} is disabled`;
      else if (u.role !== 'recruiter' && u.role !== 'coordinator') fields[`recruiterIds[${i}]`] = `user ${id} is ${u.role === 'hr' ? 'in hr' : `an ${u.role}`}, not a recruiter or coordinator`;
      else if (actor.role !== 'admin' && u.officeId !== officeId) fields[`recruiterIds[${i}]`] = `user ${id} belongs to another office`;
    });
    if (Object.keys(fields).length) throw new UnprocessableError('RECRUITER_NOT_ASSIGNABLE', 'Only active recruiters and coordinators can be assigned', fields);
  }

  /**
   * 409 DOUBLE_BOOKED naming the clashing appearance(s) when a recruiter is already booked then. On
   * PostgreSQL the recruiters' rows are locked first (in id order), so two concurrent bookings of the
   * same person are checked one after the other; SQLite runs one write transaction at a time anyway.
   */
  private async assertNoClash(m: EntityManager, recruiterIds: string[], t: Times, selfId: string | null): Promise<void> {
    if (!recruiterIds.length) return;
    if (isPostgres(m)) {
      await m.createQueryBuilder(User, 'u').select('u.id').where('u.id IN (:...ids)', { ids: recruiterIds }).orderBy('u.id').setLock('pessimistic_write').getMany();
    }
    const qb = m
      .createQueryBuilder()
      .select('a.id', 'id')
      .addSelect('a.title', 'title')
      .addSelect('a.starts_at', 'starts_at')
      .addSelect('a.ends_at', 'ends_at')
      .addSelect('a.time_zone', 'time_zone')
      .addSelect('r.user_id', 'user_id')
      .addSelect('u.display_name', 'user_name')
      .from(AppearanceRecruiter, 'r')
      .innerJoin(Appearance, 'a', 'a.id = r.appearance_id')
      .innerJoin(User, 'u', 'u.id = r.user_id')
      .where('r.user_id IN (:...ids)', { ids: recruiterIds })
      .andWhere('a.status IN (:...active)', { active: ACTIVE_STATUSES })
      .andWhere('a.starts_at < :end AND a.ends_at > :start', { start: t.startsAt, end: t.endsAt })
      .orderBy('a.starts_at', 'ASC')
      .limit(20);
    if (selfId) qb.andWhere('a.id <> :self', { self: selfId });
    const rows = await qb.getRawMany();
    if (!rows.length) return;
    const clashes: ClashView[] = rows.map((r) => ({
      appearanceId: r.id,
      title: r.title,
      startsAt: iso(Number(r.starts_at)),
      endsAt: iso(Number(r.ends_at)),
      startsLocal: humanLocal(Number(r.starts_at), r.time_zone),
      endsLocal: humanLocal(Number(r.ends_at), r.time_zone),
      recruiterId: r.user_id,
      recruiterName: r.user_name,
    }));
    const c = clashes[0];
    throw new ConflictError(
      'DOUBLE_BOOKED',
      `${c.recruiterName} is already booked for "${c.title}" from ${c.startsLocal} until ${c.endsLocal}; send allowDoubleBooking: true to book anyway`,
      { clashes, appearanceId: c.appearanceId, title: c.title, startsAt: c.startsAt, endsAt: c.endsAt },
      { recruiterIds: `${c.recruiterName} is booked for "${c.title}" at that time (${c.startsLocal})` },
    );
  }
}
