import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../common/auth';
import { Clock } from '../common/clock';
import type { Role } from '../common/enums';
import { ForbiddenError, NotFoundError, UnauthenticatedError, ValidationFailedError } from '../common/errors';
import { DAY_MS, iso } from '../common/time';
import { apiTokensConfig } from '../config';
import { Office } from '../offices/office.entity';
import { query, sql } from '../database/sql';
import { ApiToken } from './api-token.entity';
import { ApiTokenUse } from './api-token-use.entity';
import { ApiTokenUseView, ApiTokenView, CreatedApiTokenView, CreatePersonalTokenDto, CreateServiceTokenDto, ScopeView } from './dto/api-token.dto';
import { ROLE_SCOPES, Scope, SCOPE_NAMES, SCOPES, scopeFor, scopesBeyondRole } from './scopes';
import { TokenUseCounter } from './token-use-counter';
import { generateToken, hashToken, parseToken, TokenKind, tokenHint } from './token-format';
import { DatabaseService } from '../database/database.service';

interface TokenRow {
  id: string;
  kind: TokenKind;
  name: string;
  role: Role | null;
  office_id: string | null;
  user_id: string | null;
  scopes: string;
  expires_at: unknown;
  revoked_at: unknown;
  last_used_at: unknown;
  user_active: unknown;
  user_role: Role | null;
  user_office: string | null;
  user_email: string | null;
}

/**
 * Personal and service API tokens: made (shown once, stored as a hash), listed, revoked, and checked
 * on each request. A token acts with a role — its user's current one, or the service token's own —
 * and its scopes only narrow what that role may do.
 */
@Injectable()
export class ApiTokensService {
  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly counter: TokenUseCounter,
    @Inject(apiTokensConfig.KEY) private readonly config: ConfigType<typeof apiTokensConfig>,
  ) {}

  scopes(): ScopeView[] {
    return SCOPE_NAMES.map((scope) => ({
      scope,
      description: SCOPES[scope],
      roles: (Object.keys(ROLE_SCOPES) as Role[]).filter((r) => ROLE_SCOPES[r].includes(scope)),
    }));
  }

  /** A personal token for the signed-in caller, with scopes their role can hold. */
  async createPersonal(owner: AuthUser, dto: CreatePersonalTokenDto): Promise<CreatedApiTokenView> {
    this.signedInOnly(owner);
    this.checkScopes(owner.role, dto.scopes);
    return this.insert('personal', dto, { userId: owner.id, role: null, officeId: null }, owner);
  }

  /**
   * A service token: admins choose its role (and office for coordinator); coordinators make one for
   * their own office with the coordinator role.
   */
  async createService(actor: AuthUser, dto: CreateServiceTokenDto): Promise<CreatedApiTokenView> {
    this.signedInOnly(actor);
    const officeId = dto.officeId ?? (actor.role === 'coordinator' ? actor.officeId : null);
    if (actor.role === 'coordinator') {
      if (dto.role !== 'coordinator') throw new ForbiddenError('Coordinators make service tokens with the coordinator role only', 'FORBIDDEN', { role: 'must be coordinator' });
      if (officeId !== actor.officeId) throw new ForbiddenError('Coordinators make service tokens for their own office only', 'FORBIDDEN', { officeId: 'must be your office' });
    }
    if (dto.role === 'coordinator' && !officeId) throw new ValidationFailedError('A coordinator token belongs to an office', { officeId: 'required for the coordinator role' });
    if (dto.role !== 'coordinator' && officeId) throw new ValidationFailedError(`A ${dto.role} token belongs to no office`, { officeId: `not allowed for the ${dto.role} role` });
    if (officeId && !(await this.db.read((m) => m.getRepository(Office).existsBy({ id: officeId }))))
      throw new ValidationFailedError(`Office ${officeId} does not exist`, { officeId: 'no such office' });
    this.checkScopes(dto.role, dto.scopes);
    return this.insert('service', dto, { userId: null, role: dto.role, officeId }, actor);
  }

  async listMine(owner: AuthUser): Promise<ApiTokenView[]> {
    const rows = await this.db.read((m) => m.getRepository(ApiToken).find({ where: { userId: owner.id, kind: 'personal' }, order: { createdAt: 'DESC' } }));
    return rows.map((r) => this.view(r));
  }

  /** Service tokens: all of them for admins, their office's for coordinators. */
  async listService(actor: AuthUser): Promise<ApiTokenView[]> {
    const where = actor.role === 'admin' ? { kind: 'service' as const } : { kind: 'service' as const, officeId: actor.officeId ?? '' };
    const rows = await this.db.read((m) => m.getRepository(ApiToken).find({ where, order: { createdAt: 'DESC' } }));
    return rows.map((r) => this.view(r));
  }

  /** Revokes a token at once, on every instance (the check reads the row on each request). */
  async revoke(id: string, actor: AuthUser, via: 'mine' | 'service'): Promise<void> {
    this.signedInOnly(actor);
    await this.db.write(async (m) => {
      const t = await m.getRepository(ApiToken).findOneBy({ id });
      if (!t || !this.mayManage(t, actor, via)) throw new NotFoundError('API token', id);
      if (t.revokedAt !== null) return;
      const now = this.clock.now();
      await m.update(ApiToken, { id }, { revokedAt: now, revokedBy: actor.id });
      await this.audit.record(m, { actorId: actor.id, action: 'token_revoked', entityType: 'api_token', entityId: id, meta: { kind: t.kind, name: t.name } });
    });
  }

  /** The token's uses, newest first (the last 1,000 minute × route × result rows). */
  async uses(id: string, actor: AuthUser, via: 'mine' | 'service'): Promise<ApiTokenUseView[]> {
    const t = await this.db.read((m) => m.getRepository(ApiToken).findOneBy({ id }));
    if (!t || !this.mayManage(t, actor, via)) throw new NotFoundError('API token', id);
    await this.counter.flush(); // this instance's latest counts (other instances add theirs within API_TOKEN_USES_FLUSH_MS)
    const rows = await this.db.read((m) => m.getRepository(ApiTokenUse).find({ where: { tokenId: id }, order: { windowStart: 'DESC', lastAt: 'DESC' }, take: 1000 }));
    return rows.map((u) => ({ minute: iso(Number(u.windowStart)), method: u.method, route: u.route, status: u.status, hits: u.hits, lastAt: iso(u.lastAt) }));
  }

  /**
   * The caller behind an API token for one request (method + route pattern), or 401/403. Refusals
   * of a known token are counted as uses too.
   */
  async authenticate(token: string, method: string, route: string): Promise<AuthUser> {
    const kind = parseToken(token);
    if (!kind) throw new UnauthenticatedError('This is not a valid Forewarn API token', 'BAD_TOKEN');
    const [row] = await this.db.read((m) =>
      query<TokenRow>(
        m,
        sql`SELECT t.id, t.kind, t.name, t.role, t.office_id, t.user_id, t.scopes, t.expires_at, t.revoked_at, t.last_used_at,
              u.active AS user_active, u.role AS user_role, u.office_id AS user_office, u.email AS user_email
       FROM api_tokens t LEFT JOIN users u ON u.id = t.user_id WHERE t.token_hash = ${hashToken(token)}`,
      ),
    );
    if (!row || row.kind !== kind) throw new UnauthenticatedError('This API token is not known; it may have been mistyped', 'BAD_TOKEN');
    const now = this.clock.now();
    const refuse = (e: Error, status: number): never => {
      this.recordUse(row.id, method, route, status);
      throw e;
    };
    if (row.revoked_at !== null) refuse(new UnauthenticatedError('This API token was revoked', 'TOKEN_REVOKED'), 401);
    if (now >= Number(row.expires_at)) refuse(new UnauthenticatedError('This API token has expired; make a new one', 'TOKEN_EXPIRED'), 401);
    if (row.kind === 'personal' && !Number(row.user_active)) refuse(new UnauthenticatedError('The account behind this token is disabled; ask an admin', 'ACCOUNT_DISABLED'), 401);
    const role = (row.kind === 'personal' ? row.user_role : row.role) as Role;
    const needed = scopeFor(method, route);
    if (!needed) refuse(new ForbiddenError('API tokens cannot call this; sign in instead', 'TOKEN_NOT_ALLOWED'), 403);
    if (row.kind === 'service' && needed!.startsWith('profile:')) refuse(new ForbiddenError('A service token has no profile; use a personal token', 'TOKEN_NOT_ALLOWED'), 403);
    const scopes = JSON.parse(row.scopes) as string[];
    if (!scopes.includes(needed!) || !ROLE_SCOPES[role].includes(needed as Scope)) {
      refuse(new ForbiddenError(`This token lacks the scope ${needed}${scopes.includes(needed!) ? ` (the role ${role} cannot use it)` : ''}`, 'SCOPE_MISSING'), 403);
    }
    await this.touch(row.id, row.last_used_at, now);
    return row.kind === 'personal'
      ? { id: row.user_id!, email: row.user_email!, role, officeId: row.user_office, tokenId: row.id }
      : { id: row.id, email: `service-token:${row.name}`, role, officeId: row.office_id, tokenId: row.id };
  }

  /** Counts one use (token, minute, method, route pattern, result); written in batches, never fails the request. */
  recordUse(tokenId: string, method: string, route: string, status: number): void {
    this.counter.count(tokenId, method, route, status);
  }

  /** Forgets the counts of uses older than API_TOKEN_USES_KEEP_DAYS (the hourly job). Returns how many rows went. */
  async pruneUses(): Promise<number> {
    await this.counter.flush();
    return this.counter.prune();
  }

  /** last_used_at at most once per interval: read with the token, written only when stale (and only once across instances). */
  private async touch(id: string, lastUsed: unknown, now: number): Promise<void> {
    const cutoff = now - this.config.lastUsedIntervalMs;
    if (lastUsed !== null && Number(lastUsed) > cutoff) return;
    await this.db.write((m) => query(m, sql`UPDATE api_tokens SET last_used_at = ${now} WHERE id = ${id} AND (last_used_at IS NULL OR last_used_at <= ${cutoff})`));
  }

  private async insert(kind: TokenKind, dto: CreatePersonalTokenDto, owner: Pick<ApiToken, 'userId' | 'role' | 'officeId'>, actor: AuthUser): Promise<CreatedApiTokenView> {
    const days = dto.expiresInDays ?? this.config.defaultDays;
    if (days > this.config.maxDays) throw new ValidationFailedError(`Tokens live at most ${this.config.maxDays} days`, { expiresInDays: `at most ${this.config.maxDays}` });
    const token = generateToken(kind);
    const now = this.clock.now();
    const row: ApiToken = {
      id: randomUUID(),
      kind,
      name: dto.name,
      tokenHash: hashToken(token),
      hint: tokenHint(token),
      ...owner,
      scopes: [...dto.scopes].sort(),
      createdBy: actor.id,
      createdAt: now,
      expiresAt: now + days * DAY_MS,
      revokedAt: null,
      revokedBy: null,
      lastUsedAt: null,
    };
    await this.db.write(async (m) => {
      await m.insert(ApiToken, row);
      await this.audit.record(m, { actorId: actor.id, action: 'token_created', entityType: 'api_token', entityId: row.id, after: this.view(row) });
    });
    return { ...this.view(row), token };
  }

  private checkScopes(role: Role, scopes: string[]): void {
    const beyond = scopesBeyondRole(role, scopes);
    if (beyond.length) throw new ValidationFailedError(`The role ${role} cannot hold ${beyond.join(', ')}`, { scopes: `not allowed for the ${role} role: ${beyond.join(', ')}` });
  }

  /** Tokens are managed signed in, never with another token. */
  private signedInOnly(user: AuthUser): void {
    if (user.tokenId) throw new ForbiddenError('API tokens cannot manage tokens; sign in instead', 'TOKEN_NOT_ALLOWED');
  }

  private mayManage(t: ApiToken, actor: AuthUser, via: 'mine' | 'service'): boolean {
    if (via === 'mine') return t.kind === 'personal' && t.userId === actor.id;
    if (actor.role === 'admin') return true; // admins revoke any token, a leaked personal one too
    return actor.role === 'coordinator' && t.kind === 'service' && t.officeId !== null && t.officeId === actor.officeId;
  }

  private view(t: ApiToken): ApiTokenView {
    const now = this.clock.now();
    return {
      id: t.id,
      kind: t.kind,
      name: t.name,
      hint: t.hint,
      scopes: t.scopes,
      userId: t.userId,
      role: t.role,
      officeId: t.officeId,
      status: t.revokedAt !== null ? 'revoked' : now >= t.expiresAt ? 'expired' : 'active',
      createdAt: iso(t.createdAt),
      expiresAt: iso(t.expiresAt),
      revokedAt: t.revokedAt === null ? null : iso(t.revokedAt),
      lastUsedAt: t.lastUsedAt === null ? null : iso(t.lastUsedAt),
    };
  }
}
