import { randomUUID } from 'node:crypto';
import { DomainEvents } from '../src/common/domain-events';
import { Notification } from '../src/notifications/notification.entity';
import { RiskAssessment } from '../src/risk/risk-assessment.entity';
import { RiskSeqUnique1795972202658 } from '../src/database/migrations/1795972202658-RiskSeqUnique';
import { RiskSnapshotWriteIndexes1796100000000 } from '../src/database/migrations/1796100000000-RiskSnapshotWriteIndexes';
import { REFRESH_LOCK_KEY } from '../src/risk/risk-locks';
import { RiskService } from '../src/risk/risk.service';
import type { User } from '../src/users/user.entity';
import { dispatcher, emit, withMail } from './helpers/notifications';
import { TestSmtpServer } from './helpers/smtp-server';
import { createTestApp, TestApp } from './helpers/test-app';
import { databaseOf } from '../src/database/database.service';

const DAY = 86_400_000;

/**
 * Level rises → escalation mail exactly once per rise and recipient, whichever instance or
 * concurrent re-assessment stored the snapshot; a new appearance that is already High alerts at
 * once; snapshots are numbered uniquely; the daily refresh runs on one instance at a time.
 */
describe('risk alerts: one escalation per rise, at once for a new High appearance', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let risk: RiskService;
  let office: { id: string };
  let coord: User;
  let rec: User;

  beforeAll(async () => {
    smtp = await TestSmtpServer.start();
    t = await createTestApp({ now: '2026-01-15T12:00:00Z', override: withMail({ smtpUrl: smtp.url }) });
    risk = t.app.get(RiskService);
    office = await t.factories.office();
    coord = await t.factories.user('coordinator', { officeId: office.id });
    rec = await t.factories.user('recruiter', { officeId: office.id });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const escalations = (appearanceId: string) => t.db.getRepository(Notification).find({ where: { appearanceId, kind: 'escalation' }, order: { recipientEmail: 'ASC' } });

  it('creating an appearance that is already High sends an escalation at once to its recruiters and coordinators', async () => {
    const inst = await t.factories.institution({ state: 'RI' });
    const starts = new Date(t.clock.now() + 30 * DAY);
    const res = await t
      .http()
      .post('/appearances')
      .set(t.auth(coord))
      .send({
        institutionId: inst.id,
        officeId: office.id,
        kind: 'career_fair',
        title: 'Fair with an announced protest',
        startsAt: starts.toISOString(),
        endsAt: new Date(starts.getTime() + 4 * 3_600_000).toISOString(),
        format: 'in_person',
        audience: 'public',
        visibleBranding: false,
        protestAnnounced: true,
        recruiterIds: [rec.id],
      })
      .expect(201);
    expect(['high', 'critical']).toContain(res.body.risk.level);
    const list = await escalations(res.body.id);
    expect(new Set(list.map((n) => n.recipientId))).toEqual(new Set([coord.id, rec.id]));
    expect(list.every((n) => n.dueAt === t.clock.now() && n.status === 'pending' && n.payload.from === null && n.payload.to === res.body.risk.level)).toBe(true);
    // the next dispatcher tick sends them: no waiting for the 14-day briefing
    await dispatcher(t).dispatchDue(t.clock.now());
    expect(smtp.messages.flatMap((m) => m.rcptTo).sort()).toEqual([coord.email, rec.email].sort());
    expect((await escalations(res.body.id)).every((n) => n.status === 'sent')).toBe(true);
  });

  it('a Low new appearance alerts nobody', async () => {
    const a = await t.factories.appearance({ officeId: office.id, recruiterIds: [rec.id] });
    const view = await t.db.transaction((m) => risk.assessAppearance(m, a.id, 'appearance_created'));
    expect(view.level).toBe('low');
    expect(await escalations(a.id)).toHaveLength(0);
  });

  it('two snapshots of the same rise (two instances) give one escalation per recipient', async () => {
    const a = await t.factories.appearance({ officeId: office.id, recruiterIds: [rec.id] });
    const first = await t.db.transaction((m) => risk.assessAppearance(m, a.id, 'appearance_created'));
    expect(first.level).toBe('low');
    const rise = { appearanceId: a.id, from: 'low', to: 'high', previousSeq: 1 };
    await emit(t, DomainEvents.RiskLevelRose, { ...rise, assessmentId: randomUUID() });
    await emit(t, DomainEvents.RiskLevelRose, { ...rise, assessmentId: randomUUID() });
    const list = await escalations(a.id);
    expect(list.map((n) => n.recipientId).sort()).toEqual([coord.id, rec.id].sort());
    // a later, different rise (from the next snapshot) is a new alert
    await emit(t, DomainEvents.RiskLevelRose, { appearanceId: a.id, from: 'high', to: 'critical', previousSeq: 2, assessmentId: randomUUID() });
    expect(await escalations(a.id)).toHaveLength(4);
  });

  it('concurrent re-assessments of one appearance store distinct seqs and alert once', async () => {
    const a = await t.factories.appearance({ officeId: office.id, recruiterIds: [rec.id] });
    await t.db.transaction((m) => risk.assessAppearance(m, a.id, 'appearance_created'));
    await t.db.query(`UPDATE appearances SET protest_announced = ${t.db.options.type === 'postgres' ? 'true' : '1'} WHERE id = '${a.id}'`);
    t.clock.advance(60_000);
    const views = await Promise.all([1, 2, 3].map(() => databaseOf(t.db).write((m) => risk.assessAppearance(m, a.id, 'appearance_updated'))));
    expect(views.every((v) => v.level === 'high')).toBe(true);
    const seqs = (await t.db.getRepository(RiskAssessment).find({ where: { appearanceId: a.id } })).map((r) => r.seq).sort();
    expect(seqs).toEqual([1, 2, 3, 4]);
    const list = await escalations(a.id);
    expect(list.map((n) => n.recipientId).sort()).toEqual([coord.id, rec.id].sort());
  });

  it('refuses a second snapshot with the same (appearance, seq)', async () => {
    const a = await t.factories.appearance({ officeId: office.id });
    const row = (seq: number) => ({
      id: randomUUID(),
      appearanceId: a.id,
      asOf: t.clock.now(),
      seq,
      trigger: 'test',
      modelVersion: 'test',
      p: 0.1,
      pSevere: 0.01,
      level: 'low' as const,
      intervalLow: 0.05,
      intervalHigh: 0.2,
      regionalWave: 0,
      detail: {},
      createdAt: t.clock.now(),
    });
    await t.db.getRepository(RiskAssessment).insert([row(1), row(2)]);
    await expect(t.db.getRepository(RiskAssessment).insert(row(1))).rejects.toThrow();
    // every row is numbered now (the last migration numbered the seq-0 rows from before numbering)
    await t.db.getRepository(RiskAssessment).insert(row(0));
    await expect(t.db.getRepository(RiskAssessment).insert(row(0))).rejects.toThrow();
  });

  it('the migrations renumber duplicate seqs stored before the unique index, and number seq-0 rows, in their order', async () => {
    const a = await t.factories.appearance({ officeId: office.id });
    const b = await t.factories.appearance({ officeId: office.id });
    const row = (appearanceId: string, seq: number, createdAt: number) => ({
      id: randomUUID(),
      appearanceId,
      asOf: createdAt,
      seq,
      trigger: `t${createdAt}`,
      modelVersion: 'test',
      p: 0.1,
      pSevere: 0.01,
      level: 'low' as const,
      intervalLow: 0.05,
      intervalHigh: 0.2,
      regionalWave: 0,
      detail: {},
      createdAt,
    });
    const qr = t.db.createQueryRunner();
    try {
      await new RiskSnapshotWriteIndexes1796100000000().down(qr);
      await new RiskSeqUnique1795972202658().down(qr);
      await t.db.getRepository(RiskAssessment).insert([row(a.id, 0, 1), row(a.id, 1, 2), row(a.id, 2, 3), row(a.id, 2, 4), row(a.id, 3, 5), row(b.id, 1, 6), row(b.id, 1, 7)]);
      await new RiskSeqUnique1795972202658().up(qr);
      const order = async (id: string) => (await t.db.getRepository(RiskAssessment).find({ where: { appearanceId: id }, order: { createdAt: 'ASC' } })).map((r) => [r.trigger, r.seq]);
      expect(await order(a.id)).toEqual([
        ['t1', 0],
        ['t2', 1],
        ['t3', 2],
        ['t4', 3],
        ['t5', 4],
      ]);
      expect(await order(b.id)).toEqual([
        ['t6', 1],
        ['t7', 2],
      ]);
      await new RiskSnapshotWriteIndexes1796100000000().up(qr);
      expect(await order(a.id)).toEqual([
        ['t1', 1],
        ['t2', 2],
        ['t3', 3],
        ['t4', 4],
        ['t5', 5],
      ]);
      expect(await order(b.id)).toEqual([
        ['t6', 1],
        ['t7', 2],
      ]);
    } finally {
      await qr.release();
    }
  });

  it('the daily refresh runs on one instance at a time and once per run', async () => {
    await t.factories.appearance({ officeId: office.id, startsAt: t.clock.now() + 3 * DAY });
    if (t.db.options.type === 'postgres') {
      // another instance holds the run
      const other = t.db.createQueryRunner();
      await other.connect();
      await other.query('SELECT pg_advisory_lock($1)', [REFRESH_LOCK_KEY]);
      try {
        expect(await risk.refreshAll('daily_refresh')).toMatchObject({ assessed: 0, skipped: true });
      } finally {
        await other.query('SELECT pg_advisory_unlock($1)', [REFRESH_LOCK_KEY]);
        await other.release();
      }
    }
    t.clock.advance(60_000);
    const since = t.clock.now();
    const first = await risk.refreshAll('daily_refresh', { unlessRanSince: since });
    expect(first.assessed).toBeGreaterThan(0);
    expect(first.skipped).toBeUndefined();
    t.clock.advance(60_000);
    expect(await risk.refreshAll('daily_refresh', { unlessRanSince: since })).toMatchObject({ assessed: 0, skipped: true });
  });

  it('commits the daily refresh in chunks of appearances, not one long transaction', async () => {
    for (let i = 0; i < 4; i++) await t.factories.appearance({ officeId: office.id, startsAt: t.clock.now() + (i + 2) * DAY });
    t.clock.advance(60_000);
    const transaction = jest.spyOn(databaseOf(t.db), 'write'); // the writes (on PostgreSQL a read is a transaction too)
    try {
      const r = await risk.refreshAll('daily_refresh', { chunkSize: 2 });
      expect(r.assessed).toBeGreaterThanOrEqual(4);
      expect(transaction).toHaveBeenCalledTimes(Math.ceil(r.assessed / 2));
    } finally {
      transaction.mockRestore();
    }
  });
});
