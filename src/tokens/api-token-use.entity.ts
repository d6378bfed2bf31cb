import { Column, Entity, PrimaryColumn } from 'typeorm';
import { MsColumn } from '../common/base.entity';

/**
 * Every use of an API token, counted per minute, route pattern, method and result: each request is
 * accounted for (token id, route, status) without one audit row per request. Refusals (wrong scope,
 * expired, revoked) are counted here too.
 */
@Entity('api_token_uses')
export class ApiTokenUse {
  @PrimaryColumn({ type: 'varchar', length: 36, name: 'token_id' })
  tokenId: string;

  /** Start of the minute (epoch ms). */
  @PrimaryColumn({ type: 'bigint', name: 'window_start' })
  windowStart: string;

  @PrimaryColumn({ type: 'varchar', length: 8 })
  method: string;

  /** The route pattern, e.g. /appearances/:id (never the URL: no ids or query strings). */
  @PrimaryColumn({ type: 'varchar', length: 200 })
  route: string;

  @PrimaryColumn({ type: 'integer' })
  status: number;

  @Column({ type: 'integer' })
  hits: number;

  @MsColumn({ name: 'last_at' })
  lastAt: number;
}
