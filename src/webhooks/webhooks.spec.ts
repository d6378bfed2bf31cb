import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { readWebhooksConfig } from '../config';
import { chatText, slackMessage, teamsMessage } from './chat-messages';
import { signatureHeaders } from './delivery-sender';
import { newSigningSecret } from './delivery-targets';
import { open, seal } from './secret-box';
import { addressKind, UrlPolicy } from './url-guard';

describe('addressKind', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.0.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fd12::1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['0.0.0.0', 'reserved'],
    ['224.0.0.1', 'reserved'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'link-local'], // NAT64 of 169.254.169.254
    ['64:ff9b::10.0.0.1', 'private'],
    ['2002:a00:1::', 'private'], // 6to4 of 10.0.0.1
    ['::7f00:1', 'loopback'], // IPv4-compatible 127.0.0.1
    ['64:ff9b::808:808', null],
    ['2002:808:808::1', null],
    ['8.8.8.8', null],
    ['172.32.0.1', null],
    ['2606:4700::1111', null],
  ])('%s → %s', (a, kind) => expect(addressKind(a)).toBe(kind));
});

describe('UrlPolicy', () => {
  const prod = new UrlPolicy({ requireHttps: true, allowPrivateNetworks: false, allowedNetworks: ['10.20.0.0/16'] });
  const dev = new UrlPolicy({ requireHttps: false, allowPrivateNetworks: true, allowedNetworks: [] });
  const refusal = (p: UrlPolicy, url: string) => {
    try {
      p.checkForm(url);
      return null;
    } catch (err) {
      return (err as Error).message;
    }
  };
  it.each([
    [prod, 'https://93.184.216.34/x', null],
    [prod, 'http://93.184.216.34/x', 'must be https'],
    [prod, 'https://10.20.1.1/x', null],
    [prod, 'https://10.21.1.1/x', 'resolves to 10.21.1.1, a private address (not allowed here; see WEBHOOK_ALLOWED_NETWORKS)'],
    [prod, 'https://u:p@93.184.216.34/x', 'must not carry a user name or password'],
    [prod, 'file:///etc/passwd', 'must be https (not file)'],
    [dev, 'http://127.0.0.1:9/x', null],
    [dev, 'http://[::1]:9/x', null],
    [dev, 'http://10.0.0.1/x', 'plain http is allowed only to loopback; 10.0.0.1 is not (use https)'],
    [dev, 'https://10.0.0.1/x', null],
    [dev, 'nonsense', 'is not an absolute URL'],
  ])('%#: %s', (p, url, expected) => expect(refusal(p as UrlPolicy, url as string)).toBe(expected));

  it('defaults from NODE_ENV: production is strict, development is not; a bad allowed range fails at boot', () => {
    expect(readWebhooksConfig({ NODE_ENV: 'production' })).toEqual(expect.objectContaining({ requireHttps: true, allowPrivateNetworks: false, timeoutMs: 10_000 }));
    expect(readWebhooksConfig({ NODE_ENV: 'development' })).toEqual(expect.objectContaining({ requireHttps: false, allowPrivateNetworks: true }));
    expect(readWebhooksConfig({ NODE_ENV: 'production', WEBHOOK_ALLOWED_NETWORKS: '10.0.0.0/8, fd00::/8' }).allowedNetworks).toEqual(['10.0.0.0/8', 'fd00::/8']);
    expect(() => readWebhooksConfig({ WEBHOOK_ALLOWED_NETWORKS: '10.0.0.0/33' })).toThrow(/WEBHOOK_ALLOWED_NETWORKS/);
    expect(() => readWebhooksConfig({ WEBHOOK_ROTATION_OVERLAP: 'soon' })).toThrow(/WEBHOOK_ROTATION_OVERLAP/);
  });
});

describe('signatureHeaders', () => {
  it('signs per Standard Webhooks: one v1 signature per secret, each verified by the standardwebhooks package', () => {
    const [s1, s2] = [newSigningSecret(), newSigningSecret()];
    expect(s1).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const body = '{"type":"incident.recorded","timestamp":"2026-01-01T00:00:00.000Z","data":{}}';
    const h = signatureHeaders('msg_1', Date.now(), body, [new Webhook(s1), new Webhook(s2)]);
    expect(h['webhook-id']).toBe('msg_1');
    expect(h['webhook-signature'].split(' ')).toHaveLength(2);
    expect(h['webhook-signature'].split(' ').every((s) => s.startsWith('v1,'))).toBe(true);
    for (const s of [s1, s2]) expect(new Webhook(s).verify(body, h)).toEqual(JSON.parse(body));
    expect(() => new Webhook(newSigningSecret()).verify(body, h)).toThrow();
    expect(() => new Webhook(s1).verify(`${body} `, h)).toThrow();
  });
});

describe('secret box', () => {
  it('round-trips, and refuses another row or use (bound by AAD) or a tampered ciphertext', () => {
    const key = randomBytes(32);
    const sealed = seal(key, 'whsec_abc', 'webhook:1:secret');
    expect(sealed).not.toContain('abc');
    expect(open(key, sealed, 'webhook:1:secret')).toBe('whsec_abc');
    expect(() => open(key, sealed, 'webhook:2:secret')).toThrow();
    expect(() => open(randomBytes(32), sealed, 'webhook:1:secret')).toThrow();
    expect(() => open(key, `${sealed.slice(0, -2)}AA`, 'webhook:1:secret')).toThrow();
  });
});

describe('chat messages', () => {
  const p = {
    type: 'risk.level_rose' as const,
    appearanceId: 'a1',
    title: 'Fair <b>',
    startsAt: Date.UTC(2026, 2, 9, 14),
    timeZone: 'America/New_York',
    institutionName: 'Kent State',
    level: 'critical',
    from: 'moderate',
  };
  it('says the rise, the local time with the zone, and highlights Critical', () => {
    const t = chatText(p, 'https://x/pages/appearances/a1');
    expect(t.headline).toBe('CRITICAL: Risk rose from Moderate to Critical for "Fair <b>"');
    expect(t.facts.find((f) => f.title === 'When')!.value).toBe('Mon 9 Mar 2026, 10:00 (EDT)');
    const slack = slackMessage(t) as { blocks: { type: string; fields?: { text: string }[] }[] };
    expect(slack.blocks.map((b) => b.type)).toEqual(['header', 'section', 'actions']);
    expect(slack.blocks[1].fields![0].text).toBe('*Appearance*\nFair &lt;b&gt;');
    const teams = teamsMessage(t) as { attachments: { content: { body: { color?: string }[] } }[] };
    expect(teams.attachments[0].content.body[0].color).toBe('Attention');
  });
  it('words an unacknowledged warning', () => {
    const t = chatText({ ...p, type: 'escalation.unacknowledged', level: 'high', from: undefined, recipients: 3 }, 'l');
    expect(t.headline).toBe('Not acknowledged: the High warning for "Fair <b>" reached 3 people and nobody has acknowledged it');
    expect(t.critical).toBe(false);
  });
  it('words a Critical briefing with its reasons as a list (Slack section, Teams text block)', () => {
    const t = chatText({ ...p, type: 'briefing.critical', from: undefined, reasons: ['Two disruptions <here>', 'A campaign'] }, 'l');
    expect(t.headline).toBe('CRITICAL: briefing for "Fair <b>": serious disruption is likely, a go/no-go decision is needed');
    expect(t.critical).toBe(true);
    const slack = slackMessage(t) as { blocks: { type: string; text?: { text: string } }[] };
    expect(slack.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'actions']);
    expect(slack.blocks[2].text!.text).toBe('*Why*\n• Two disruptions &lt;here&gt;\n• A campaign');
    const teams = teamsMessage(t) as { attachments: { content: { body: { type: string; text?: string }[] } }[] };
    expect(teams.attachments[0].content.body.map((b) => b.type)).toEqual(['TextBlock', 'FactSet', 'TextBlock']);
    expect(teams.attachments[0].content.body[2].text).toBe('Why:\n- Two disruptions <here>\n- A campaign');
    // the other kinds have no reasons block
    expect((slackMessage(chatText(p, 'l')) as { blocks: unknown[] }).blocks).toHaveLength(3);
  });
});
