import { Column, Entity, Index, PrimaryColumn, BeforeInsert } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { MsColumn } from '../common/base.entity';

/** Who did what to which record, when, with the change. Append-only. */
@Entity('audit_entries')
@Index('ix_audit_at', ['at'])
@Index('ix_audit_entity', ['entityType', 'entityId', 'at'])
@Index('ix_audit_actor', ['actorId', 'at'])
export class AuditEntry {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @MsColumn({ name: 'at' })
  at: number;

  @Column({ type: 'varchar', length: 36, name: 'actor_id', nullable: true })
  actorId: string | null;

  /** create, update, status, delete, login, login_failed, read, import, retention ... */
  @Column({ type: 'varchar', length: 32 })
  action: string;

  @Column({ type: 'varchar', length: 40, name: 'entity_type' })
  entityType: string;

  @Column({ type: 'varchar', length: 64, name: 'entity_id', nullable: true })
  entityId: string | null;

  @Column({ type: 'simple-json', nullable: true })
  before: Record<string, unknown> | null;

  @Column({ type: 'simple-json', nullable: true })
  after: Record<string, unknown> | null;

  /** Extra context: the filter of a read, the email tried on a failed sign-in, an import summary. */
  @Column({ type: 'simple-json', nullable: true })
  meta: Record<string, unknown> | null;

  @BeforeInsert()
  protected assignId(): void {
    if (!this.id) this.id = randomUUID();
  }
}
