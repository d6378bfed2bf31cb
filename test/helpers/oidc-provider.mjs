// A real OpenID Connect provider (oidc-provider) on 127.0.0.1 for the single sign-on tests, in its
// own Node process (the package is ESM only). Its issuer is a small front server that passes every
// request through to the provider, so a test can also ask it to hand the next token response an id
// token the test obtained for another client (the "wrong audience" case).
//
// Env: OIDC_CLIENTS (JSON array of client metadata), ID_TOKEN_TTL (seconds, default 3600).
// Prints one JSON line {"issuer": "..."} when it listens. Control endpoints (loopback only):
//   POST /__test/accounts        {sub, email, email_verified?, name?, groups?, office?}
//   POST /__test/next-id-token   {id_token}: replaces the id_token of the next /token response
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import Provider from 'oidc-provider';

const accounts = new Map();
let nextIdToken = null;

const front = http.createServer();
await new Promise((resolve) => front.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${front.address().port}`;

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const provider = new Provider(issuer, {
  clients: JSON.parse(process.env.OIDC_CLIENTS ?? '[]'),
  jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' }] },
  cookies: { keys: ['oidc-test-cookie-key-0123456789abcdef'] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'], office: ['office'] },
  scopes: ['openid', 'email', 'profile', 'groups', 'office'],
  ttl: { IdToken: Number(process.env.ID_TOKEN_TTL ?? 3600) },
  features: { devInteractions: { enabled: true } },
  async findAccount(_ctx, sub) {
    const a = accounts.get(sub);
    if (!a) return undefined;
    return { accountId: sub, claims: async () => ({ email_verified: true, ...a, sub }) };
  },
});
provider.on('server_error', (_ctx, err) => process.stderr.write(`oidc-provider: ${err.stack}\n`));

const inner = http.createServer(provider.callback());
await new Promise((resolve) => inner.listen(0, '127.0.0.1', resolve));
const innerPort = inner.address().port;

const readBody = (req) =>
  new Promise((resolve) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });

front.on('request', async (req, res) => {
  if (req.url.startsWith('/__test/')) {
    const body = JSON.parse((await readBody(req)).toString() || '{}');
    if (req.url === '/__test/accounts') accounts.set(body.sub, body);
    else if (req.url === '/__test/next-id-token') nextIdToken = body.id_token;
    res.writeHead(204).end();
    return;
  }
  const swap = req.method === 'POST' && req.url.startsWith('/token') && nextIdToken;
  const up = http.request({ host: '127.0.0.1', port: innerPort, method: req.method, path: req.url, headers: req.headers }, async (ur) => {
    if (!swap) {
      res.writeHead(ur.statusCode, ur.headers);
      ur.pipe(res);
      return;
    }
    const json = JSON.parse((await readBody(ur)).toString());
    if (json.id_token) json.id_token = nextIdToken;
    nextIdToken = null;
    const out = Buffer.from(JSON.stringify(json));
    res.writeHead(ur.statusCode, { ...ur.headers, 'content-length': String(out.length) });
    res.end(out);
  });
  req.pipe(up);
});

process.stdout.write(`${JSON.stringify({ issuer })}\n`);
