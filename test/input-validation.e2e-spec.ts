import { Appearance } from '../src/appearances/appearance.entity';
import { Incident } from '../src/incidents/incident.entity';
import { Institution } from '../src/institutions/institution.entity';
import { Office } from '../src/offices/office.entity';
import { User } from '../src/users/user.entity';
import { createTestApp, TestApp } from './helpers/test-app';

const NOW = Date.UTC(2026, 0, 15, 12);
const COUNTED = ['appearances', 'incidents', 'reception_entries', 'institutions', 'offices', 'users', 'audit_entries', 'risk_assessments', 'outcomes'];

/** Forms @IsISO8601({ strict: true }) let through that new Date() cannot read (NaN) or reads in the server's zone. */
const NOT_INSTANTS = [
  '2026-W02-1', // week date
  '2026-010', // ordinal date
  '2026-01-10T10', // hour only
  '20260110T100000Z', // basic format
  '2026-01-10T10:00:00', // no offset: would be read in the server's zone
  '2026-01-10 10:00:00Z', // space instead of T
  '2026-02-30T10:00:00Z', // no such day
  '2026-01-10T24:00:00Z', // no such hour
  '2026-01-10T10:00:00+25:00', // no such offset
  '0202-01-10T10:00:00Z', // year typo
  '1899-12-31T23:00:00Z', // before 1990
  '2201-01-01T00:00:00Z', // after 2200
  'yesterday',
];
const DATES = ['2026-01-10', '2025-12-01'];
const BAD_DATES = ['2026-02-30', '1989-12-31', '2026-1-10'];

describe('input validation: instants and nulls are refused with a 400 naming the field, nothing written', () => {
  let t: TestApp;
  let admin: User;
  let office: Office;
  let inst: Institution;
  let A: { Authorization: string };

  beforeAll(async () => {
    t = await createTestApp({ now: NOW });
    admin = await t.factories.user('admin');
    office = await t.factories.office();
    inst = await t.factories.institution();
    A = t.auth(admin);
  });
  afterAll(() => t.close());

  async function counts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const table of COUNTED) out[table] = Number((await t.db.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
    return out;
  }

  function expect400(res: { status: number; body: { code?: string; fields?: Record<string, string> } }, field: string, what: string): void {
    if (res.status !== 400 || !res.body.fields?.[field]) throw new Error(`${what}: expected 400 naming ${field}, got ${res.status} ${JSON.stringify(res.body)}`);
  }

  describe('F10: one instant form everywhere', () => {
    const incidentBody = (occurredAt: unknown) => ({ institutionId: inst.id, kind: 'table_blocked', occurredAt, severity: 2, target: 'organisation', source: 'first_hand' });
    const previewBody = (o: Record<string, unknown>) => ({
      institutionId: inst.id,
      startsAt: '2026-02-01T10:00:00Z',
      kind: 'career_fair',
      format: 'in_person',
      audience: 'public',
      visibleBranding: false,
      ...o,
    });

    /** Every instant field: how to send a value, and whether a plain date (00:00 UTC) is meant there. */
    const cases: Array<{ name: string; field: string; date: boolean; send: (v: string) => Promise<{ status: number; body: any }> }> = [
      { name: 'POST /incidents occurredAt', field: 'occurredAt', date: false, send: (v) => t.http().post('/incidents').set(A).send(incidentBody(v)) },
      { name: 'POST reception effectiveAt', field: 'effectiveAt', date: true, send: (v) => t.http().post(`/institutions/${inst.id}/reception`).set(A).send({ kind: 'welcomed', effectiveAt: v }) },
      {
        name: 'POST /risk/preview startsAt',
        field: 'startsAt',
        date: false,
        send: (v) =>
          t
            .http()
            .post('/risk/preview')
            .set(A)
            .send(previewBody({ startsAt: v })),
      },
      {
        name: 'POST /risk/preview asOf',
        field: 'asOf',
        date: true,
        send: (v) =>
          t
            .http()
            .post('/risk/preview')
            .set(A)
            .send(previewBody({ asOf: v })),
      },
      ...(['from', 'to'] as const).flatMap((field) => [
        {
          name: `GET /appearances ${field}`,
          field,
          date: true,
          send: (v: string) =>
            t
              .http()
              .get('/appearances')
              .query({ [field]: v })
              .set(A),
        },
        {
          name: `GET /incidents ${field}`,
          field,
          date: true,
          send: (v: string) =>
            t
              .http()
              .get('/incidents')
              .query({ [field]: v })
              .set(A),
        },
        {
          name: `GET /audit ${field}`,
          field,
          date: true,
          send: (v: string) =>
            t
              .http()
              .get('/audit')
              .query({ [field]: v })
              .set(A),
        },
        {
          name: `GET /reports/outcomes ${field}`,
          field,
          date: true,
          send: (v: string) =>
            t
              .http()
              .get('/reports/outcomes')
              .query({ [field]: v, ...(field === 'to' ? { from: '2025-01-01' } : {}) })
              .set(A),
        },
        {
          name: `GET /reports/incident-trend ${field}`,
          field,
          date: true,
          send: (v: string) =>
            t
              .http()
              .get('/reports/incident-trend')
              .query({ [field]: v, ...(field === 'to' ? { from: '2025-01-01' } : {}) })
              .set(A),
        },
      ]),
    ];

    it.each(cases)('$name refuses every other form with a 400 naming the field and the expected form', async (c) => {
      const before = await counts();
      const bad = [...NOT_INSTANTS, ...BAD_DATES, ...(c.date ? [] : DATES)];
      for (const v of bad) {
        const res = await c.send(v);
        expect400(res, c.field, `${c.name} = ${v}`);
        expect(res.body.fields[c.field]).toMatch(/offset|date|year/);
      }
      expect(await counts()).toEqual(before);
      const res = await c.send('2026-01-10T10:00:00');
      expect(res.body.fields[c.field]).toContain('2026-03-09T10:00:00Z');
      const typo = await c.send('0202-01-10T10:00:00Z');
      expect(typo.body.fields[c.field]).toMatch(/1990 and 2200/);
    });

    it.each(cases)('$name accepts Z, ±HH:MM, minutes-only and fractions (and a date where a date is meant)', async (c) => {
      const good = ['2026-01-10T15:00:00Z', '2026-01-10T10:00-05:00', '2026-01-10T10:00:00.250-05:00', '2026-01-10T16:00:00+01:00', ...(c.date ? DATES : [])];
      for (const v of good) {
        const res = await c.send(v);
        if (res.status >= 300) throw new Error(`${c.name} = ${v}: expected success, got ${res.status} ${JSON.stringify(res.body)}`);
      }
    });

    it('an offset-less date-time is never read in the server zone: the same instant in any offset gives the same row', async () => {
      const a = await t.http().post('/incidents').set(A).send(incidentBody('2026-01-12T10:00:00-05:00')).expect(201);
      const b = await t.http().post('/incidents').set(A).send(incidentBody('2026-01-12T15:00Z')).expect(201);
      expect(a.body.occurredAt).toBe('2026-01-12T15:00:00.000Z');
      expect(b.body.occurredAt).toBe(a.body.occurredAt);
      const r = await t.http().post(`/institutions/${inst.id}/reception`).set(A).send({ kind: 'welcomed', effectiveAt: '2025-06-12' }).expect(201);
      expect(r.body.effectiveAt).toBe('2025-06-12T00:00:00.000Z');
    });

    it('PATCH /incidents/:id occurredAt refuses the same forms and leaves the row as it was', async () => {
      const incident = await t.factories.incident({ institutionId: inst.id });
      const before = await t.db.getRepository(Incident).findOneByOrFail({ id: incident.id });
      for (const v of [...NOT_INSTANTS, '2026-01-10']) {
        expect400(await t.http().patch(`/incidents/${incident.id}`).set(A).send({ occurredAt: v }), 'occurredAt', `occurredAt = ${v}`);
      }
      expect(await t.db.getRepository(Incident).findOneByOrFail({ id: incident.id })).toEqual(before);
    });

    it('appearances keep their own forms (instants with offset, or local times with a zone) but refuse years outside 1990–2200', async () => {
      const base = { institutionId: inst.id, officeId: office.id, kind: 'career_fair', title: 'Fair', format: 'in_person', audience: 'public' };
      const before = await counts();
      const post = (o: Record<string, unknown>) =>
        t
          .http()
          .post('/appearances')
          .set(A)
          .send({ ...base, ...o });
      expect400(await post({ startsAt: '1899-03-09T10:00:00-05:00', endsAt: '1899-03-09T14:00:00-05:00' }), 'startsAt', 'startsAt 1899');
      expect400(await post({ startsAt: '2026-03-09T10:00:00-05:00', endsAt: '2201-03-09T14:00:00-05:00' }), 'endsAt', 'endsAt 2201');
      expect400(await post({ startsLocal: '0202-03-09T10:00', endsLocal: '0202-03-09T14:00', timeZone: 'America/New_York' }), 'startsLocal', 'startsLocal 0202');
      const typo = await post({ startsLocal: '2026-03-09T10:00', endsLocal: '20266-03-09T14:00', timeZone: 'America/New_York' });
      expect(typo.status).toBe(400);
      expect(await counts()).toEqual(before);

      const ok = await post({ startsLocal: '2026-03-09T10:00', endsLocal: '2026-03-09T14:00', timeZone: 'America/New_York' }).expect(201);
      expect(ok.body.startsAtLocal).toBe('2026-03-09T10:00:00.000-04:00');
      await post({ startsAt: '2026-03-10T10:00:00-04:00', endsAt: '2026-03-10T14:00:00-04:00' }).expect(201);
      const moved = await t.http().patch(`/appearances/${ok.body.id}`).set(A).send({ date: '1989-03-10' });
      expect400(moved, 'date', 'date 1989');
      expect(moved.body.fields.date).toMatch(/1990 and 2200/);
      const row = await t.db.getRepository(Appearance).findOneByOrFail({ id: ok.body.id });
      expect(row.version).toBe(1);
    });
  });

  describe('F11: null is refused where the column is NOT NULL, accepted where null means unset', () => {
    async function nulls<T extends { id: string }>(what: string, entity: new () => T, id: string, path: string, fields: string[], H = A): Promise<void> {
      const repo = t.db.getRepository(entity);
      const before = await repo.findOneByOrFail({ id } as never);
      const auditBefore = await counts();
      for (const field of fields) {
        const res = await t
          .http()
          .patch(path)
          .set(H)
          .send({ [field]: null });
        expect400(res, field, `${what} ${field}: null`);
      }
      expect(await repo.findOneByOrFail({ id } as never)).toEqual(before);
      expect(await counts()).toEqual(auditBefore);
    }

    it('PATCH /appearances/:id', async () => {
      const a = await t.factories.appearance({ institutionId: inst.id, officeId: office.id });
      await nulls('appearance', Appearance, a.id, `/appearances/${a.id}`, [
        'title',
        'kind',
        'format',
        'audience',
        'visibleBranding',
        'protestAnnounced',
        'venue',
        'timeZone',
        'startsAt',
        'endsAt',
        'startsLocal',
        'endsLocal',
        'date',
        'institutionId',
        'officeId',
        'recruiterIds',
        'allowDoubleBooking',
        'version',
      ]);
      const res = await t.http().patch(`/appearances/${a.id}`).set(A).send({ expectedAttendance: null, briefingOffsets: null }).expect(200);
      expect(res.body).toMatchObject({ expectedAttendance: null, briefingOffsets: null });
      for (const action of ['confirm', 'complete']) expect400(await t.http().post(`/appearances/${a.id}/${action}`).set(A).send({ version: null }), 'version', `${action} version: null`);
    });

    it('POST /appearances refuses null for fields that may only be left out', async () => {
      const before = await counts();
      const base = {
        institutionId: inst.id,
        officeId: office.id,
        kind: 'career_fair',
        title: 'Fair',
        format: 'in_person',
        audience: 'public',
        startsAt: '2026-03-10T10:00:00-04:00',
        endsAt: '2026-03-10T14:00:00-04:00',
      };
      for (const field of ['officeId', 'venue', 'timeZone', 'visibleBranding', 'protestAnnounced', 'recruiterIds']) {
        expect400(
          await t
            .http()
            .post('/appearances')
            .set(A)
            .send({ ...base, [field]: null }),
          field,
          `create ${field}: null`,
        );
      }
      expect(await counts()).toEqual(before);
    });

    it('PATCH /institutions/:id', async () => {
      const i = await t.factories.institution();
      await nulls('institution', Institution, i.id, `/institutions/${i.id}`, [
        'name',
        'kind',
        'timeZone',
        'city',
        'state',
        'country',
        'limitsImmigrationCooperation',
        'requiresAdvanceNotice',
        'version',
      ]);
      const res = await t.http().patch(`/institutions/${i.id}`).set(A).send({ externalId: null, ownership: null, advanceNoticeDays: null }).expect(200);
      expect(res.body).toMatchObject({ externalId: null, ownership: null, advanceNoticeDays: null });
    });

    it('PATCH /incidents/:id (occurredAt: null used to store 1970)', async () => {
      const appearance = await t.factories.appearance({ institutionId: inst.id, officeId: office.id, startsAt: NOW - 3 * 86_400_000 });
      const i = await t.factories.incident({ institutionId: inst.id, appearanceId: appearance.id });
      await nulls('incident', Incident, i.id, `/incidents/${i.id}`, ['occurredAt', 'severity', 'kind', 'crowdSize', 'impact', 'target', 'source', 'version']);
      const res = await t.http().patch(`/incidents/${i.id}`).set(A).send({ appearanceId: null, description: null }).expect(200);
      expect(res.body).toMatchObject({ appearanceId: null, description: null });
      const before = await counts();
      for (const field of ['crowdSize', 'impact']) {
        const body = { institutionId: inst.id, kind: 'table_blocked', occurredAt: '2026-01-10T15:00:00Z', severity: 2, target: 'organisation', source: 'first_hand', [field]: null };
        expect400(await t.http().post('/incidents').set(A).send(body), field, `create incident ${field}: null`);
      }
      expect(await counts()).toEqual(before);
    });

    it('PATCH /offices/:id', async () => {
      const o = await t.factories.office();
      await nulls('office', Office, o.id, `/offices/${o.id}`, ['name', 'region', 'timeZone']);
    });

    it('PATCH /users/:id (officeId: null unsets the office of a user who needs none)', async () => {
      const u = await t.factories.user('hr', { officeId: office.id });
      await nulls('user', User, u.id, `/users/${u.id}`, ['displayName', 'role', 'active', 'password']);
      const res = await t.http().patch(`/users/${u.id}`).set(A).send({ officeId: null }).expect(200);
      expect(res.body.officeId).toBeNull();
    });

    it('POST /risk/preview asOf: null is refused (it used to mean 1970)', async () => {
      const res = await t
        .http()
        .post('/risk/preview')
        .set(A)
        .send({ institutionId: inst.id, startsAt: '2026-02-01T10:00:00Z', kind: 'career_fair', format: 'in_person', audience: 'public', visibleBranding: false, asOf: null });
      expect400(res, 'asOf', 'asOf: null');
    });
  });
});
