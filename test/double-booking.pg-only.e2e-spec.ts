import { blockedStatement, rawClient } from './helpers/pg-locks';
import { createTestApp, TestApp } from './helpers/test-app';

/**
 * Two bookings of the same recruiter at once, where only the recruiter's row lock keeps them apart:
 * on PostgreSQL (READ COMMITTED) both clash checks would otherwise read before either commits and
 * both book. The other booking here is a raw transaction that takes the recruiter's lock as the
 * service does and then makes its appearance active; the request must wait for it and then see the
 * clash. (SQLite runs one write transaction at a time, so it cannot show a missing lock.)
 */
describe('double-booking under concurrent bookings (PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: '2026-01-15T12:00:00Z' });
  });
  afterAll(() => t.close());

  it('a booking made while another booking of the same recruiter is being written waits for it, then gets 409 DOUBLE_BOOKED', async () => {
    const office = await t.factories.office();
    const rec = await t.factories.user('recruiter', { officeId: office.id });
    const inst = await t.factories.institution({ timeZone: 'America/New_York' });
    const startsAt = Date.parse('2026-04-01T14:00:00Z');
    // the other booking: written (inactive) beforehand, made active inside the raw transaction
    const other = await t.factories.appearance({
      officeId: office.id,
      institutionId: inst.id,
      title: 'Concurrent booking',
      startsAt,
      endsAt: startsAt + 2 * 3600_000,
      status: 'cancelled',
      recruiterIds: [rec.id],
    });
    const raw = await rawClient(t.db);
    try {
      await raw.query('BEGIN');
      await raw.query('SELECT id FROM users WHERE id = $1 FOR UPDATE', [rec.id]);
      await raw.query(`UPDATE appearances SET status = 'planned' WHERE id = $1`, [other.id]);
      let settled = false;
      const pending = t
        .http()
        .post('/appearances')
        .set(t.auth(rec))
        .send({
          institutionId: inst.id,
          kind: 'info_session',
          title: 'Second booking',
          startsAt: '2026-04-01T10:30:00-04:00',
          endsAt: '2026-04-01T12:30:00-04:00',
          format: 'in_person',
          audience: 'public',
          recruiterIds: [rec.id],
        })
        .then((r) => {
          settled = true;
          return r;
        });
      // the request waits for the recruiter's row, before its clash check reads
      const waiting = await blockedStatement(raw, () => settled);
      expect(waiting).toMatch(/FROM "users"[\s\S]*FOR UPDATE/);
      await raw.query('COMMIT');
      const res = await pending;
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'DOUBLE_BOOKED', details: { appearanceId: other.id, title: 'Concurrent booking' } });
    } finally {
      await raw.end();
    }
    expect(await t.db.query(`SELECT COUNT(*)::int AS n FROM appearances WHERE title = 'Second booking'`)).toEqual([{ n: 0 }]);
  });
});
