import { Entity, Index, PrimaryColumn } from 'typeorm';
import { MsColumn } from '../common/base.entity';

/** Sign-in tokens ended by logout, by their jti, kept until they would have expired anyway. */
@Entity('revoked_sessions')
export class RevokedSession {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  jti: string;

  @Index('ix_revoked_sessions_expires')
  @MsColumn({ name: 'expires_at' })
  expiresAt: number;
}
