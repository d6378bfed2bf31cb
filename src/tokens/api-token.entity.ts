import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { MsColumn } from '../common/base.entity';
import type { Role } from '../common/enums';
import type { TokenKind } from './token-format';

/**
 * A personal (acts as its user, with that user's current role) or service API token (acts with the
 * role and office it was made with). Only the token's SHA-256 is kept; revoked tokens stay for the
 * record.
 */
@Entity('api_tokens')
export class ApiToken {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 16 })
  kind: TokenKind;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Index('uq_api_tokens_hash', { unique: true })
  @Column({ type: 'varchar', length: 64, name: 'token_hash', select: false })
  tokenHash: string;

  /** The first characters of the token, to tell tokens apart in a listing. */
  @Column({ type: 'varchar', length: 16 })
  hint: string;

  /** Personal tokens: the user they act as. */
  @Index('ix_api_tokens_user')
  @Column({ type: 'varchar', length: 36, name: 'user_id', nullable: true })
  userId: string | null;

  /** Service tokens: the role they act with (personal tokens use their user's role at each request). */
  @Column({ type: 'varchar', length: 16, nullable: true })
  role: Role | null;

  /** Service tokens: the office they belong to (required for the coordinator role). */
  @Index('ix_api_tokens_office')
  @Column({ type: 'varchar', length: 36, name: 'office_id', nullable: true })
  officeId: string | null;

  @Column({ type: 'simple-json' })
  scopes: string[];

  @Column({ type: 'varchar', length: 36, name: 'created_by' })
  createdBy: string;

  @MsColumn({ name: 'created_at' })
  createdAt: number;

  @MsColumn({ name: 'expires_at' })
  expiresAt: number;

  @MsColumn({ name: 'revoked_at', nullable: true })
  revokedAt: number | null;

  @Column({ type: 'varchar', length: 36, name: 'revoked_by', nullable: true })
  revokedBy: string | null;

  /** Recorded at most once per API_TOKEN_LAST_USED_SECONDS, not on every request. */
  @MsColumn({ name: 'last_used_at', nullable: true })
  lastUsedAt: number | null;
}
