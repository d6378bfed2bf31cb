import { createHmac } from 'node:crypto';
import { KeyRing } from '../auth/key-ring';
import { DomainError } from '../common/errors';
import { pagePath, pageUrl, verifyPageLink } from './page-links';
import { LinkClaims, LinkSigner } from './signed-link';

const SECRET = 'Qm9vdHN0cmFwLXNlY3JldC1mb3ItdGVzdHMtb25seS0xMjM0NTY3ODkw';
const NOW = Date.UTC(2026, 2, 1, 12);

async function signer(secret = SECRET): Promise<LinkSigner> {
  const keys = new KeyRing(null as never, { jwtSecret: secret } as never, { type: 'sqlite', sqlitePath: ':memory:' } as never);
  await keys.load();
  return new LinkSigner(keys);
}

/** The error a call throws (code, fields), or a failure when it does not throw a domain error. */
function refusal(fn: () => unknown): { code: string; status: number; fields: unknown } {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return { code: e.code, status: e.status, fields: e.fields };
    throw e;
  }
  throw new Error('expected a refusal');
}

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('signed links', () => {
  const claims: LinkClaims = { sub: 'n-1', exp: NOW + 60_000 };

  it('round-trips the claims it signed', async () => {
    const s = await signer();
    expect(s.verify('ack', s.sign('ack', claims), NOW)).toEqual(claims);
  });

  it('refuses a forged MAC on a well-formed payload: same length, right alphabet, wrong key', async () => {
    const s = await signer();
    const payload = b64({ sub: 'n-2', exp: NOW + 60_000 });
    const forged = createHmac('sha256', 'not-the-link-key').update(`ack.${payload}`).digest('base64url');
    const genuine = s.sign('ack', { sub: 'n-2', exp: NOW + 60_000 }).split('.')[1];
    expect(forged).toHaveLength(genuine.length);
    expect(refusal(() => s.verify('ack', `${payload}.${forged}`, NOW))).toEqual({ code: 'BAD_LINK', status: 400, fields: { token: 'bad signature' } });
  });

  it('refuses a genuine MAC moved onto another payload, and one differing in its last character', async () => {
    const s = await signer();
    const [, mac] = s.sign('ack', claims).split('.');
    const other = b64({ sub: 'n-other', exp: NOW + 60_000 });
    expect(refusal(() => s.verify('ack', `${other}.${mac}`, NOW)).fields).toEqual({ token: 'bad signature' });
    const [payload] = s.sign('ack', claims).split('.');
    const flipped = mac.slice(0, -1) + (mac.endsWith('A') ? 'B' : 'A');
    expect(refusal(() => s.verify('ack', `${payload}.${flipped}`, NOW)).fields).toEqual({ token: 'bad signature' });
  });

  it('refuses a link signed with another master secret', async () => {
    const theirs = await signer('QW5vdGhlci1tYXN0ZXItc2VjcmV0LWZvci10ZXN0cy0wOTg3NjU0MzIx');
    const ours = await signer();
    expect(refusal(() => ours.verify('ack', theirs.sign('ack', claims), NOW)).code).toBe('BAD_LINK');
  });

  it('binds the purpose: an unsubscribe token does not acknowledge, nor open a page', async () => {
    const s = await signer();
    const token = s.sign('unsubscribe', { ...claims, kind: 'weekly_digest' });
    expect(refusal(() => s.verify('ack', token, NOW)).fields).toEqual({ token: 'bad signature' });
    expect(refusal(() => s.verify('page', token, NOW)).fields).toEqual({ token: 'bad signature' });
    expect(s.verify('unsubscribe', token, NOW).kind).toBe('weekly_digest');
  });

  it('refuses an expired link with 400 LINK_EXPIRED, and accepts it up to its last millisecond', async () => {
    const s = await signer();
    const token = s.sign('ack', claims);
    expect(s.verify('ack', token, claims.exp).sub).toBe('n-1');
    expect(refusal(() => s.verify('ack', token, claims.exp + 1))).toEqual({ code: 'LINK_EXPIRED', status: 400, fields: { token: 'expired' } });
  });

  it.each([
    ['empty', ''],
    ['no MAC', 'abc'],
    ['an empty MAC', 'abc.'],
    ['an empty payload', '.abc'],
    ['three parts', 'a.b.c'],
    ['missing (a link without its token)', undefined as unknown as string],
  ])('refuses a malformed token (%s) with 400 BAD_LINK', async (_, token) => {
    const s = await signer();
    expect(refusal(() => s.verify('ack', token, NOW))).toEqual({ code: 'BAD_LINK', status: 400, fields: { token: 'malformed' } });
  });

  it('refuses a MAC of the wrong length as a bad signature (400), not an error', async () => {
    const s = await signer();
    const [payload, mac] = s.sign('ack', claims).split('.');
    for (const m of [mac.slice(0, -1), `${mac}A`, 'x']) expect(refusal(() => s.verify('ack', `${payload}.${m}`, NOW))).toEqual({ code: 'BAD_LINK', status: 400, fields: { token: 'bad signature' } });
  });

  it('says why in words a person can act on', async () => {
    const s = await signer();
    const message = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as Error).message;
      }
      return null;
    };
    const token = s.sign('ack', claims);
    expect(message(() => s.verify('ack', 'abc', NOW))).toBe('This link is malformed');
    expect(message(() => s.verify('ack', `${token.split('.')[0]}.${'A'.repeat(43)}`, NOW))).toBe('This link was not issued by Forewarn or was altered');
    expect(message(() => s.verify('ack', token, claims.exp + 1))).toBe('This link has expired');
    const mac = (p: string) =>
      createHmac('sha256', (s as unknown as { keys: KeyRing }).keys.linkKey)
        .update(`ack.${p}`)
        .digest('base64url');
    const notJson = Buffer.from('x').toString('base64url');
    expect(message(() => s.verify('ack', `${notJson}.${mac(notJson)}`, NOW))).toBe('This link is malformed');
    const noExp = b64({ sub: 'n' });
    expect(message(() => s.verify('ack', `${noExp}.${mac(noExp)}`, NOW))).toBe('This link is malformed');
    const page = pageUrl(s, '', { userId: 'u', page: 'preferences', exp: NOW + 1 }).split('token=')[1];
    expect(message(() => verifyPageLink(s, page, NOW, 'debrief', 'a'))).toBe('This link was issued for another page');
  });

  it('refuses a signed payload that is not JSON, or lacks sub or exp', async () => {
    const s = await signer();
    const signedRaw = (payload: string) => {
      const mac = createHmac('sha256', (s as unknown as { keys: KeyRing }).keys.linkKey)
        .update(`ack.${payload}`)
        .digest('base64url');
      return `${payload}.${mac}`;
    };
    for (const payload of [Buffer.from('not json').toString('base64url'), b64({ exp: NOW + 1 }), b64({ sub: 'n-1' }), b64({ sub: 1, exp: NOW + 1 }), b64({ sub: 'n', exp: 'tomorrow' })]) {
      expect(refusal(() => s.verify('ack', signedRaw(payload), NOW))).toEqual({ code: 'BAD_LINK', status: 400, fields: { token: 'malformed' } });
    }
    expect(s.verify('ack', signedRaw(b64({ sub: 'n-1', exp: NOW + 1 })), NOW)).toEqual({ sub: 'n-1', exp: NOW + 1 });
  });
});

describe('page links', () => {
  it('builds the path of each page', () => {
    expect(pagePath('preferences')).toBe('/pages/preferences');
    expect(pagePath('appearance', 'a-1')).toBe('/pages/appearances/a-1');
    expect(pagePath('debrief', 'a-1')).toBe('/pages/appearances/a-1/debrief');
  });

  it('opens its one page for its one person and appearance, nothing else', async () => {
    const s = await signer();
    const url = pageUrl(s, 'https://fw.example', { userId: 'u-1', page: 'debrief', appearanceId: 'a-1', exp: NOW + 1000 });
    expect(url.startsWith('https://fw.example/pages/appearances/a-1/debrief?token=')).toBe(true);
    const token = url.split('token=')[1];
    expect(verifyPageLink(s, token, NOW, 'debrief', 'a-1')).toBe('u-1');
    expect(refusal(() => verifyPageLink(s, token, NOW, 'appearance', 'a-1'))).toEqual({ code: 'BAD_LINK', status: 400, fields: { token: 'for another page' } });
    expect(refusal(() => verifyPageLink(s, token, NOW, 'debrief', 'a-2')).fields).toEqual({ token: 'for another page' });
    expect(refusal(() => verifyPageLink(s, token, NOW + 1001, 'debrief', 'a-1')).code).toBe('LINK_EXPIRED');
  });

  it('a preferences link names no appearance and opens no appearance page', async () => {
    const s = await signer();
    const token = pageUrl(s, '', { userId: 'u-1', page: 'preferences', exp: NOW + 1000 }).split('token=')[1];
    expect(s.verify('page', token, NOW)).toEqual({ sub: 'u-1', page: 'preferences', exp: NOW + 1000 });
    expect(verifyPageLink(s, token, NOW, 'preferences')).toBe('u-1');
    expect(refusal(() => verifyPageLink(s, token, NOW, 'preferences', 'a-1')).code).toBe('BAD_LINK');
  });
});
