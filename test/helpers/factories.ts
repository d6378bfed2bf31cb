import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { databaseOf } from '../../src/database/database.service';
import { Appearance } from '../../src/appearances/appearance.entity';
import { AppearanceRecruiter } from '../../src/appearances/appearance-recruiter.entity';
import { FixedClock } from '../../src/common/clock';
import type { Role } from '../../src/common/enums';
import { Incident } from '../../src/incidents/incident.entity';
import { Institution } from '../../src/institutions/institution.entity';
import { dedupeKey, normaliseText } from '../../src/institutions/normalise';
import { Office } from '../../src/offices/office.entity';
import { ReceptionEntry } from '../../src/reception/reception-entry.entity';
import { hashPassword } from '../../src/users/password';
import { User } from '../../src/users/user.entity';

export const TEST_PASSWORD = 'test-password-123';
let passwordHash: Promise<string> | null = null;
let seq = 0;
const uniq = () => `${Date.now().toString(36)}${(seq++).toString(36)}${randomBytes(2).toString('hex')}`;

/**
 * Test data straight into the database (every test makes its own). Each takes Partial overrides.
 * Users get the password TEST_PASSWORD.
 */
export class Factories {
  constructor(
    private readonly db: DataSource,
    private readonly clock: FixedClock,
  ) {}

  /** Rows go in through the app's one way to write (on SQLite: taking their turn with the app's writes). */
  private write<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return databaseOf(this.db).write(fn);
  }

  async office(o: Partial<Office> = {}): Promise<Office> {
    const now = this.clock.now();
    const row = this.db.getRepository(Office).create({ id: randomUUID(), name: `Office ${uniq()}`, region: 'Test', timeZone: 'America/New_York', createdAt: now, updatedAt: now, ...o });
    return this.write((m) => m.getRepository(Office).save(row));
  }

  /** One user of each role; the recruiter and the coordinator in the given office. */
  async team(officeId: string): Promise<Record<Role, User>> {
    return {
      admin: await this.user('admin'),
      coordinator: await this.user('coordinator', { officeId }),
      recruiter: await this.user('recruiter', { officeId }),
      hr: await this.user('hr'),
    };
  }

  async user(role: Role, o: Partial<User> = {}): Promise<User> {
    passwordHash ??= hashPassword(TEST_PASSWORD);
    const now = this.clock.now();
    let officeId = o.officeId;
    if (officeId === undefined) officeId = role === 'recruiter' || role === 'coordinator' ? (await this.office()).id : null;
    const row = this.db.getRepository(User).create({
      id: randomUUID(),
      email: `${role}-${uniq()}@test.example`,
      displayName: `${role} ${uniq()}`,
      role,
      passwordHash: await passwordHash,
      active: true,
      calendarToken: randomBytes(24).toString('base64url'),
      tokenVersion: 0,
      mutedKinds: [],
      createdAt: now,
      updatedAt: now,
      ...o,
      officeId,
    });
    return this.write((m) => m.getRepository(User).save(row));
  }

  async institution(o: Partial<Institution> = {}): Promise<Institution> {
    const now = this.clock.now();
    const name = o.name ?? `Test University ${uniq()}`;
    const city = o.city ?? 'Kent';
    const state = o.state ?? 'OH';
    const row = this.db.getRepository(Institution).create({
      id: randomUUID(),
      name,
      searchName: normaliseText(name),
      dedupeKey: dedupeKey(name, city, state),
      kind: 'university',
      city,
      state,
      country: 'US',
      timeZone: 'America/New_York',
      externalId: null,
      ownership: null,
      limitsImmigrationCooperation: false,
      requiresAdvanceNotice: false,
      advanceNoticeDays: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
      ...o,
    });
    return this.write((m) => m.getRepository(Institution).save(row));
  }

  /** An appearance (defaults: career fair, 10:00–14:00 UTC two weeks from the clock, public, in person). */
  async appearance(o: Partial<Appearance> & { recruiterIds?: string[] } = {}): Promise<Appearance> {
    const { recruiterIds, ...rest } = o;
    const now = this.clock.now();
    const institutionId = rest.institutionId ?? (await this.institution()).id;
    const officeId = rest.officeId ?? (await this.office()).id;
    const startsAt = rest.startsAt ?? now + 14 * 86_400_000;
    const row = this.db.getRepository(Appearance).create({
      id: randomUUID(),
      kind: 'career_fair',
      title: `Career fair ${uniq()}`,
      startsAt,
      endsAt: startsAt + 4 * 3_600_000,
      timeZone: 'America/New_York',
      venue: 'Student Center',
      format: 'in_person',
      audience: 'public',
      expectedAttendance: 200,
      visibleBranding: false,
      protestAnnounced: false,
      status: 'planned',
      version: 1,
      sequence: 0,
      briefingOffsets: null,
      disrupted: false,
      cancelReason: null,
      createdById: null,
      createdAt: now,
      updatedAt: now,
      ...rest,
      institutionId,
      officeId,
    });
    const saved = await this.write((m) => m.getRepository(Appearance).save(row));
    if (recruiterIds?.length) {
      await this.write((m) => m.getRepository(AppearanceRecruiter).insert(recruiterIds.map((userId) => ({ appearanceId: saved.id, userId }))));
    }
    return saved;
  }

  /** An incident (saved through `manager` when given: inside the caller's transaction; else a write of its own). */
  async incident(o: Partial<Incident> = {}, manager?: EntityManager): Promise<Incident> {
    if (!manager) return this.write((m) => this.incident(o, m));
    const now = this.clock.now();
    const inst = o.institutionId ? await manager.getRepository(Institution).findOneByOrFail({ id: o.institutionId }) : await this.institution();
    const row = manager.getRepository(Incident).create({
      id: randomUUID(),
      state: inst.state,
      appearanceId: null,
      kind: 'protest',
      occurredAt: now - 30 * 86_400_000,
      recordedAt: now - 29 * 86_400_000,
      severity: 2,
      crowdSize: 'unknown',
      impact: 'none',
      target: 'organisation',
      source: 'first_hand',
      verification: 'reported',
      disputeStatement: null,
      disputeRecordedById: null,
      disputeRecordedAt: null,
      description: null,
      descriptionExpiredAt: null,
      recordedById: null,
      importKey: null,
      version: 1,
      createdAt: now,
      updatedAt: now,
      ...o,
      institutionId: inst.id,
    });
    return manager.getRepository(Incident).save(row);
  }

  async reception(o: Partial<ReceptionEntry> & { institutionId: string }): Promise<ReceptionEntry> {
    const now = this.clock.now();
    const row = this.db.getRepository(ReceptionEntry).create({
      id: randomUUID(),
      kind: 'welcomed',
      stance: 'welcoming',
      reason: '',
      source: 'test',
      effectiveAt: now - 86_400_000,
      recordedAt: now - 86_400_000,
      recordedById: null,
      supersedesId: null,
      ...o,
    });
    return this.write((m) => m.getRepository(ReceptionEntry).save(row));
  }
}
