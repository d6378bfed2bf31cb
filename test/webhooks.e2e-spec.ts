import { createServer, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { DomainEvents } from '../src/common/domain-events';
import { HOUR_MS } from '../src/common/time';
import { WebhookEndpoint } from '../src/webhooks/webhook-endpoint.entity';
import { emit } from './helpers/notifications';
import { createTestApp, TestApp } from './helpers/test-app';
import { WebhookReceiver } from './helpers/webhook-receiver';
import { deliveries, hooks, register, withWebhooks } from './helpers/webhooks';

const ALL = [
  'risk.level_rose',
  'escalation.sent',
  'escalation.unacknowledged',
  'acknowledgement.recorded',
  'incident.recorded',
  'appearance.created',
  'appearance.rescheduled',
  'appearance.cancelled',
];

/**
 * Webhooks end to end: registration through the API, events written to the outbox in the emitting
 * transaction, delivered by the dispatcher to a real receiver on loopback that verifies every
 * signature with the standardwebhooks package. The clock is real time (fixed), since receivers
 * refuse timestamps more than five minutes off.
 */
describe('webhooks', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let admin: { Authorization: string };

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    t = await createTestApp({ now: Date.now(), override: withWebhooks({ maxAttempts: 3, backoffBaseMs: 1000, backoffMaxMs: 10_000 }) });
    admin = t.auth(await t.factories.user('admin'));
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });
  beforeEach(async () => {
    receiver.received.length = 0;
    receiver.rejected = 0;
    receiver.status = 200;
    await t.db.getRepository(WebhookEndpoint).clear();
    await t.db.query(`DELETE FROM notifications WHERE channel <> 'email'`);
  });

  async function newAppearance() {
    const office = await t.factories.office();
    const a = await t.factories.appearance({ officeId: office.id, startsAt: t.clock.now() + 48 * HOUR_MS });
    await emit(t, DomainEvents.AppearanceCreated, { appearance: a, recruiterIds: [] });
    return a;
  }

  it('shows the secret once, keeps it encrypted, never returns it again, and audits the registration', async () => {
    const res = await t
      .http()
      .post('/webhook-endpoints')
      .set(admin)
      .send({ url: receiver.url, eventTypes: ['appearance.created'] })
      .expect(201);
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const id = res.body.id;
    const got = await t.http().get(`/webhook-endpoints/${id}`).set(admin).expect(200);
    expect(got.body).toEqual(expect.objectContaining({ id, url: receiver.url, eventTypes: ['appearance.created'], active: true }));
    expect(JSON.stringify(got.body)).not.toContain(res.body.secret.slice(6));
    const list = await t.http().get('/webhook-endpoints').set(admin).expect(200);
    expect(JSON.stringify(list.body)).not.toContain(res.body.secret.slice(6));
    const row = await t.db.getRepository(WebhookEndpoint).findOneByOrFail({ id });
    expect(row.secretCipher).toMatch(/^v1\./);
    expect(row.secretCipher).not.toContain(res.body.secret.slice(6, 20));
    const audit = await t.http().get(`/audit?entityType=webhook_endpoint&entityId=${id}`).set(admin).expect(200);
    expect(audit.body.items.map((a: { action: string }) => a.action)).toEqual(['webhook_endpoint_created']);
    expect(JSON.stringify(audit.body)).not.toContain(res.body.secret.slice(6));
  });

  it('refuses bad input with a 400 naming the field, and non-admins with 403', async () => {
    const bad = async (body: object, field: string) => {
      const res = await t.http().post('/webhook-endpoints').set(admin).send(body);
      expect({ status: res.status, fields: Object.keys(res.body.fields ?? {}) }).toEqual({ status: 400, fields: [field] });
    };
    await bad({ eventTypes: ['appearance.created'] }, 'url');
    await bad({ url: receiver.url, eventTypes: ['appearance.exploded'] }, 'eventTypes');
    await bad({ url: receiver.url, eventTypes: [] }, 'eventTypes');
    await bad({ url: 'ftp://example.org/x', eventTypes: ['appearance.created'] }, 'url');
    await bad({ url: 'not a url', eventTypes: ['appearance.created'] }, 'url');
    await bad({ url: 'http://user:pw@127.0.0.1/x', eventTypes: ['appearance.created'] }, 'url');
    await bad({ url: receiver.url, eventTypes: ['appearance.created'], active: 'yes' }, 'active');
    await bad({ url: receiver.url, eventTypes: ['appearance.created'], secret: 'mine' }, 'secret');
    const office = await t.factories.office();
    const coordinator = t.auth(await t.factories.user('coordinator', { officeId: office.id }));
    await t
      .http()
      .post('/webhook-endpoints')
      .set(coordinator)
      .send({ url: receiver.url, eventTypes: ['appearance.created'] })
      .expect(403);
    const id = (await register(t, admin, receiver.url, ['appearance.created'])).id;
    const patch = await t.http().patch(`/webhook-endpoints/${id}`).set(admin).send({ url: null });
    expect({ status: patch.status, fields: Object.keys(patch.body.fields ?? {}) }).toEqual({ status: 400, fields: ['url'] });
  });

  it('delivers each subscribed event once, signed, with a delivery log (status, attempts, code, latency)', async () => {
    const ep = await register(t, admin, receiver.url, ALL);
    receiver.secrets = [ep.secret];
    await register(t, admin, receiver.url.replace('/hook', '/other'), ['incident.recorded']); // not subscribed to appearance events
    const a = await newAppearance();
    await emit(t, DomainEvents.AppearanceUpdated, { before: a, after: { ...a, startsAt: a.startsAt + HOUR_MS, sequence: 1 }, recruitersBefore: [], recruitersAfter: [], rescheduled: true });
    await emit(t, DomainEvents.AppearanceCancelled, { appearance: { ...a, status: 'cancelled', sequence: 2 }, recruiterIds: [], reason: 'host cancelled' });
    await emit(t, DomainEvents.AppearanceCreated, { appearance: a, recruiterIds: [] }); // replayed: no second row
    const report = await hooks(t).dispatchDue(t.clock.now());
    expect(report).toEqual({ claimed: 3, delivered: 3, retrying: 0, dead: 0, withdrawn: 0 });
    expect(receiver.rejected).toBe(0);
    // (deliveries run concurrently: the order of arrival is not promised, as in the Standard Webhooks specification)
    expect(receiver.received.map((h) => h.json.type).sort()).toEqual(['appearance.cancelled', 'appearance.created', 'appearance.rescheduled']);
    const of = (type: string) => receiver.received.find((h) => h.json.type === type)!;
    expect(receiver.received.every((h) => h.verifiedWith.length === 1 && h.signatures.length === 1)).toBe(true);
    expect(of('appearance.created').json.data).toEqual(expect.objectContaining({ appearanceId: a.id, title: a.title, timeZone: a.timeZone }));
    expect(of('appearance.rescheduled').json.data.previousStartsAt).toBe(new Date(a.startsAt).toISOString());
    const log = await t.http().get(`/webhook-endpoints/${ep.id}/deliveries`).set(admin).expect(200);
    expect(log.body.total).toBe(3);
    for (const d of log.body.items) {
      expect(d).toEqual(expect.objectContaining({ channel: 'webhook', status: 'sent', attempts: 1, lastResponseCode: 200, responseExcerpt: 'ok', lastError: null }));
      expect(typeof d.latencyMs).toBe('number');
    }
    expect(new Set(receiver.received.map((h) => h.id))).toEqual(new Set(log.body.items.map((d: { id: string }) => d.id)));
  });

  it('receiver down then back: retried with backoff, all delivered, none twice by webhook-id; a short excerpt only', async () => {
    const ep = await register(t, admin, receiver.url, ['appearance.created']);
    receiver.secrets = [ep.secret];
    for (let i = 0; i < 5; i++) await newAppearance();
    await receiver.stop();
    const down = await hooks(t).dispatchDue(t.clock.now());
    expect(down).toEqual({ claimed: 5, delivered: 0, retrying: 5, dead: 0, withdrawn: 0 });
    const failing = await deliveries(t, ep.id);
    expect(failing.every((d) => d.status === 'retrying' && /ECONNREFUSED/.test(d.lastError ?? '') && d.nextAttemptAt > t.clock.now())).toBe(true);
    expect(await hooks(t).dispatchDue(t.clock.now())).toEqual(expect.objectContaining({ claimed: 0 })); // backing off
    await receiver.listen(); // same port
    receiver.status = 503; // up but failing: the answer is kept as a short excerpt
    t.clock.advance(2_000);
    await hooks(t).dispatchDue(t.clock.now());
    const failed = await deliveries(t, ep.id);
    expect(failed.every((d) => d.responseCode === 503 && (d.responseExcerpt ?? '').length <= 300 && d.responseExcerpt!.startsWith('failing with 503'))).toBe(true);
    receiver.status = 200;
    t.clock.advance(10_000);
    const back = await hooks(t).dispatchDue(t.clock.now());
    expect(back.delivered).toBe(5);
    const counts = receiver.countsById();
    expect(counts.size).toBe(5);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect((await deliveries(t, ep.id)).map((d) => [d.status, d.attempts])).toEqual(Array(5).fill(['sent', 3]));
    expect(new Set(counts.keys())).toEqual(new Set(failing.map((d) => d.id))); // webhook-id stable across retries
  });

  it('goes dead after WEBHOOK_MAX_ATTEMPTS; the retry endpoint sends it again with the same webhook-id', async () => {
    const ep = await register(t, admin, receiver.url, ['appearance.created']);
    receiver.secrets = [ep.secret];
    receiver.status = 500;
    await newAppearance();
    for (let i = 0; i < 3; i++) {
      await hooks(t).dispatchDue(t.clock.now());
      t.clock.advance(10_000);
    }
    const [dead] = await deliveries(t, ep.id);
    expect([dead.status, dead.attempts, dead.responseCode]).toEqual(['dead', 3, 500]);
    // /health counts it as it counts dead mail: degraded (still 200), details for admins only
    const health = await t.http().get('/health').set(admin).expect(200);
    expect(health.body.status).toBe('degraded');
    expect(health.body.details.webhooks).toEqual({
      status: 'up',
      degraded: true,
      reason: expect.stringMatching(/^1 webhook or chat delivery dead: GET \/webhook-endpoints\/\{id\}\/deliveries/),
      outbox: { dead: 1 },
      deadByChannel: { webhook: 1 },
    });
    expect((await t.http().get('/health').expect(200)).body).toEqual({ status: 'degraded' });
    const other = await register(t, admin, receiver.url, ['appearance.created']);
    await t.http().post(`/webhook-endpoints/${other.id}/deliveries/${dead.id}/retry`).set(admin).expect(404); // not that endpoint's
    receiver.status = 200;
    const retried = await t.http().post(`/webhook-endpoints/${ep.id}/deliveries/${dead.id}/retry`).set(admin).expect(200);
    expect(retried.body).toEqual(expect.objectContaining({ id: dead.id, status: 'pending', attempts: 0 }));
    await t.http().post(`/webhook-endpoints/${ep.id}/deliveries/${dead.id}/retry`).set(admin).expect(409);
    await hooks(t).dispatchDue(t.clock.now());
    expect(receiver.received.map((h) => h.id)).toEqual([dead.id]);
    const healed = await t.http().get('/health').set(admin).expect(200);
    expect(healed.body.details.webhooks).toEqual({ status: 'up', degraded: false, outbox: {}, deadByChannel: {} });
  });

  it('rotation: both secrets sign during the overlap, only the new one after it', async () => {
    const ep = await register(t, admin, receiver.url, ['appearance.created']);
    const rotated = await t.http().post(`/webhook-endpoints/${ep.id}/rotate-secret`).set(admin).expect(200);
    expect(rotated.body.secret).not.toBe(ep.secret);
    expect(Date.parse(rotated.body.previousSecretValidUntil)).toBe(t.clock.now() + 24 * HOUR_MS);
    receiver.secrets = [ep.secret, rotated.body.secret];
    await newAppearance();
    await hooks(t).dispatchDue(t.clock.now());
    expect(receiver.received.map((h) => [h.signatures.length, h.verifiedWith])).toEqual([[2, [0, 1]]]); // an old receiver and a new one both verify
    // the overlap ends (its end moved to just now, as the signature must carry a timestamp close to real time)
    await t.db.query(`UPDATE webhook_endpoints SET previous_secret_until = ${t.clock.now() - 1}`);
    const after = await t.http().get(`/webhook-endpoints/${ep.id}`).set(admin).expect(200);
    expect(after.body.previousSecretValidUntil).toBeNull();
    await newAppearance();
    await hooks(t).dispatchDue(t.clock.now());
    // after the overlap the old secret signs no more: a receiver still on it would refuse the delivery
    expect(receiver.received[1].signatures.length).toBe(1);
    expect(receiver.received[1].verifiedWith).toEqual([1]);
    const audit = await t.http().get(`/audit?entityType=webhook_endpoint&entityId=${ep.id}`).set(admin).expect(200);
    expect(audit.body.items.map((a: { action: string }) => a.action)).toContain('webhook_secret_rotated');
  });

  it('withdraws deliveries of an endpoint switched off before they went out', async () => {
    const ep = await register(t, admin, receiver.url, ['appearance.created']);
    await newAppearance();
    await t.http().patch(`/webhook-endpoints/${ep.id}`).set(admin).send({ active: false }).expect(200);
    await newAppearance(); // an inactive endpoint gets no new deliveries
    expect(await hooks(t).dispatchDue(t.clock.now())).toEqual(expect.objectContaining({ claimed: 1, withdrawn: 1, delivered: 0 }));
    expect(receiver.received).toEqual([]);
  });

  it('documents every webhook and chat operation with tags, a description and a success response with a schema', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body;
    const ops = Object.entries(doc.paths as Record<string, Record<string, any>>)
      .filter(([path]) => path.startsWith('/webhook-endpoints') || path.includes('/chat'))
      .flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));
    expect(ops).toHaveLength(12);
    for (const { path, method, op } of ops) {
      const ok = Object.entries(op.responses ?? {}).find(([code]) => code.startsWith('2')) as [string, any] | undefined;
      expect({ path, method, tags: op.tags?.length > 0, description: !!op.description, schema: !!ok?.[1]?.content?.['application/json']?.schema }).toEqual({
        path,
        method,
        tags: true,
        description: true,
        schema: true,
      });
    }
  });
});

/** WEBHOOK_TIMEOUT_MS is enforced: a receiver that takes the request and never answers is cut off. */
describe('webhooks: a receiver that never answers', () => {
  let t: TestApp;
  let silent: Server;
  let url: string;
  const held: ServerResponse[] = [];

  beforeAll(async () => {
    silent = createServer((_req, res) => void held.push(res)); // reads the request, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/hook`;
    t = await createTestApp({ now: Date.now(), override: withWebhooks({ timeoutMs: 400, maxAttempts: 3, backoffBaseMs: 1000, backoffMaxMs: 10_000 }) });
  });
  afterAll(async () => {
    await t.close();
    for (const res of held) res.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('gives up after the timeout, records it, and tries again later', async () => {
    const admin = t.auth(await t.factories.user('admin'));
    const ep = await register(t, admin, url, ['appearance.created']);
    const office = await t.factories.office();
    const a = await t.factories.appearance({ officeId: office.id, startsAt: t.clock.now() + 48 * HOUR_MS });
    await emit(t, DomainEvents.AppearanceCreated, { appearance: a, recruiterIds: [] });
    const started = Date.now();
    expect(await hooks(t).dispatchDue(t.clock.now())).toEqual(expect.objectContaining({ claimed: 1, delivered: 0, retrying: 1 }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(held).toHaveLength(1); // the request did arrive
    const [d] = await deliveries(t, ep.id);
    expect([d.status, d.attempts, d.lastError]).toEqual(['retrying', 1, 'ERROR: no answer within 400 ms']);
    expect(d.nextAttemptAt).toBeGreaterThan(t.clock.now());
  });
});
