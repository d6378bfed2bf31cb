import { Column, Entity, PrimaryColumn } from 'typeorm';
import { MsColumn } from '../common/base.entity';

/**
 * An office's chat channels: a Slack incoming-webhook URL and/or a Microsoft Teams workflow URL.
 * Both URLs carry their own credential, so they are kept encrypted like webhook secrets.
 */
@Entity('office_chat_channels')
export class OfficeChat {
  @PrimaryColumn({ type: 'varchar', length: 36, name: 'office_id' })
  officeId: string;

  @Column({ type: 'text', name: 'slack_url_cipher', nullable: true })
  slackUrlCipher: string | null;

  @Column({ type: 'text', name: 'teams_url_cipher', nullable: true })
  teamsUrlCipher: string | null;

  @MsColumn({ name: 'created_at' })
  createdAt: number;

  @MsColumn({ name: 'updated_at' })
  updatedAt: number;

  @Column({ type: 'varchar', length: 36, name: 'updated_by_id', nullable: true })
  updatedById: string | null;
}
