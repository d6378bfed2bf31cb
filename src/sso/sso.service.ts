import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import * as oidc from 'openid-client';
import { AuditService } from '../audit/audit.service';
import { TokenView } from '../auth/dto/login.dto';
import { AuthService } from '../auth/auth.service';
import { Clock } from '../common/clock';
import type { Role } from '../common/enums';
import { DomainError, ForbiddenError, NotFoundError, UnauthenticatedError, ValidationFailedError } from '../common/errors';
import { appConfig, ssoConfig } from '../config';
import { Office } from '../offices/office.entity';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { DatabaseService } from '../database/database.service';

/** What the browser carries between the redirect to the provider and the callback (in a signed, short-lived cookie). */
export interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
  /** A page of this service to land on afterwards (checked with safeNext), or ''. */
  next: string;
  expiresAt: number;
}

/** When several claim values map to roles, the first of these wins. */
const ROLE_ORDER: Role[] = ['admin', 'hr', 'coordinator', 'recruiter'];

interface Attempt {
  ip: string;
  email?: string;
  sub?: string;
}

/**
 * OpenID Connect sign-in (authorization code with PKCE, openid-client): the provider proves who
 * the person is; Forewarn decides whether they may come in (allowed e-mail domain, an account that
 * exists and is active, or is created when OIDC_JIT is on) and with which role (OIDC_ROLE_MAP),
 * then starts the same session a password sign-in does. Every attempt is audited.
 */
@Injectable()
export class SsoService {
  private readonly logger = new Logger(SsoService.name);
  private discovered: Promise<oidc.Configuration> | null = null;

  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
    private readonly users: UsersService,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
    @Inject(ssoConfig.KEY) private readonly config: ConfigType<typeof ssoConfig>,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
  ) {}

  get enabled(): boolean {
    return this.config.enabled;
  }

  get redirectUri(): string {
    return this.config.redirectUri ?? `${this.app.publicUrl}/pages/sso/callback`;
  }

  get stateTtlMs(): number {
    return this.config.stateTtlMs;
  }

  /** Where to send the browser, and what it must bring back. */
  async start(next: string): Promise<{ url: string; pending: PendingSignIn }> {
    const config = await this.configuration();
    const pending: PendingSignIn = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier(), next, expiresAt: this.clock.now() + this.config.stateTtlMs };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: this.config.scopes,
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url: url.href, pending };
  }

  /** The provider sent the browser back: check everything, then start a session (or throw a 4xx the page explains). */
  async finish(query: string, pending: PendingSignIn | null, ip: string): Promise<TokenView> {
    const attempt: Attempt = { ip };
    const params = new URLSearchParams(query);
    if (!pending) return this.refuse(attempt, 'no_state', new ValidationFailedError('This sign-in was not started here, or took too long; start again', undefined, 'SSO_STATE_MISSING'));
    if (this.clock.now() > pending.expiresAt) return this.refuse(attempt, 'state_expired', new ValidationFailedError('This sign-in took too long; start again', undefined, 'SSO_STATE_EXPIRED'));
    if (params.get('state') !== pending.state)
      return this.refuse(
        attempt,
        'state_mismatch',
        new ValidationFailedError('This sign-in answer does not belong to the sign-in this browser started; start again', { state: 'does not match' }, 'SSO_STATE_MISMATCH'),
      );
    if (params.get('error')) {
      return this.refuse(attempt, `provider_${params.get('error')}`.slice(0, 40), new UnauthenticatedError('The identity provider did not sign you in', 'SSO_PROVIDER_REFUSED'));
    }
    // the provider's tokens are checked against Forewarn's clock (injected in tests), not the host's
    const config = this.withClock(await this.configuration());
    let claims: oidc.IDToken;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, new URL(`${this.redirectUri}?${params.toString()}`), {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims()!;
      // providers may keep the scopes' claims (email, groups…) for the userinfo endpoint
      if (config.serverMetadata().userinfo_endpoint) {
        const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
        claims = { ...info, ...claims };
      }
    } catch (e) {
      const reason = describe(e);
      return this.refuse(attempt, reason.code, new UnauthenticatedError(`The identity provider's answer could not be accepted (${reason.message}); try again or ask an admin`, 'SSO_TOKEN_REFUSED'));
    }
    attempt.sub = claims.sub;
    const email = typeof claims.email === 'string' ? claims.email.toLowerCase() : '';
    attempt.email = email || undefined;
    if (!email) return this.refuse(attempt, 'no_email', new ForbiddenError('The identity provider did not say your e-mail address (the email scope is needed)', 'SSO_NO_EMAIL'));
    if (claims.email_verified === false) return this.refuse(attempt, 'email_unverified', new ForbiddenError('Your e-mail address is not verified at the identity provider', 'SSO_EMAIL_UNVERIFIED'));
    const domain = email.slice(email.lastIndexOf('@') + 1);
    if (!this.config.allowedDomains.includes('*') && !this.config.allowedDomains.includes(domain)) {
      return this.refuse(attempt, 'domain_refused', new ForbiddenError(`Accounts of ${domain} cannot sign in to Forewarn`, 'SSO_DOMAIN_REFUSED'));
    }
    const user = await this.admit(claims, email, attempt);
    await this.audit.record(null, { actorId: user.id, action: 'sso_login', entityType: 'user', entityId: user.id, meta: { email, sub: claims.sub, issuer: this.config.issuer, role: user.role, ip } });
    return this.auth.issueSession(user);
  }

  /** The account behind the claims, with the provider's role and office applied, or a refusal. */
  private async admit(claims: oidc.IDToken, email: string, attempt: Attempt): Promise<User> {
    const mapped = Object.keys(this.config.roleMap).length > 0;
    const role = this.mapRole(claims[this.config.roleClaim]);
    if (mapped && !role) return this.refuse(attempt, 'no_role', new ForbiddenError('None of your groups at the identity provider has a Forewarn role; ask an admin', 'SSO_NO_ROLE'));
    const existing = await this.users.findByEmail(email);
    const office = await this.mapOffice(this.config.officeClaim ? claims[this.config.officeClaim] : undefined);
    if (!existing) {
      if (!this.config.jit) return this.refuse(attempt, 'unknown_user', new ForbiddenError(`There is no Forewarn account for ${email}; ask an admin`, 'SSO_UNKNOWN_USER'));
      if (needsOffice(role!) && !office) return this.refuse(attempt, 'no_office', new ForbiddenError('Your office is not known to Forewarn; ask an admin', 'SSO_NO_OFFICE'));
      const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim() : email;
      // two first sign-ins at once: the second finds the account the first made
      return this.users
        .createFromSso({ email, displayName: name, role: role!, officeId: needsOffice(role!) ? office : null })
        .catch(async (e) => (await this.users.findByEmail(email)) ?? Promise.reject(e));
    }
    if (!existing.active) return this.refuse(attempt, 'disabled', new UnauthenticatedError('This account is disabled; ask an admin', 'ACCOUNT_DISABLED'), existing.id);
    if (!mapped) return existing;
    const officeId = needsOffice(role!) ? (office ?? existing.officeId) : null;
    if (needsOffice(role!) && !officeId) return this.refuse(attempt, 'no_office', new ForbiddenError('Your office is not known to Forewarn; ask an admin', 'SSO_NO_OFFICE'), existing.id);
    return this.users.applySsoProfile(existing, { role: role!, officeId });
  }

  private mapRole(claim: unknown): Role | null {
    const values = (Array.isArray(claim) ? claim : [claim]).filter((v): v is string => typeof v === 'string');
    const roles = values.map((v) => this.config.roleMap[v]).filter(Boolean);
    return ROLE_ORDER.find((r) => roles.includes(r)) ?? null;
  }

  /** An office named by the claim (its id or its name, any case), or null. */
  private async mapOffice(claim: unknown): Promise<string | null> {
    const value = Array.isArray(claim) ? claim[0] : claim;
    if (typeof value !== 'string' || !value.trim()) return null;
    const offices = await this.db.read((m) => m.getRepository(Office).find({ select: { id: true, name: true } }));
    const v = value.trim().toLowerCase();
    return offices.find((o) => o.id === v || o.name.toLowerCase() === v)?.id ?? null;
  }

  private async refuse(attempt: Attempt, reason: string, error: DomainError, userId: string | null = null): Promise<never> {
    await this.audit.record(null, {
      actorId: userId,
      action: 'sso_login_failed',
      entityType: 'user',
      entityId: userId,
      meta: { reason, email: attempt.email ?? null, sub: attempt.sub ?? null, issuer: this.config.issuer, ip: attempt.ip },
    });
    throw error;
  }

  /** The discovered configuration, checking times by the injected clock. */
  private withClock(discovered: oidc.Configuration): oidc.Configuration {
    const config = new oidc.Configuration(
      discovered.serverMetadata(),
      this.config.clientId,
      { client_secret: this.config.clientSecret, [oidc.clockSkew]: Math.round((this.clock.now() - Date.now()) / 1000) },
      oidc.ClientSecretBasic(this.config.clientSecret),
    );
    if (this.insecure) oidc.allowInsecureRequests(config);
    return config;
  }

  /** Plain http, allowed by the configuration only for a provider on loopback. */
  private get insecure(): boolean {
    return new URL(this.config.issuer).protocol === 'http:';
  }

  /** The provider's metadata, discovered once (again after a failure). */
  private configuration(): Promise<oidc.Configuration> {
    if (!this.config.enabled) return Promise.reject(new NotFoundError('Single sign-on', 'configuration'));
    this.discovered ??= oidc
      .discovery(new URL(this.config.issuer), this.config.clientId, undefined, oidc.ClientSecretBasic(this.config.clientSecret), {
        execute: this.insecure ? [oidc.allowInsecureRequests] : [],
      })
      .catch((e) => {
        this.discovered = null;
        this.logger.error(`OpenID Connect discovery at ${this.config.issuer} failed: ${(e as Error).message}`);
        throw new SsoUnavailableError();
      });
    return this.discovered;
  }
}

/** 503: the identity provider cannot be reached. */
export class SsoUnavailableError extends DomainError {
  readonly status = 503;
  constructor() {
    super('SSO_UNAVAILABLE', 'The identity provider cannot be reached right now; try again in a minute or sign in with your password');
  }
}

const needsOffice = (role: Role) => role === 'recruiter' || role === 'coordinator';

/** A stable reason (for the audit log) and a short message, from openid-client's errors. */
function describe(e: unknown): { code: string; message: string } {
  type Coded = { code?: string; error?: string; message?: string; cause?: unknown };
  const outer = e as Coded;
  // openid-client wraps oauth4webapi's error, which names the claim
  const err = outer.cause instanceof Error ? (outer.cause as Coded) : outer;
  const claim = (err.cause as { claim?: string } | undefined)?.claim;
  const message = (err.message ?? 'unknown error').slice(0, 200);
  if (claim === 'aud' || /"aud"/.test(message)) return { code: 'wrong_audience', message: 'the token was issued to another application' };
  if (err.code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED' || /"exp"|expired/i.test(message)) return { code: 'token_expired', message: 'the token has expired' };
  if (claim === 'nonce' || /nonce/i.test(message)) return { code: 'nonce_mismatch', message: 'the token belongs to another sign-in' };
  return { code: (err.error ?? err.code ?? outer.code ?? 'token_refused').toLowerCase().slice(0, 40), message };
}
