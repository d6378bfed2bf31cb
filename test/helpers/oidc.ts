import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface TestClient {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
}

export interface ProviderAccount {
  sub: string;
  email: string;
  email_verified?: boolean;
  name?: string;
  groups?: string[];
  office?: string;
}

export interface TestProvider {
  issuer: string;
  addAccount(a: ProviderAccount): Promise<void>;
  /** The next token response from the provider carries this id token instead of its own. */
  swapNextIdToken(idToken: string): Promise<void>;
  stop(): Promise<void>;
}

/** Starts oidc-provider on 127.0.0.1 in its own process (test/helpers/oidc-provider.mjs). */
export async function startProvider(clients: TestClient[], opts: { idTokenTtlSeconds?: number } = {}): Promise<TestProvider> {
  const proc: ChildProcess = spawn(process.execPath, [join(__dirname, 'oidc-provider.mjs')], {
    env: { ...process.env, NODE_ENV: 'test', OIDC_CLIENTS: JSON.stringify(clients), ID_TOKEN_TTL: String(opts.idTokenTtlSeconds ?? 3600) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (c) => (stderr += c));
  const issuer = await new Promise<string>((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`oidc-provider exited (${code}): ${stderr}`)));
    createInterface({ input: proc.stdout! }).once('line', (line) => resolve((JSON.parse(line) as { issuer: string }).issuer));
  });
  const control = async (path: string, body: object) => {
    const res = await fetch(`${issuer}/__test/${path}`, { method: 'POST', body: JSON.stringify(body) });
    if (res.status !== 204) throw new Error(`provider control ${path}: ${res.status}`);
  };
  return {
    issuer,
    addAccount: (a) => control('accounts', a),
    swapNextIdToken: (idToken) => control('next-id-token', { id_token: idToken }),
    stop: async () => {
      if (proc.exitCode !== null) return;
      const gone = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await gone;
    },
  };
}

/** A browser's cookies for one site, enough for the provider's interaction cookies. */
class Jar {
  private readonly cookies = new Map<string, string>();
  take(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i);
      if (/max-age=0|expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(i + 1));
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/**
 * Plays the person at the provider: follows the authorization request through the login and
 * consent interactions (the provider's own forms) until the provider redirects to `redirectPrefix`;
 * returns that URL (with code, state, iss).
 */
export async function signInAtProvider(authorizeUrl: string, login: string, redirectPrefix: string): Promise<string> {
  const jar = new Jar();
  let url = authorizeUrl;
  let method = 'GET';
  let body: URLSearchParams | undefined;
  for (let hop = 0; hop < 20; hop++) {
    if (url.startsWith(redirectPrefix)) return url;
    const res = await fetch(url, { method, body, redirect: 'manual', headers: { cookie: jar.header(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) } });
    jar.take(res);
    method = 'GET';
    body = undefined;
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location')!, url).href;
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`provider answered ${res.status} at ${url}: ${html.slice(0, 300)}`);
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="([a-z]+)"/.exec(html)?.[1];
    if (!action || !prompt) throw new Error(`no interaction form at ${url}`);
    url = new URL(action, url).href;
    method = 'POST';
    body = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any' } : { prompt });
  }
  throw new Error('too many redirects at the provider');
}

/** What a client other than Forewarn gets from the provider for this account: its own id token (same nonce, so only the audience is wrong). */
export async function idTokenFor(issuer: string, client: TestClient, login: string, nonce: string): Promise<string> {
  const verifier = 'v'.repeat(43);
  const { createHash } = await import('node:crypto');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const redirect = client.redirect_uris[0];
  const authorize = `${issuer}/auth?${new URLSearchParams({ client_id: client.client_id, response_type: 'code', scope: 'openid email', redirect_uri: redirect, nonce, state: 's', code_challenge: challenge, code_challenge_method: 'S256' })}`;
  const back = new URL(await signInAtProvider(authorize, login, redirect));
  const res = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: back.searchParams.get('code')!, redirect_uri: redirect, code_verifier: verifier }),
  });
  const json = (await res.json()) as { id_token?: string };
  if (!json.id_token) throw new Error(`no id token for ${client.client_id}: ${JSON.stringify(json)}`);
  return json.id_token;
}
