import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AuthUser } from '../common/auth';
import { UnauthenticatedError } from '../common/errors';
import { authConfig } from '../config';
import { hashPassword, verifyPassword } from '../users/password';
import { User } from '../users/user.entity';
import { toUserView } from '../users/user.view';
import { LoginDto, TokenView } from './dto/login.dto';

interface TokenClaims {
  sub: string;
  email: string;
  role: AuthUser['role'];
  office: string | null;
  tv: number;
}

interface CachedUser {
  active: boolean;
  tokenVersion: number;
  role: AuthUser['role'];
  officeId: string | null;
  email: string;
  until: number;
}

/** How long a verified user's active flag and token version are trusted without a query. */
const USER_CACHE_MS = 5_000;

@Injectable()
export class AuthService {
  private readonly cache = new Map<string, CachedUser>();
  /** Tokens whose signature was already checked (jsonwebtoken's verify costs ~1 ms; a Map lookup does not). */
  private readonly verified = new Map<string, TokenClaims & { exp?: number }>();
  private dummyHash: Promise<string> | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jwt: JwtService,
    private readonly audit: AuditService,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
  ) {}

  async login(dto: LoginDto, ip: string): Promise<TokenView> {
    const email = dto.email.toLowerCase();
    const user = await this.db
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email })
      .getOne();
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
    const claims: TokenClaims = { sub: user.id, email: user.email, role: user.role, office: user.officeId, tv: user.tokenVersion };
    const accessToken = await this.jwt.signAsync(claims);
    return { accessToken, tokenType: 'Bearer', expiresIn: this.config.jwtTtlSeconds, user: toUserView(user) };
  }

  /** Verifies a bearer token and that its user is still active with the same token version. */
  async verify(token: string): Promise<AuthUser> {
    const now = Date.now();
    let claims = this.verified.get(token);
    if (!claims || (claims.exp !== undefined && claims.exp * 1000 <= now)) {
      try {
        claims = await this.jwt.verifyAsync<TokenClaims & { exp?: number }>(token);
      } catch {
        this.verified.delete(token);
        throw new UnauthenticatedError('The token is invalid or expired; sign in again', 'BAD_TOKEN');
      }
      if (this.verified.size > 10_000) this.verified.clear();
      this.verified.set(token, claims);
    }
    let cached = this.cache.get(claims.sub);
    if (!cached || cached.until < now) {
      const u = await this.db.getRepository(User).findOne({
        where: { id: claims.sub },
        select: { id: true, active: true, tokenVersion: true, role: true, officeId: true, email: true },
      });
      if (!u) throw new UnauthenticatedError('The token names a user that no longer exists', 'BAD_TOKEN');
      cached = { active: u.active, tokenVersion: u.tokenVersion, role: u.role, officeId: u.officeId, email: u.email, until: now + USER_CACHE_MS };
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(claims.sub, cached);
    }
    if (!cached.active) throw new UnauthenticatedError('This account is disabled; ask an admin', 'ACCOUNT_DISABLED');
    if (cached.tokenVersion !== claims.tv) throw new UnauthenticatedError('The token was revoked; sign in again', 'BAD_TOKEN');
    return { id: claims.sub, email: cached.email, role: cached.role, officeId: cached.officeId };
  }

  /** Called when a user changes (disabled, role, password) so this instance stops trusting the cache at once. */
  forget(userId: string): void {
    this.cache.delete(userId);
  }
}
