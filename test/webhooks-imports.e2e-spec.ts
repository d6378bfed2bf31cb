import { DAY_MS } from '../src/common/time';
import { createTestApp, TestApp } from './helpers/test-app';
import { WebhookReceiver } from './helpers/webhook-receiver';
import { deliveries, hooks, register } from './helpers/webhooks';

/**
 * Incidents that arrive by CSV import announce themselves as the API's do: one signed
 * `incident.recorded` per created incident and endpoint, written in the import's commit transaction
 * (so never for a dry run, a refused atomic import, or a row that matched an earlier import), and
 * delivered to a real receiver on loopback that verifies every signature with `standardwebhooks`.
 */
describe('webhooks: incidents imported from CSV', () => {
  let t: TestApp;
  let hook: WebhookReceiver;
  let admin: { Authorization: string };
  let endpointId: string;

  beforeAll(async () => {
    hook = await WebhookReceiver.start();
    // real time: the receiver refuses signatures more than 5 minutes off
    t = await createTestApp({ now: Date.now() });
    admin = t.auth(await t.factories.user('admin'));
    const ep = await register(t, admin, hook.url, ['incident.recorded']);
    hook.secrets = [ep.secret];
    endpointId = ep.id;
  });
  afterAll(async () => {
    await t.close();
    await hook.stop();
  });

  const day = (daysAgo: number) => new Date(t.clock.now() - daysAgo * DAY_MS).toISOString().slice(0, 10);
  const importCsv = (csv: string, query: string) => t.http().post(`/incidents/import${query}`).set(admin).set('Content-Type', 'text/csv').send(csv);
  const HEADER = 'date,institution_id,kind,severity,target,source,impact,description';

  it('one signed incident.recorded per created incident; none for a dry run, a refused import or a re-import', async () => {
    const inst = await t.factories.institution();
    const csv = [
      HEADER,
      `${day(3)},${inst.id},table_blocked,3,organisation,first_hand,ended_early,Table blocked for an hour`,
      `${day(2)},${inst.id},heckling,2,organisation,campus_media,none,`,
      `${day(1)},${inst.id},protest,9,general_activism,news,none,`,
    ].join('\n');

    // a dry run and a refused atomic import write nothing, deliveries included
    const dry = await importCsv(csv, '?dryRun=true&atomic=false').expect(200);
    expect(dry.body).toMatchObject({ created: 2, refused: 1, committed: false });
    await importCsv(csv, '').expect(422);
    expect(await deliveries(t, endpointId)).toHaveLength(0);

    const res = await importCsv(csv, '?atomic=false').expect(200);
    expect(res.body.items.map((i: { status: string }) => i.status)).toEqual(['created', 'created', 'refused']);
    const created = res.body.items.filter((i: { status: string }) => i.status === 'created').map((i: { id: string }) => i.id);
    expect((await deliveries(t, endpointId)).map((d) => d.status)).toEqual(['pending', 'pending']);

    // the same file again: every row matches an earlier import, nothing new to announce
    const again = await importCsv(csv, '?atomic=false').expect(200);
    expect(again.body.items.map((i: { status: string }) => i.status)).toEqual(['matched', 'matched', 'refused']);
    expect(await deliveries(t, endpointId)).toHaveLength(2);

    expect(await hooks(t).dispatchDue(t.clock.now())).toEqual(expect.objectContaining({ delivered: 2, retrying: 0, dead: 0 }));
    expect(hook.rejected).toBe(0);
    expect(hook.received.every((h) => h.verifiedWith.length === 1)).toBe(true);
    expect(hook.received.map((h) => h.json.type)).toEqual(['incident.recorded', 'incident.recorded']);
    expect(hook.received.map((h) => h.json.data.incidentId).sort()).toEqual([...created].sort());
    const first = hook.received.find((h) => h.json.data.incidentId === created[0])!.json.data;
    expect(first).toEqual({
      incidentId: created[0],
      institutionId: inst.id,
      appearanceId: null,
      kind: 'table_blocked',
      severity: 3,
      occurredAt: expect.stringMatching(new RegExp(`^${day(3)}T`)),
      target: 'organisation',
      impact: 'ended_early',
      source: 'first_hand',
    });
    // structured facts only, never the free text
    expect(hook.received.map((h) => h.body).join('')).not.toContain('Table blocked for an hour');
    expect(new Set(hook.received.map((h) => h.id)).size).toBe(2);
  });
});
