import { ApiProperty } from '@nestjs/swagger';
import { PageOf } from '../../common/pagination';

const CHANGE = { type: 'object', additionalProperties: true, nullable: true } as const;

/** One line of the append-only audit log. */
export class AuditEntryView {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'When it happened (ISO 8601, UTC)' }) at: string;
  @ApiProperty({ type: String, nullable: true, description: 'Who did it (null: the system or a failed sign-in)' }) actorId: string | null;
  @ApiProperty({ example: 'update' }) action: string;
  @ApiProperty({ example: 'appearance' }) entityType: string;
  @ApiProperty({ type: String, nullable: true }) entityId: string | null;
  @ApiProperty({ ...CHANGE, description: 'The changed fields before' }) before: Record<string, unknown> | null;
  @ApiProperty({ ...CHANGE, description: 'The changed fields after' }) after: Record<string, unknown> | null;
  @ApiProperty({ ...CHANGE, description: 'Context: the filter of a read, an import summary…' }) meta: Record<string, unknown> | null;
}

export const AuditPage = PageOf(AuditEntryView, 'AuditPage');
