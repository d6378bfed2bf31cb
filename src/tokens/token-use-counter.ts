import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { Clock } from '../common/clock';
import { apiTokensConfig } from '../config';
import { query, sql } from '../database/sql';
import { ApiTokenUse } from './api-token-use.entity';
import { DatabaseService } from '../database/database.service';

interface Pending {
  tokenId: string;
  minute: number;
  method: string;
  route: string;
  status: number;
  hits: number;
  lastAt: number;
}

/**
 * Counts every use of an API token — token, minute, method, route pattern, result — without a
 * database write per request: counts gather in this instance and are added to api_token_uses
 * every API_TOKEN_USES_FLUSH_MS (one upsert per token × minute × route × result), before a
 * listing of uses, and at shutdown. A killed process loses at most that interval's counts; the
 * counts change no answer, so nothing else waits for them.
 */
@Injectable()
export class TokenUseCounter implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(TokenUseCounter.name);
  private pending = new Map<string, Pending>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
    @Inject(apiTokensConfig.KEY) private readonly config: ConfigType<typeof apiTokensConfig>,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), this.config.usesFlushMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  count(tokenId: string, method: string, route: string, status: number): void {
    const now = this.clock.now();
    const minute = now - (now % 60_000);
    const key = `${tokenId} ${minute} ${method} ${status} ${route}`;
    const p = this.pending.get(key);
    if (p) {
      p.hits++;
      p.lastAt = now;
    } else {
      this.pending.set(key, { tokenId, minute, method: method.slice(0, 8), route: route.slice(0, 200), status, hits: 1, lastAt: now });
    }
  }

  /** Adds the gathered counts to the table (one flush at a time; a failed one is kept for the next). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (!this.pending.size) return;
      const batch = this.pending;
      this.pending = new Map();
      try {
        await this.db.write(async (m) => {
          for (const p of batch.values()) {
            await query(
              m,
              sql`INSERT INTO api_token_uses (token_id, window_start, method, route, status, hits, last_at) VALUES (${p.tokenId}, ${p.minute}, ${p.method}, ${p.route}, ${p.status}, ${p.hits}, ${p.lastAt})
               ON CONFLICT (token_id, window_start, method, route, status) DO UPDATE SET hits = api_token_uses.hits + ${p.hits},
                 last_at = CASE WHEN api_token_uses.last_at > ${p.lastAt} THEN api_token_uses.last_at ELSE ${p.lastAt} END`,
            );
          }
        });
      } catch (e) {
        for (const [k, p] of batch) {
          const now = this.pending.get(k);
          if (now) now.hits += p.hits;
          else this.pending.set(k, p);
        }
        this.logger.warn(`Could not add ${batch.size} counts of API token uses (kept for the next try): ${(e as Error).message}`);
      }
    });
    return this.flushing;
  }

  /** Forgets the counts older than API_TOKEN_USES_KEEP_DAYS. Returns how many rows went. */
  async prune(): Promise<number> {
    const res = await this.db.write((m) =>
      m
        .createQueryBuilder()
        .delete()
        .from(ApiTokenUse)
        .where('window_start < :before', { before: this.clock.now() - this.config.usesKeepMs })
        .execute(),
    );
    return res.affected ?? 0;
  }
}
