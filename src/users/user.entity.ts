import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { BaseEntity, MsColumn } from '../common/base.entity';
import type { Role } from '../common/enums';
import { Office } from '../offices/office.entity';

@Entity('users')
export class User extends BaseEntity {
  /** Stored lower-cased. */
  @Index('uq_users_email', { unique: true })
  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ type: 'varchar', length: 200, name: 'display_name' })
  displayName: string;

  @Column({ type: 'varchar', length: 16 })
  role: Role;

  @Index('ix_users_office')
  @Column({ type: 'varchar', length: 36, name: 'office_id', nullable: true })
  officeId: string | null;

  @ManyToOne(() => Office, { nullable: true, onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'office_id' })
  office?: Office | null;

  @Column({ type: 'varchar', length: 200, name: 'password_hash', select: false })
  passwordHash: string;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  /** Secret for the personal calendar feed URL; rotating it revokes old links. */
  @Index('uq_users_calendar_token', { unique: true })
  @Column({ type: 'varchar', length: 64, name: 'calendar_token', select: false })
  calendarToken: string;

  /** Bumped when a user is disabled or changes password: older JWTs stop working. */
  @Column({ type: 'integer', name: 'token_version', default: 0 })
  tokenVersion: number;

  /** Kinds of non-critical mail the user switched off, e.g. ["weekly_digest"]. Risk alerts cannot be. */
  @Column({ type: 'simple-json', name: 'muted_kinds', default: '[]' })
  mutedKinds: string[];

  /** When the user last changed their notification preferences themselves: older unsubscribe links no longer apply. */
  @MsColumn({ name: 'preferences_changed_at', nullable: true })
  preferencesChangedAt: number | null;
}
