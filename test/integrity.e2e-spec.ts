import { AuditService } from '../src/audit/audit.service';
import { Incident } from '../src/incidents/incident.entity';
import { RetentionService } from '../src/incidents/retention.service';
import { query, sql } from '../src/database/sql';
import { createTestApp, TestApp } from './helpers/test-app';

const DAY = 86_400_000;

describe('integrity: copies, re-assessment and audit privacy', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ now: '2026-03-01T12:00:00Z' });
  });
  afterAll(() => t.close());

  /** Snapshots of an appearance, oldest first. */
  const snapshots = async (appearanceId: string) =>
    (
      await query<{ trigger: string; regional_wave: number | string }>(t.db.manager, sql`SELECT trigger, regional_wave FROM risk_assessments WHERE appearance_id = ${appearanceId} ORDER BY seq ASC`)
    ).map((r) => ({
      trigger: r.trigger,
      wave: Number(r.regional_wave),
    }));

  describe('institution updates', () => {
    it("a state change moves the institution's incidents to the new state and re-assesses both states' upcoming appearances", async () => {
      const admin = await t.factories.user('admin');
      const moving = await t.factories.institution({ state: 'VT', city: 'Burlington' });
      const stayer = await t.factories.institution({ state: 'VT', city: 'Montpelier' });
      const newcomer = await t.factories.institution({ state: 'NH', city: 'Durham' });
      const incidents = [];
      for (const d of [3, 6, 9]) incidents.push(await t.factories.incident({ institutionId: moving.id, occurredAt: t.clock.now() - d * DAY, recordedAt: t.clock.now() - d * DAY }));
      const [aMoving, aStayer, aNewcomer] = [
        await t.factories.appearance({ institutionId: moving.id }),
        await t.factories.appearance({ institutionId: stayer.id }),
        await t.factories.appearance({ institutionId: newcomer.id }),
      ];
      for (const a of [aMoving, aStayer, aNewcomer]) await t.http().get(`/appearances/${a.id}/risk`).set(t.auth(admin)).expect(200);
      const waveBefore = { stayer: (await snapshots(aStayer.id))[0].wave, newcomer: (await snapshots(aNewcomer.id))[0].wave };
      expect(waveBefore.stayer).toBeGreaterThan(0);

      await t.http().patch(`/institutions/${moving.id}`).set(t.auth(admin)).send({ state: 'nh' }).expect(200);

      const rows = await t.db.getRepository(Incident).findBy({ institutionId: moving.id });
      expect(rows.map((r) => r.state)).toEqual(['NH', 'NH', 'NH']);
      const byState = await t.http().get('/incidents?state=NH').set(t.auth(admin)).expect(200);
      expect(byState.body.items.map((i: { id: string }) => i.id).sort()).toEqual(incidents.map((i) => i.id).sort());

      const stayerAfter = await snapshots(aStayer.id);
      const newcomerAfter = await snapshots(aNewcomer.id);
      expect((await snapshots(aMoving.id)).at(-1)!.trigger).toBe('institution_updated');
      expect(stayerAfter.at(-1)).toMatchObject({ trigger: 'institution_updated' });
      expect(stayerAfter.at(-1)!.wave).toBeLessThan(waveBefore.stayer);
      expect(newcomerAfter.at(-1)).toMatchObject({ trigger: 'institution_updated' });
      expect(newcomerAfter.at(-1)!.wave).toBeGreaterThan(waveBefore.newcomer);
    });

    it('a policy flag change re-assesses the upcoming appearances; a cosmetic change does not', async () => {
      const admin = await t.factories.user('admin');
      const inst = await t.factories.institution({ state: 'ME', city: 'Orono' });
      const a = await t.factories.appearance({ institutionId: inst.id });
      await t.http().get(`/appearances/${a.id}/risk`).set(t.auth(admin)).expect(200);
      // cosmetic: the external id (ownership and highest degree are model inputs since forewarn-risk-2.0)
      await t.http().patch(`/institutions/${inst.id}`).set(t.auth(admin)).send({ externalId: '204857' }).expect(200);
      expect((await snapshots(a.id)).map((s) => s.trigger)).toEqual(['on_demand']);

      await t.http().patch(`/institutions/${inst.id}`).set(t.auth(admin)).send({ limitsImmigrationCooperation: true }).expect(200);
      expect((await snapshots(a.id)).map((s) => s.trigger)).toEqual(['on_demand', 'institution_updated']);
      const risk = await t.http().get(`/appearances/${a.id}/risk`).set(t.auth(admin)).expect(200);
      expect(JSON.stringify(risk.body)).toContain('limitsImmigrationCooperation');
    });
  });

  describe('incident descriptions in the audit log', () => {
    it('audit entries of create, update and verification keep no description; retention removes older copies', async () => {
      const a = await createTestApp({ now: '2026-03-01T12:00:00Z' });
      try {
        const admin = await a.factories.user('admin');
        const inst = await a.factories.institution();
        const first = 'Table blocked near the library entrance for an hour';
        const second = 'Booth surrounded and banner unfurled for twenty minutes';
        const created = await a
          .http()
          .post('/incidents')
          .set(a.auth(admin))
          .send({ institutionId: inst.id, kind: 'table_blocked', occurredAt: '2025-01-10T15:00:00Z', severity: 2, target: 'organisation', source: 'first_hand', description: first })
          .expect(201);
        const id = created.body.id as string;
        await a.http().patch(`/incidents/${id}`).set(a.auth(admin)).send({ description: second, version: 1 }).expect(200);
        await a.http().patch(`/incidents/${id}`).set(a.auth(admin)).send({ severity: 3, version: 2 }).expect(200);
        await a.http().post(`/incidents/${id}/verification`).set(a.auth(admin)).send({ verification: 'corroborated', version: 3 }).expect(200);
        // An entry as written before snapshots left the description out.
        const legacy = 'Legacy audit copy of the description text';
        await a.app
          .get(AuditService)
          .record(null, { actorId: admin.id, action: 'update', entityType: 'incident', entityId: id, before: { severity: 2, description: legacy }, after: { severity: 3, description: legacy } });
        await a.app.get(AuditService).record(null, { actorId: admin.id, action: 'create', entityType: 'incident', entityId: id, after: { severity: 2, description: legacy } });

        const audit = async () => (await a.http().get(`/audit?entityType=incident&entityId=${id}&pageSize=100`).set(a.auth(admin)).expect(200)).body.items as Array<Record<string, any>>;
        const entries = await audit();
        const written = entries.filter((e) => e.action !== 'read' && e.after?.description !== legacy);
        expect(written.map((e) => e.action).sort()).toEqual(['create', 'status', 'update', 'update']);
        for (const e of written) {
          const text = JSON.stringify(e);
          expect(text).not.toContain(first);
          expect(text).not.toContain(second);
          expect(e.after).not.toHaveProperty('description');
        }
        const descUpdate = written.find((e) => e.action === 'update' && e.after.descriptionChanged === true)!;
        expect(descUpdate).toMatchObject({ before: { hasDescription: true, descriptionLength: first.length }, after: { hasDescription: true, descriptionLength: second.length } });
        expect(written.find((e) => e.action === 'update' && e !== descUpdate)!.after).toMatchObject({ descriptionChanged: false, severity: 3 });

        // Past the retention period the incident's description and every audit copy of it go.
        a.clock.set('2027-03-01T12:00:00Z');
        const run = await a.app.get(RetentionService).expireDescriptions(a.clock.now());
        expect(run.expired).toBe(1);
        const after = await audit();
        const text = JSON.stringify(after);
        for (const s of [first, second, legacy]) expect(text).not.toContain(s);
        expect(after.find((e) => e.before?.descriptionRedacted)).toMatchObject({ before: { severity: 2, descriptionRedacted: true }, after: { severity: 3, descriptionRedacted: true } });
        expect(after.find((e) => e.before === null && e.after?.descriptionRedacted)).toMatchObject({ action: 'create', after: { severity: 2 } });
        const all = JSON.stringify((await a.http().get('/audit?entityType=incident&pageSize=100').set(a.auth(admin)).expect(200)).body);
        for (const s of [first, second, legacy]) expect(all).not.toContain(s);
        // Nothing left to redact: a second run rewrites nothing.
        expect((await a.app.get(RetentionService).expireDescriptions(a.clock.now())).expired).toBe(0);
        const runs = (await a.http().get('/audit?action=retention').set(a.auth(admin)).expect(200)).body.items;
        expect(runs).toHaveLength(1);
        expect(runs[0].meta).toMatchObject({ count: 1, ids: [id], auditEntriesRedacted: 2 });
      } finally {
        await a.close();
      }
    });
  });
});
