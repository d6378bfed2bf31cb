import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../common/auth';
import { UnauthenticatedError } from '../common/errors';
import { authConfig } from '../config';
import { query, sql } from '../database/sql';
import { hashPassword, verifyPassword } from '../users/password';
import { User } from '../users/user.entity';
import { toUserView } from '../users/user.view';
import { AttemptLimiter } from './attempt-limiter';
import { LoginDto, TokenView } from './dto/login.dto';
import { DatabaseService } from '../database/database.service';

interface TokenClaims {
  sub: string;
  email: string;
  role: AuthUser['role'];
  office: string | null;
  tv: number;
  /** Session id: logout revokes it. */
  jti: string;
  exp?: number;
}

interface SessionRow {
  active: unknown;
  token_version: unknown;
  role: AuthUser['role'];
  office_id: string | null;
  email: string;
  revoked: unknown;
}

const TOO_MANY = 'Too many sign-in attempts; wait a few minutes and try again';

@Injectable()
export class AuthService {
  /** Tokens whose signature was already checked (jsonwebtoken's verify costs ~1 ms; a Map lookup does not). */
  private readonly verified = new Map<string, TokenClaims>();
  private dummyHash: Promise<string> | null = null;

  constructor(
    private readonly db: DatabaseService,
    private readonly jwt: JwtService,
    private readonly audit: AuditService,
    private readonly limiter: AttemptLimiter,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
  ) {}

  /**
   * Sign-in for /auth/login and the dashboard form alike. Attempts are counted per address and per
   * account (from any address) in the database, so a password guesser is slowed on every instance.
   */
  async login(dto: LoginDto, ip: string): Promise<TokenView> {
    const email = dto.email.toLowerCase();
    const account = `login-account:${email}`;
    await this.limiter.hit(
      [
        { bucket: `login-ip:${ip}`, limit: this.config.loginRateLimit, windowMs: this.config.loginRateWindowMs },
        { bucket: account, limit: this.config.loginAccountLimit, windowMs: this.config.loginAccountWindowMs },
      ],
      TOO_MANY,
    );
    const user = await this.db.read((m) => m.getRepository(User).createQueryBuilder('u').addSelect('u.passwordHash').where('u.email = :email', { email }).getOne());
    // Verify against a dummy hash when the user is unknown, so timing does not reveal which emails exist.
    this.dummyHash ??= hashPassword('dummy-password-for-timing');
    const ok = await verifyPassword(user?.passwordHash ?? (await this.dummyHash), dto.password);
    if (!user || !ok || !user.active) {
      const reason = !user ? 'unknown_email' : !ok ? 'bad_password' : 'disabled';
      await this.audit.record(null, { actorId: user?.id ?? null, action: 'login_failed', entityType: 'user', entityId: user?.id ?? null, meta: { email, reason, ip } });
      throw new UnauthenticatedError(
        user && ok && !user.active ? 'This account is disabled; ask an admin' : 'Email or password is wrong',
        user && ok && !user.active ? 'ACCOUNT_DISABLED' : 'BAD_CREDENTIALS',
      );
    }
    await this.limiter.clear(account);
    return this.issueSession(user);
  }

  /** A new session for a user who proved who they are (password, or single sign-on): the bearer token the pages' cookie also holds. */
  async issueSession(user: User): Promise<TokenView> {
    const claims: TokenClaims = { sub: user.id, email: user.email, role: user.role, office: user.officeId, tv: user.tokenVersion, jti: randomUUID() };
    const accessToken = await this.jwt.signAsync(claims);
    return { accessToken, tokenType: 'Bearer', expiresIn: this.config.jwtTtlSeconds, user: toUserView(user) };
  }

  /**
   * Verifies a bearer token, then asks the database — every time, so every instance agrees at once —
   * that its user is still active with the same token version and that the session was not ended.
   */
  async verify(token: string): Promise<AuthUser> {
    const claims = await this.claims(token);
    if (typeof claims.jti !== 'string') throw new UnauthenticatedError('The token is invalid or expired; sign in again', 'BAD_TOKEN');
    // one statement, so one round trip with no transaction around it (every request pays this)
    const [row] = await this.db.readStatement<SessionRow>(
      sql`SELECT u.active, u.token_version, u.role, u.office_id, u.email,
            (SELECT COUNT(*) FROM revoked_sessions r WHERE r.jti = ${claims.jti}) AS revoked
       FROM users u WHERE u.id = ${claims.sub}`,
    );
    if (!row) throw new UnauthenticatedError('The token names a user that no longer exists', 'BAD_TOKEN');
    if (!Number(row.active)) throw new UnauthenticatedError('This account is disabled; ask an admin', 'ACCOUNT_DISABLED');
    if (Number(row.token_version) !== claims.tv || Number(row.revoked) > 0) throw new UnauthenticatedError('The token was revoked; sign in again', 'BAD_TOKEN');
    return { id: claims.sub, email: row.email, role: row.role, officeId: row.office_id };
  }

  /** Ends the session behind a token (logout). A token that is already invalid has nothing to end. */
  async logout(token: string): Promise<void> {
    let claims: TokenClaims;
    try {
      claims = await this.claims(token);
    } catch {
      return;
    }
    const now = Date.now(); // token expiry is wall-clock time (jsonwebtoken checks it so)
    if (typeof claims.jti !== 'string') return; // not a session token (verify refuses it anyway)
    await this.db.write((m) =>
      query(m, sql`INSERT INTO revoked_sessions (jti, expires_at) VALUES (${claims.jti}, ${(claims.exp ?? 0) * 1000 || now + this.config.jwtTtlSeconds * 1000}) ON CONFLICT (jti) DO NOTHING`),
    );
    this.verified.delete(token);
    await this.db.write((m) => query(m, sql`DELETE FROM revoked_sessions WHERE expires_at < ${now}`));
  }

  private async claims(token: string): Promise<TokenClaims> {
    const now = Date.now();
    let claims = this.verified.get(token);
    if (!claims || (claims.exp !== undefined && claims.exp * 1000 <= now)) {
      try {
        claims = await this.jwt.verifyAsync<TokenClaims>(token);
      } catch {
        this.verified.delete(token);
        throw new UnauthenticatedError('The token is invalid or expired; sign in again', 'BAD_TOKEN');
      }
      if (this.verified.size > 10_000) this.verified.clear();
      this.verified.set(token, claims);
    }
    return claims;
  }
}
