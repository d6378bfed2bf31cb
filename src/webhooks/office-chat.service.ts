import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../common/auth';
import { Clock } from '../common/clock';
import { ForbiddenError, NotFoundError } from '../common/errors';
import { iso } from '../common/time';
import { Office } from '../offices/office.entity';
import { DeliveryTargets } from './delivery-targets';
import { OfficeChatView, UpdateOfficeChatDto } from './dto/webhook.dto';
import { OfficeChat } from './office-chat.entity';
import { WebhooksService } from './webhooks.service';
import { DatabaseService } from '../database/database.service';

/** An office's Slack and Teams URLs: set, replaced or removed (null); the URLs are credentials, so only their hosts are shown or audited. */
@Injectable()
export class OfficeChatService {
  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly targets: DeliveryTargets,
    private readonly webhooks: WebhooksService,
  ) {}

  async get(officeId: string, actor: AuthUser): Promise<OfficeChatView> {
    return this.db.read(async (m) => {
      await this.office(m, officeId, actor);
      return this.view(officeId, await m.getRepository(OfficeChat).findOneBy({ officeId }));
    });
  }

  async update(officeId: string, dto: UpdateOfficeChatDto, actor: AuthUser): Promise<OfficeChatView> {
    const slack = typeof dto.slackUrl === 'string' ? await this.webhooks.checkUrl(dto.slackUrl, 'slackUrl') : dto.slackUrl;
    const teams = typeof dto.teamsUrl === 'string' ? await this.webhooks.checkUrl(dto.teamsUrl, 'teamsUrl') : dto.teamsUrl;
    const now = this.clock.now();
    return this.db.write(async (m) => {
      await this.office(m, officeId, actor);
      const current = await m.getRepository(OfficeChat).findOneBy({ officeId });
      const before = this.view(officeId, current);
      const row: OfficeChat = current ?? Object.assign(new OfficeChat(), { officeId, slackUrlCipher: null, teamsUrlCipher: null, createdAt: now });
      if (slack !== undefined) row.slackUrlCipher = slack === null ? null : this.targets.sealChatUrl(officeId, 'slack', slack);
      if (teams !== undefined) row.teamsUrlCipher = teams === null ? null : this.targets.sealChatUrl(officeId, 'teams', teams);
      row.updatedAt = now;
      row.updatedById = actor.id;
      await m.getRepository(OfficeChat).save(row);
      const after = this.view(officeId, row);
      await this.audit.record(m, {
        actorId: actor.id,
        action: 'office_chat_changed',
        entityType: 'office',
        entityId: officeId,
        before: { slack: before.slack, teams: before.teams },
        after: { slack: after.slack, teams: after.teams },
      });
      return after;
    });
  }

  /** Admins: any office; coordinators: their own. */
  async office(m: EntityManager, officeId: string, actor: AuthUser): Promise<Office> {
    const o = await m.getRepository(Office).findOneBy({ id: officeId });
    if (!o) throw new NotFoundError('Office', officeId);
    if (actor.role !== 'admin' && actor.officeId !== officeId) throw new ForbiddenError('Coordinators manage the chat of their own office only');
    return o;
  }

  private view(officeId: string, c: OfficeChat | null): OfficeChatView {
    const channel = (kind: 'slack' | 'teams', sealed: string | null | undefined) => {
      if (!sealed) return { configured: false, host: null };
      return { configured: true, host: new URL(this.targets.openChatUrl(officeId, kind, sealed)).host };
    };
    return { officeId, slack: channel('slack', c?.slackUrlCipher), teams: channel('teams', c?.teamsUrlCipher), updatedAt: c ? iso(c.updatedAt) : null };
  }
}
