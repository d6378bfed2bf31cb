import type { Role } from '../common/enums';

/**
 * What an API token may be used for. A scope names a resource and read or write; a request needs
 * the scope of its route (below), and the token's owner must still hold a role that may use it —
 * scopes only ever narrow what the role allows, the roles on each handler are checked as well.
 */
export const SCOPES = {
  'appearances:read': 'Read appearances, their risk assessments and previews',
  'appearances:write': 'Create, change, confirm, cancel and complete appearances',
  'outcomes:read': 'Read debriefs and which are due',
  'outcomes:write': 'File and correct debriefs',
  'incidents:read': 'Read incidents (each read is logged)',
  'incidents:write': 'Record and change incidents',
  'institutions:read': 'Read and export institutions',
  'institutions:write': 'Create, change and merge institutions',
  'reception:read': 'Read the reception ledger',
  'reception:write': 'Add reception entries',
  'imports:read': 'Read import reports',
  'imports:write': 'Import institutions and incidents from CSV',
  'reports:read': 'Read reports: outcomes, trends, model accountability, mitigations, evidence',
  'notifications:read': 'Read the outbox and what needs attention',
  'notifications:write': 'Acknowledge and retry notifications',
  'risk:read': 'Read the risk model parameters and topic relations',
  'risk:write': 'Change the risk model parameters and topic relations',
  'users:read': 'Read users',
  'users:write': 'Create and change users',
  'offices:read': 'Read offices',
  'offices:write': 'Create and change offices',
  'audit:read': 'Read the audit log',
  'profile:read': 'Read my own account and notification preferences (personal tokens only)',
  'profile:write': 'Change my own notification preferences (personal tokens only)',
} as const;

export type Scope = keyof typeof SCOPES;
export const SCOPE_NAMES = Object.keys(SCOPES) as Scope[];

const READ_ALL: Scope[] = ['appearances:read', 'outcomes:read', 'incidents:read', 'institutions:read', 'reception:read', 'users:read', 'offices:read', 'risk:read', 'profile:read', 'profile:write'];

/** The scopes each role can ever use, from the roles on the handlers; a token for a role asks for a subset. */
export const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  admin: SCOPE_NAMES,
  coordinator: [
    ...READ_ALL,
    'appearances:write',
    'outcomes:write',
    'incidents:write',
    'institutions:write',
    'reception:write',
    'imports:read',
    'imports:write',
    'reports:read',
    'notifications:read',
    'notifications:write',
  ],
  recruiter: [...READ_ALL, 'appearances:write', 'outcomes:write', 'incidents:write', 'institutions:write', 'reception:write'],
  hr: [...READ_ALL, 'reports:read', 'audit:read'],
};

/** Roles a service token may act with: recruiters act only as themselves (a personal token). */
export const SERVICE_ROLES: readonly Role[] = ['coordinator', 'hr', 'admin'];

/** Routes an API token never opens, whatever its scopes: tokens and sessions are managed signed in. */
const SESSION_ONLY = [/^\/auth(\/|$)/, /^\/me\/tokens(\/|$)/, /^\/tokens(\/|$)/, /^\/me\/calendar-token$/];

/** First match wins: [route pattern, resource]; the method then picks read (GET, HEAD) or write. */
const ROUTE_RESOURCES: [RegExp, string, { readOnly?: boolean }?][] = [
  [/^\/appearances\/[^/]+\/outcome$/, 'outcomes'],
  [/^\/outcomes(\/|$)/, 'outcomes'],
  [/^\/risk\/preview$/, 'appearances', { readOnly: true }], // a what-if preview saves nothing
  [/^\/risk(\/|$)/, 'risk'],
  [/^\/appearances(\/|$)/, 'appearances'],
  [/^\/(institutions|incidents)\/import$/, 'imports'],
  [/^\/imports(\/|$)/, 'imports'],
  [/^\/institutions\/export$/, 'institutions'],
  [/^\/institutions\/[^/]+\/reception(\/|$)/, 'reception'],
  [/^\/reception(\/|$)/, 'reception'],
  [/^\/institutions(\/|$)/, 'institutions'],
  [/^\/incidents(\/|$)/, 'incidents'],
  [/^\/reports(\/|$)/, 'reports'],
  [/^\/attention(\/|$)/, 'notifications', { readOnly: true }],
  [/^\/notifications(\/|$)/, 'notifications'],
  [/^\/me\/notification-preferences$/, 'profile'],
  [/^\/me$/, 'profile'],
  [/^\/users(\/|$)/, 'users'],
  [/^\/offices(\/|$)/, 'offices'],
  [/^\/audit(\/|$)/, 'audit'],
];

/**
 * The scope a request needs, from its route pattern (e.g. "/appearances/:id") and method; null when
 * no API token may call it (token management, sign-in, a route not listed: closed by default).
 */
export function scopeFor(method: string, route: string): Scope | null {
  if (SESSION_ONLY.some((r) => r.test(route))) return null;
  const hit = ROUTE_RESOURCES.find(([r]) => r.test(route));
  if (!hit) return null;
  const read = hit[2]?.readOnly || method === 'GET' || method === 'HEAD';
  const scope = `${hit[1]}:${read ? 'read' : 'write'}`;
  return scope in SCOPES ? (scope as Scope) : null;
}

/** The scopes a role may not hold, of those asked for (empty: all fine). */
export function scopesBeyondRole(role: Role, scopes: readonly string[]): string[] {
  return scopes.filter((s) => !ROLE_SCOPES[role].includes(s as Scope));
}
