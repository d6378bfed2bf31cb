import { DomainEvents } from '../src/common/domain-events';
import { HOUR_MS } from '../src/common/time';
import { emit } from './helpers/notifications';
import { createTestApp, TestApp } from './helpers/test-app';
import { WebhookReceiver } from './helpers/webhook-receiver';
import { deliveries, hooks, register, withWebhooks } from './helpers/webhooks';

/**
 * No server-side request forgery: with the production rules (https only, no private, loopback,
 * link-local or reserved addresses unless allowed by WEBHOOK_ALLOWED_NETWORKS) registrations are
 * refused naming the field; and the address is checked again at delivery time, on the resolved name.
 */
describe('webhooks: server-side request forgery refused', () => {
  let strict: TestApp;
  let admin: { Authorization: string };

  beforeAll(async () => {
    strict = await createTestApp({ now: Date.now(), override: withWebhooks({ requireHttps: true, allowPrivateNetworks: false, allowedNetworks: ['10.20.0.0/16'] }) });
    admin = strict.auth(await strict.factories.user('admin'));
  });
  afterAll(() => strict.close());

  it.each([
    ['http://example.org/hook', 'must be https'],
    ['https://127.0.0.1/hook', 'loopback'],
    ['https://[::1]/hook', 'loopback'],
    ['https://localhost/hook', 'loopback'],
    ['https://10.0.0.5/hook', 'private'],
    ['https://192.168.1.10/hook', 'private'],
    ['https://172.16.0.1/hook', 'private'],
    ['https://[fd00::1]/hook', 'private'],
    ['https://[::ffff:10.0.0.5]/hook', 'private'],
    ['https://169.254.169.254/latest/meta-data', 'link-local'],
    ['https://[fe80::1]/hook', 'link-local'],
    ['https://[64:ff9b::a9fe:a9fe]/latest/meta-data', 'link-local'], // NAT64 of 169.254.169.254
    ['https://0.0.0.0/hook', 'reserved'],
  ])('refuses %s (%s)', async (url, reason) => {
    const res = await strict
      .http()
      .post('/webhook-endpoints')
      .set(admin)
      .send({ url, eventTypes: ['incident.recorded'] });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('URL_REFUSED');
    expect(Object.keys(res.body.fields)).toEqual(['url']);
    expect(res.body.fields.url).toContain(reason);
  });

  it('accepts a private address inside WEBHOOK_ALLOWED_NETWORKS, and checks chat URLs the same way', async () => {
    await strict
      .http()
      .post('/webhook-endpoints')
      .set(admin)
      .send({ url: 'https://10.20.3.4/hook', eventTypes: ['incident.recorded'] })
      .expect(201);
    const office = await strict.factories.office();
    const res = await strict.http().put(`/offices/${office.id}/chat`).set(admin).send({ teamsUrl: 'https://169.254.169.254/x' });
    expect({ status: res.status, fields: Object.keys(res.body.fields ?? {}) }).toEqual({ status: 400, fields: ['teamsUrl'] });
  });

  it('checks the resolved address again at delivery time: a name that resolves to loopback is refused then (dead, nothing sent)', async () => {
    const receiver = await WebhookReceiver.start();
    receiver.verify = false;
    // registered where loopback is allowed (development) ...
    const dev = await createTestApp({ now: Date.now() });
    try {
      const devAdmin = dev.auth(await dev.factories.user('admin'));
      const ep = await register(dev, devAdmin, `http://localhost:${receiver.port}/hook`, ['appearance.created']);
      const a = await dev.factories.appearance({ startsAt: dev.clock.now() + 48 * HOUR_MS });
      await emit(dev, DomainEvents.AppearanceCreated, { appearance: a, recruiterIds: [] });
      // ... delivered by an instance whose rules refuse loopback and private addresses (plain http is not the reason here)
      const prod = await createTestApp({ now: Date.now(), database: dev.database, override: withWebhooks({ requireHttps: false, allowPrivateNetworks: false }) });
      try {
        expect(await hooks(prod).dispatchDue(prod.clock.now())).toEqual({ claimed: 1, delivered: 0, retrying: 0, dead: 1, withdrawn: 0 });
        const [d] = await deliveries(prod, ep.id);
        expect(d.status).toBe('dead');
        expect(d.lastError).toMatch(/^refused: the URL resolves to (127\.0\.0\.1|::1), a loopback address/);
        expect(receiver.received).toEqual([]);
      } finally {
        await prod.close({ keepDatabase: true });
      }
    } finally {
      await dev.close();
      await receiver.stop();
    }
  });
});
