import { BeforeInsert, Column, PrimaryColumn } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { msTransformer } from './time';

/** Epoch-milliseconds column (UTC). See common/time.ts for why instants are integers. */
export function MsColumn(options: { name: string; nullable?: boolean }): PropertyDecorator {
  return Column({ type: 'bigint', name: options.name, nullable: options.nullable ?? false, transformer: msTransformer });
}

/** UUID primary key generated in the application (same on SQLite and PostgreSQL, known before insert). */
export abstract class BaseEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @MsColumn({ name: 'created_at' })
  createdAt: number;

  @MsColumn({ name: 'updated_at' })
  updatedAt: number;

  @BeforeInsert()
  protected assignId(): void {
    if (!this.id) this.id = randomUUID();
  }
}
