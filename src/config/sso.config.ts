import { registerAs } from '@nestjs/config';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min } from 'class-validator';
import { ROLES, Role } from '../common/enums';
import { ConfigError, readEnv } from './env';

class SsoEnv {
  /** The OpenID Connect provider's issuer URL; unset: single sign-on is off. */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  OIDC_ISSUER?: string = undefined;

  @IsOptional()
  @IsString()
  OIDC_CLIENT_ID?: string = undefined;

  @IsOptional()
  @IsString()
  OIDC_CLIENT_SECRET?: string = undefined;

  /** Default: PUBLIC_URL + /pages/sso/callback. */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  OIDC_REDIRECT_URI?: string = undefined;

  @IsString()
  OIDC_SCOPES: string = 'openid email profile';

  /** Comma-separated e-mail domains that may sign in (`*`: any). Required when single sign-on is on. */
  @IsOptional()
  @IsString()
  OIDC_ALLOWED_DOMAINS?: string = undefined;

  /** The claim whose values map to roles (a string or a list, e.g. groups). */
  @IsString()
  OIDC_ROLE_CLAIM: string = 'groups';

  /** `value=role,…`, e.g. `fw-admins=admin,fw-hr=hr`; set: the provider decides the role at every sign-in. */
  @IsOptional()
  @IsString()
  OIDC_ROLE_MAP?: string = undefined;

  /** A claim holding the office's name or id (for recruiters and coordinators). */
  @IsOptional()
  @IsString()
  OIDC_OFFICE_CLAIM?: string = undefined;

  /** Create unknown users at their first sign-in (needs OIDC_ROLE_MAP). */
  @IsIn(['true', 'false'])
  OIDC_JIT: string = 'false';

  /** How long the sign-in may take at the provider. */
  @IsInt()
  @Min(60)
  @Max(3600)
  OIDC_STATE_TTL_SECONDS: number = 600;
}

export interface SsoConfig {
  /** False when OIDC_ISSUER is unset: the sign-in page shows no single sign-on button. */
  enabled: boolean;
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Null: PUBLIC_URL + /pages/sso/callback. */
  redirectUri: string | null;
  scopes: string;
  /** Lower-cased; ['*'] allows any domain. */
  allowedDomains: string[];
  roleClaim: string;
  /** Claim value → role; empty: Forewarn keeps the roles it has. */
  roleMap: Record<string, Role>;
  officeClaim: string | null;
  jit: boolean;
  stateTtlMs: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function readSsoConfig(env: NodeJS.ProcessEnv = process.env): SsoConfig {
  const e = readEnv(SsoEnv, env);
  const problems: string[] = [];
  const enabled = Boolean(e.OIDC_ISSUER);
  const jit = e.OIDC_JIT === 'true';
  const roleMap: Record<string, Role> = {};
  for (const pair of (e.OIDC_ROLE_MAP ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const i = pair.lastIndexOf('=');
    const role = pair.slice(i + 1).trim() as Role;
    if (i <= 0 || !ROLES.includes(role)) problems.push(`OIDC_ROLE_MAP: "${pair}" is not value=role with a role of ${ROLES.join(', ')}`);
    else roleMap[pair.slice(0, i).trim()] = role;
  }
  if (enabled) {
    if (!e.OIDC_CLIENT_ID) problems.push('OIDC_CLIENT_ID: required when OIDC_ISSUER is set');
    if (!e.OIDC_CLIENT_SECRET) problems.push('OIDC_CLIENT_SECRET: required when OIDC_ISSUER is set');
    if (!e.OIDC_ALLOWED_DOMAINS?.trim()) problems.push('OIDC_ALLOWED_DOMAINS: required when OIDC_ISSUER is set (comma-separated domains, or * for any)');
    const issuer = new URL(e.OIDC_ISSUER!);
    if (issuer.protocol !== 'https:' && !LOOPBACK.has(issuer.hostname)) problems.push('OIDC_ISSUER: must be https (plain http only on loopback)');
    if (!e.OIDC_SCOPES.split(/\s+/).includes('openid')) problems.push('OIDC_SCOPES: must include openid');
    if (jit && !Object.keys(roleMap).length) problems.push('OIDC_JIT: creating users needs OIDC_ROLE_MAP (which role would they get?)');
  }
  if (problems.length) throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  return {
    enabled,
    issuer: e.OIDC_ISSUER ?? '',
    clientId: e.OIDC_CLIENT_ID ?? '',
    clientSecret: e.OIDC_CLIENT_SECRET ?? '',
    redirectUri: e.OIDC_REDIRECT_URI ?? null,
    scopes: e.OIDC_SCOPES,
    allowedDomains: (e.OIDC_ALLOWED_DOMAINS ?? '')
      .split(',')
      .map((d) => d.trim().toLowerCase().replace(/^@/, ''))
      .filter(Boolean),
    roleClaim: e.OIDC_ROLE_CLAIM,
    roleMap,
    officeClaim: e.OIDC_OFFICE_CLAIM ?? null,
    jit,
    stateTtlMs: e.OIDC_STATE_TTL_SECONDS * 1000,
  };
}

export const ssoConfig = registerAs('sso', () => readSsoConfig());
