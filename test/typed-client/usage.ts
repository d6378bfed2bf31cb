/*
 * A realistic use of the client generated from the OpenAPI document (openapi-typescript types +
 * openapi-fetch). The e2e suite generates ./forewarn-api.d.ts from the running app's document,
 * compiles this file with `tsc --strict` and runs tour() against the test server.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './forewarn-api';

type Appearance = components['schemas']['AppearanceDetailView'];
type Notification = components['schemas']['NotificationView'];
type OutcomesReport = components['schemas']['OutcomesReportView'];

export interface TourResult {
  signedInAs: string;
  tokenType: string;
  appearance: Pick<Appearance, 'id' | 'startsAt' | 'startsAtLocal' | 'timeZone' | 'version'> & { level: string | null };
  notifications: { total: number; kinds: Notification['kind'][] };
  report: { groupBy: OutcomesReport['groupBy']; totalAppearances: number; rows: number };
  calendarWebcalUrl: string;
}

function fail(what: string, error: unknown): never {
  throw new Error(`${what}: ${JSON.stringify(error)}`);
}

export async function tour(baseUrl: string, email: string, password: string, check?: Middleware): Promise<TourResult> {
  const anonymous = createClient<paths>({ baseUrl });
  const login = await anonymous.POST('/auth/login', { body: { email, password } });
  if (!login.data) fail('sign-in', login.error);
  const { accessToken, tokenType, user } = login.data;

  const api = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${accessToken}` } });
  if (check) api.use(check);

  const office = await api.POST('/offices', { body: { name: 'Typed Client Field Office', region: 'Great Lakes', timeZone: 'America/New_York' } });
  if (!office.data) fail('office', office.error);
  const institution = await api.POST('/institutions', {
    body: { name: 'Typed Client State University', kind: 'university', city: 'Kent', state: 'OH', timeZone: 'America/New_York' },
  });
  if (!institution.data) fail('institution', institution.error);
  // A coordinator of the office: briefings for the office's appearances go to them.
  const coordinator = await api.POST('/users', {
    body: { email: 'typed.coordinator@agency.example', displayName: 'Casey Coordinator', role: 'coordinator', officeId: office.data.id, password: 'vellum-Quarry-41-orbit' },
  });
  if (!coordinator.data) fail('coordinator', coordinator.error);

  const created = await api.POST('/appearances', {
    body: {
      institutionId: institution.data.id,
      officeId: office.data.id,
      kind: 'career_fair',
      title: 'Spring career fair',
      startsLocal: '2026-11-05T10:00',
      endsLocal: '2026-11-05T14:00',
      timeZone: 'America/New_York',
      venue: 'Student Center Ballroom',
      format: 'in_person',
      audience: 'public',
      expectedAttendance: 300,
    },
  });
  if (!created.data) fail('appearance', created.error);
  const a: Appearance = created.data;

  const again = await api.GET('/appearances/{id}', { params: { path: { id: a.id } } });
  if (!again.data) fail('appearance read', again.error);

  const notifications = await api.GET('/notifications', { params: { query: { appearanceId: a.id, pageSize: 50 } } });
  if (!notifications.data) fail('notifications', notifications.error);

  const report = await api.GET('/reports/outcomes', { params: { query: { groupBy: 'month' } } });
  // JSON unless the client asks for text/csv: the document offers both.
  if (!report.data || typeof report.data === 'string') fail('report', report.error);

  const me = await api.GET('/me');
  if (!me.data) fail('me', me.error);

  return {
    signedInAs: user.email,
    tokenType,
    appearance: {
      id: again.data.id,
      startsAt: again.data.startsAt,
      startsAtLocal: again.data.startsAtLocal,
      timeZone: again.data.timeZone,
      version: again.data.version,
      level: again.data.risk?.level ?? null,
    },
    notifications: { total: notifications.data.total, kinds: notifications.data.items.map((n) => n.kind) },
    report: { groupBy: report.data.groupBy, totalAppearances: report.data.totals.appearances, rows: report.data.rows.length },
    calendarWebcalUrl: me.data.calendarWebcalUrl,
  };
}
