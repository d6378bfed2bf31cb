import { hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { authConfig, ConfigError, databaseConfig, secretWeakness } from '../config';
import { query, sql } from '../database/sql';
import { DatabaseService } from '../database/database.service';

const MASTER = 'master';

interface Keys {
  tokens: Buffer;
  links: Buffer;
  cookies: Buffer;
  secrets: Buffer;
}

/**
 * The keys Forewarn signs with, derived (HKDF-SHA256) from one master secret, a separate key per
 * use so a sign-in token can never pass as a signed link or the other way round. The master secret
 * is JWT_SECRET when set (checked at boot: long, not a known value); otherwise it is generated on
 * first start and kept with the data: a file beside the SQLite database (mode 0600, SECRET_FILE to
 * move it), or the app_secrets table on PostgreSQL so every instance uses the same one.
 */
@Injectable()
export class KeyRing implements OnModuleInit {
  private readonly logger = new Logger(KeyRing.name);
  private keys: Keys | null = null;

  constructor(
    private readonly db: DatabaseService,
    @Inject(authConfig.KEY) private readonly auth: ConfigType<typeof authConfig>,
    @Inject(databaseConfig.KEY) private readonly database: ConfigType<typeof databaseConfig>,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.load();
  }

  /** Reads (or creates) the master secret; called after the migrations, idempotent. */
  async load(): Promise<void> {
    if (this.keys) return;
    const master = this.auth.jwtSecret ?? (this.database.type === 'postgres' ? await this.fromDatabase() : this.fromFile());
    const derive = (use: string) => Buffer.from(hkdfSync('sha256', master, 'forewarn', use, 32));
    this.keys = { tokens: derive('sign-in tokens'), links: derive('signed links'), cookies: derive('page cookies'), secrets: derive('secrets at rest') };
  }

  /** Signs and verifies sign-in tokens (JWT, HS256). */
  get tokenKey(): Buffer {
    return this.ready().tokens;
  }

  /** Signs and verifies the links in e-mail (acknowledge, unsubscribe). */
  get linkKey(): Buffer {
    return this.ready().links;
  }

  /** Signs the pages' cookies (session, CSRF secret). */
  get cookieKey(): Buffer {
    return this.ready().cookies;
  }

  /** Encrypts secrets kept in the database (webhook signing secrets, chat URLs): AES-256-GCM. */
  get secretsKey(): Buffer {
    return this.ready().secrets;
  }

  private ready(): Keys {
    if (!this.keys) throw new Error('KeyRing.load() has not run yet');
    return this.keys;
  }

  private fromFile(): string {
    if (this.database.sqlitePath === ':memory:' && !this.auth.secretFile) {
      this.logger.warn('In-memory database and no JWT_SECRET: a new secret for this process only');
      return generate();
    }
    const file = this.auth.secretFile ?? `${this.database.sqlitePath}.secret`;
    if (!existsSync(file)) {
      mkdirSync(dirname(file), { recursive: true });
      try {
        writeFileSync(file, `${generate()}\n`, { mode: 0o600, flag: 'wx' });
        this.logger.log(`Generated the signing secret and stored it in ${file} (mode 0600)`);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; // another process on this file won
      }
    }
    if ((statSync(file).mode & 0o077) !== 0) {
      chmodSync(file, 0o600);
      this.logger.warn(`${file} was readable by others; now mode 0600`);
    }
    return checked(readFileSync(file, 'utf8').trim(), file);
  }

  private async fromDatabase(): Promise<string> {
    await this.db.write((m) => query(m, sql`INSERT INTO app_secrets (name, value, created_at) VALUES (${MASTER}, ${generate()}, ${Date.now()}) ON CONFLICT (name) DO NOTHING`));
    const [row] = await this.db.read((m) => query<{ value: string }>(m, sql`SELECT value FROM app_secrets WHERE name = ${MASTER}`));
    return checked(row.value, 'the app_secrets table');
  }
}

const generate = () => randomBytes(48).toString('base64url');

function checked(secret: string, where: string): string {
  const problem = secretWeakness(secret);
  if (problem) throw new ConfigError(`The signing secret in ${where} ${problem}`);
  return secret;
}
