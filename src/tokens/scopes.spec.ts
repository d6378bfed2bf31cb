import { ROLE_SCOPES, SCOPE_NAMES, scopeFor, scopesBeyondRole } from './scopes';

describe('API token scopes', () => {
  it.each([
    ['GET', '/appearances', 'appearances:read'],
    ['GET', '/appearances/:id', 'appearances:read'],
    ['POST', '/appearances', 'appearances:write'],
    ['PATCH', '/appearances/:id', 'appearances:write'],
    ['GET', '/appearances/:id/risk', 'appearances:read'],
    ['POST', '/risk/preview', 'appearances:read'],
    ['PUT', '/appearances/:id/outcome', 'outcomes:write'],
    ['GET', '/appearances/:id/outcome', 'outcomes:read'],
    ['GET', '/outcomes/due', 'outcomes:read'],
    ['GET', '/reports/outcomes', 'reports:read'],
    ['POST', '/incidents', 'incidents:write'],
    ['GET', '/incidents/:id', 'incidents:read'],
    ['POST', '/incidents/import', 'imports:write'],
    ['POST', '/institutions/import', 'imports:write'],
    ['GET', '/imports/:id/report', 'imports:read'],
    ['GET', '/institutions/export', 'institutions:read'],
    ['POST', '/institutions/:id/reception', 'reception:write'],
    ['GET', '/reception', 'reception:read'],
    ['DELETE', '/institutions/:id', 'institutions:write'],
    ['GET', '/attention', 'notifications:read'],
    ['POST', '/notifications/:id/retry', 'notifications:write'],
    ['GET', '/me', 'profile:read'],
    ['PUT', '/me/notification-preferences', 'profile:write'],
    ['PUT', '/risk/topic-relations', 'risk:write'],
    ['GET', '/audit', 'audit:read'],
    ['PATCH', '/users/:id', 'users:write'],
    ['POST', '/offices', 'offices:write'],
  ])('%s %s needs %s', (method, route, scope) => {
    expect(scopeFor(method, route)).toBe(scope);
  });

  it.each([
    ['POST', '/auth/logout'],
    ['POST', '/me/tokens'],
    ['GET', '/me/tokens'],
    ['DELETE', '/tokens/:id'],
    ['POST', '/me/calendar-token'],
    ['GET', '/something-new'],
  ])('%s %s is closed to API tokens', (method, route) => {
    expect(scopeFor(method, route)).toBeNull();
  });

  it('admins can hold every scope; hr no write scope but profile', () => {
    expect(ROLE_SCOPES.admin).toEqual(SCOPE_NAMES);
    expect(ROLE_SCOPES.hr.filter((s) => s.endsWith(':write'))).toEqual(['profile:write']);
  });

  it('names the scopes a role cannot hold', () => {
    expect(scopesBeyondRole('hr', ['reports:read', 'incidents:write', 'audit:read'])).toEqual(['incidents:write']);
    expect(scopesBeyondRole('recruiter', ['reports:read', 'appearances:write'])).toEqual(['reports:read']);
    expect(scopesBeyondRole('coordinator', ['imports:write'])).toEqual([]);
  });
});
