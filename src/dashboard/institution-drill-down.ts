import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../common/auth';
import { NotFoundError } from '../common/errors';
import { Institution } from '../institutions/institution.entity';
import { Outcome } from '../outcomes/outcome.entity';
import { PageViews } from '../pages/page-views';
import { RESULT_WORDS } from '../pages/page-words';
import { TimelineService } from '../timeline/timeline.service';
import type { OutcomeResult } from '../common/enums';
import { DatabaseService } from '../database/database.service';

const TIMELINE_ROWS = 200;
const words = (s: string | null | undefined) => String(s ?? '').replace(/_/g, ' ');
const day = (isoString: string, zone: string) => new Date(isoString).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: zone });

/**
 * One institution for HR (src/pages/views/institution.hbs): its facts and policies, the current
 * reception, and its history — reception entries, incidents (structured facts only) and appearances
 * with their outcomes — newest first. Reading it reads incidents: the timeline audits the read.
 */
@Injectable()
export class InstitutionDrillDown {
  constructor(
    private readonly db: DatabaseService,
    private readonly timeline: TimelineService,
    private readonly views: PageViews,
  ) {}

  async render(id: string, user: AuthUser): Promise<string> {
    const inst = await this.db.read((m) => m.getRepository(Institution).findOneBy({ id }));
    if (!inst) throw new NotFoundError('Institution', id);
    const { items, total } = await this.timeline.timeline(id, { page: 1, pageSize: TIMELINE_ROWS, order: 'desc' }, user);
    const appearanceIds = items.filter((i) => i.type === 'appearance').map((i) => i.id);
    const outcomes = appearanceIds.length ? await this.db.read((m) => m.getRepository(Outcome).createQueryBuilder('o').where('o.appearance_id IN (:...ids)', { ids: appearanceIds }).getMany()) : [];
    const byAppearance = new Map(outcomes.map((o) => [o.appearanceId, o]));
    const zone = inst.timeZone;
    const live = items.find((i) => i.type === 'reception' && !i.reception?.supersededById);
    const rows = items.map((i) => {
      if (i.type === 'reception' && i.reception) {
        const r = i.reception;
        return { date: day(i.at, zone), what: 'Reception', detail: `${words(r.kind)} — ${r.stance}${r.reason ? `: ${r.reason}` : ''}${r.supersededById ? ' (corrected later)' : ''}` };
      }
      if (i.type === 'incident' && i.incident) {
        const n = i.incident;
        return { date: day(i.at, zone), what: 'Incident', detail: `${words(n.kind)}, ${n.severityLabel}, impact ${words(n.impact)}, aimed at ${words(n.target)} (${n.verification})` };
      }
      const a = i.appearance!;
      const o = byAppearance.get(a.id);
      return {
        date: day(i.at, zone),
        what: 'Appearance',
        detail: `${a.title} (${words(a.kind)}, ${a.status})${o ? ` — ${RESULT_WORDS[o.result as OutcomeResult] ?? o.result}${o.attendance !== null ? `, ${o.attendance} attended` : ''}${o.leads !== null ? `, ${o.leads} leads` : ''}` : ''}`,
      };
    });
    const count = (t: string) => items.filter((i) => i.type === t).length;
    return this.views.render('institution', {
      title: inst.name,
      visitor: null,
      institution: {
        name: inst.name,
        kindWords: words(inst.kind),
        place: [inst.city, inst.state].filter(Boolean).join(', '),
        timeZone: zone,
        policies: [
          ...(inst.limitsImmigrationCooperation ? ['Limits cooperation with federal immigration enforcement'] : []),
          ...(inst.requiresAdvanceNotice ? [`Requires ${inst.advanceNoticeDays ?? 'some'} days' advance notice`] : []),
        ],
      },
      stance: live?.reception ? `${live.reception.stance} (${words(live.reception.kind)}, ${day(live.at, zone)})` : 'no reception recorded',
      counts: { reception: count('reception'), incidents: count('incident'), appearances: count('appearance'), outcomes: outcomes.length },
      rows,
      more: total > items.length ? total - items.length : 0,
    });
  }
}
