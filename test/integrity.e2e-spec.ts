import { Incident } from '../src/incidents/incident.entity';
import { RetentionService } from '../src/incidents/retention.service';
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
    ((await t.db.query(`SELECT trigger, regional_wave FROM risk_assessments WHERE appearance_id = ${t.db.options.type === 'postgres' ? '$1' : '?'} ORDER BY seq ASC`, [
      appearanceId,
    ])) as Array<{ trigger: string; regional_wave: number | string }>).map((r) => ({ trigger: r.trigger, wave: Number(r.regional_wave) }));

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
      await t.http().patch(`/institutions/${inst.id}`).set(t.auth(admin)).send({ ownership: 'public' }).expect(200);
      expect((await snapshots(a.id)).map((s) => s.trigger)).toEqual(['on_demand']);

      await t.http().patch(`/institutions/${inst.id}`).set(t.auth(admin)).send({ limitsImmigrationCooperation: true }).expect(200);
      expect((await snapshots(a.id)).map((s) => s.trigger)).toEqual(['on_demand', 'institution_updated']);
      const risk = await t.http().get(`/appearances/${a.id}/risk`).set(t.auth(admin)).expect(200);
      expect(JSON.stringify(risk.body)).toContain('limitsImmigrationCooperation');
    });
  });
});
