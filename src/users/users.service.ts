import { Injectable, Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { Inject } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Brackets, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../common/auth';
import type { Role } from '../common/enums';
import { Clock } from '../common/clock';
import { ConflictError, NotFoundError, ValidationFailedError } from '../common/errors';
import { Page, page } from '../common/pagination';
import { appConfig, authConfig } from '../config';
import { Office } from '../offices/office.entity';
import { CreateUserDto, MeView, UpdateUserDto, UserQuery, UserView } from './dto/user.dto';
import { hashPassword } from './password';
import { User } from './user.entity';
import { toUserView } from './user.view';
import { containsPattern, LIKE_ESCAPE } from '../common/like';
import { DatabaseService } from '../database/database.service';

export { toUserView };

const newCalendarToken = () => randomBytes(24).toString('base64url');

@Injectable()
export class UsersService {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    @Inject(authConfig.KEY) private readonly auth: ConfigType<typeof authConfig>,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
  ) {}

  async list(q: UserQuery): Promise<Page<UserView>> {
    return this.db.read(async (m) => {
      const qb = m.getRepository(User).createQueryBuilder('u');
      if (q.role) qb.andWhere('u.role = :role', { role: q.role });
      if (q.officeId) qb.andWhere('u.office_id = :office', { office: q.officeId });
      if (q.q) {
        const like = containsPattern(q.q.toLowerCase());
        qb.andWhere(new Brackets((w) => w.where(`u.email LIKE :like ${LIKE_ESCAPE}`, { like }).orWhere(`LOWER(u.display_name) LIKE :like ${LIKE_ESCAPE}`, { like })));
      }
      qb.orderBy('u.email', 'ASC')
        .skip((q.page - 1) * q.pageSize)
        .take(q.pageSize);
      const [rows, total] = await qb.getManyAndCount();
      return page(rows.map(toUserView), total, q);
    });
  }

  async get(id: string): Promise<User> {
    const u = await this.db.read((m) => m.getRepository(User).findOneBy({ id }));
    if (!u) throw new NotFoundError('User', id);
    return u;
  }

  async me(id: string): Promise<MeView> {
    const u = await this.db.read((m) => m.getRepository(User).createQueryBuilder('u').addSelect('u.calendarToken').where('u.id = :id', { id }).getOne());
    if (!u) throw new NotFoundError('User', id);
    const calendarUrl = `${this.app.publicUrl}/calendar/${u.calendarToken}.ics`;
    return { ...toUserView(u), calendarUrl, calendarWebcalUrl: calendarUrl.replace(/^https?:\/\//, 'webcal://'), mutedKinds: u.mutedKinds };
  }

  /** A new secret calendar feed URL for the caller; the old one stops working at once. */
  async rotateCalendarToken(id: string): Promise<MeView> {
    await this.db.write(async (m) => {
      const res = await m.update(User, { id }, { calendarToken: newCalendarToken(), updatedAt: this.clock.now() });
      if (!res.affected) throw new NotFoundError('User', id);
      await this.audit.record(m, { actorId: id, action: 'calendar_token_rotated', entityType: 'user', entityId: id });
    });
    return this.me(id);
  }

  async create(dto: CreateUserDto, actor: AuthUser | null): Promise<UserView> {
    const passwordHash = await hashPassword(dto.password);
    return this.db.write(async (m) => {
      const email = dto.email.toLowerCase();
      const existing = await m.getRepository(User).findOneBy({ email });
      if (existing) throw new ConflictError('DUPLICATE_USER', `A user with email ${email} already exists`, { existingId: existing.id }, { email: 'already exists' });
      if (dto.officeId && !(await m.getRepository(Office).existsBy({ id: dto.officeId }))) {
        throw new ValidationFailedError(`Office ${dto.officeId} does not exist`, { officeId: 'no such office' });
      }
      return toUserView(await this.insert(m, { email, displayName: dto.displayName, role: dto.role, officeId: dto.officeId ?? null, passwordHash }, actor?.id ?? null));
    });
  }

  /** A new active user row and its audit entry, in the caller's transaction. */
  private async insert(m: EntityManager, p: Pick<User, 'email' | 'displayName' | 'role' | 'officeId' | 'passwordHash'>, actorId: string | null, meta?: Record<string, unknown>): Promise<User> {
    const now = this.clock.now();
    const u = m.create(User, { ...p, active: true, calendarToken: newCalendarToken(), tokenVersion: 0, mutedKinds: [], createdAt: now, updatedAt: now });
    await m.save(u);
    await this.audit.record(m, { actorId, action: 'create', entityType: 'user', entityId: u.id, after: toUserView(u), meta: meta ?? null });
    return u;
  }

  async update(id: string, dto: UpdateUserDto, actor: AuthUser): Promise<UserView> {
    const passwordHash = dto.password ? await hashPassword(dto.password) : undefined;
    return this.db.write(async (m) => {
      const u = await m.getRepository(User).findOneBy({ id });
      if (!u) throw new NotFoundError('User', id);
      if (dto.officeId && !(await m.getRepository(Office).existsBy({ id: dto.officeId }))) {
        throw new ValidationFailedError(`Office ${dto.officeId} does not exist`, { officeId: 'no such office' });
      }
      const role = dto.role ?? u.role;
      const officeId = dto.officeId === undefined ? u.officeId : dto.officeId;
      if ((role === 'recruiter' || role === 'coordinator') && !officeId) {
        throw new ValidationFailedError('Recruiters and coordinators belong to an office', { officeId: 'required for this role' });
      }
      if (u.id === actor.id && (dto.active === false || (dto.role && dto.role !== 'admin'))) {
        throw new ConflictError('SELF_LOCKOUT', 'You cannot disable yourself or remove your own admin role');
      }
      const before = toUserView(u);
      const revoke = (dto.active === false && u.active) || passwordHash !== undefined || (dto.role !== undefined && dto.role !== u.role);
      const patch: Partial<User> = { role, officeId, updatedAt: this.clock.now() };
      if (dto.displayName !== undefined) patch.displayName = dto.displayName;
      if (dto.active !== undefined) patch.active = dto.active;
      if (passwordHash) patch.passwordHash = passwordHash;
      if (revoke) patch.tokenVersion = u.tokenVersion + 1;
      // A new password also retires the secret calendar feed URL (it may have leaked with the old one).
      if (passwordHash) patch.calendarToken = newCalendarToken();
      await m.update(User, { id }, patch);
      Object.assign(u, patch);
      await this.audit.record(m, {
        actorId: actor.id,
        action: dto.active !== undefined && dto.active !== before.active ? 'status' : 'update',
        entityType: 'user',
        entityId: id,
        before,
        after: { ...toUserView(u), ...(passwordHash ? { password: 'changed' } : {}) },
      });
      return toUserView(u);
    });
  }

  /** The user with this e-mail address (any case), or null: single sign-on matches accounts by e-mail. */
  async findByEmail(email: string): Promise<User | null> {
    return this.db.read((m) => m.getRepository(User).findOneBy({ email: email.toLowerCase() }));
  }

  /**
   * The role and office the identity provider says, applied at sign-in (OIDC_ROLE_MAP): a changed
   * role ends the user's other sessions, as an admin's change would. Returns the user as now stored.
   */
  async applySsoProfile(user: User, profile: { role: Role; officeId: string | null }): Promise<User> {
    if (profile.role === user.role && profile.officeId === user.officeId) return user;
    return this.db.write(async (m) => {
      const before = toUserView(user);
      const patch: Partial<User> = { role: profile.role, officeId: profile.officeId, updatedAt: this.clock.now() };
      if (profile.role !== user.role) patch.tokenVersion = user.tokenVersion + 1;
      await m.update(User, { id: user.id }, patch);
      const after = { ...user, ...patch } as User;
      await this.audit.record(m, { actorId: null, action: 'update', entityType: 'user', entityId: user.id, before, after: toUserView(after), meta: { via: 'sso' } });
      return after;
    });
  }

  /** A user made at their first single sign-on (OIDC_JIT): no usable password, they sign in through the provider. */
  async createFromSso(profile: { email: string; displayName: string; role: Role; officeId: string | null }): Promise<User> {
    const passwordHash = await hashPassword(randomBytes(32).toString('base64url'));
    const fields = { email: profile.email.toLowerCase(), displayName: profile.displayName.slice(0, 200), role: profile.role, officeId: profile.officeId, passwordHash };
    return this.db.write((m) => this.insert(m, fields, null, { via: 'sso' }));
  }

  /** On first start with no users: create the admin from ADMIN_EMAIL / ADMIN_PASSWORD, or a generated password printed once. */
  /**
   * The kinds of mail a user has switched off (the notifications module decides which may be).
   * `chosen`: the user's own choice in the app, remembered with its time (an older unsubscribe link
   * then no longer applies). In the caller's transaction.
   */
  async setMutedKinds(m: EntityManager, userId: string, kinds: string[], chosen: boolean): Promise<void> {
    const now = this.clock.now();
    await m.update(User, { id: userId }, { mutedKinds: kinds, updatedAt: now, ...(chosen ? { preferencesChangedAt: now } : {}) });
  }

  async ensureInitialAdmin(): Promise<{ email: string; generatedPassword?: string } | null> {
    const count = await this.db.read((m) => m.getRepository(User).count());
    if (count > 0) return null;
    const generated = this.auth.adminPassword ? undefined : randomBytes(12).toString('base64url');
    await this.create({ email: this.auth.adminEmail, displayName: 'Administrator', role: 'admin', password: this.auth.adminPassword ?? generated! }, null);
    if (generated) {
      // Printed once, to the console only (not the JSON log stream's structured fields).
      process.stdout.write(
        `\n  Forewarn created the first admin account.\n    email:    ${this.auth.adminEmail}\n    password: ${generated}\n  Store it now: it is not shown again. Set ADMIN_PASSWORD to choose your own.\n\n`,
      );
    } else {
      this.logger.log(`Created the first admin account (${this.auth.adminEmail}) from ADMIN_PASSWORD`);
    }
    return { email: this.auth.adminEmail, generatedPassword: generated };
  }
}
