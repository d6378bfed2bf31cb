import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { AppearanceReader } from '../appearances/appearance-reader';
import type { AppearanceView } from '../appearances/dto/appearance.dto';
import type { AuthUser } from '../common/auth';
import { Clock } from '../common/clock';
import { humanLocal } from '../common/time';
import { summariseAssessment } from '../notifications/assessment-summary';
import { FORMAT_WORDS, KIND_WORDS } from '../notifications/notification-composer';
import { Office } from '../offices/office.entity';
import { AppliedMitigationsService } from '../outcomes/applied-mitigations.service';
import { AppearanceRecruiter } from '../appearances/appearance-recruiter.entity';
import { stillDoable } from '../risk/mitigations';
import { RiskService } from '../risk/risk.service';
import type { RiskAssessmentView } from '../risk/risk.view';
import { User } from '../users/user.entity';
import { AUDIENCE_WORDS, STATUS_WORDS, triggerWords } from './page-words';
import { DatabaseService } from '../database/database.service';

/** What the appearance page shows (src/pages/views/appearance.hbs). */
export interface AppearancePageData {
  appearance: {
    id: string;
    title: string;
    kindWords: string;
    institutionName: string;
    place: string;
    venue: string;
    formatWords: string;
    audienceWords: string;
    localStart: string;
    localEnd: string;
    timeZone: string;
    team: string[];
    officeName: string;
    statusWords: string;
    cancelReason: string | null;
    ended: boolean;
  };
  risk: {
    level: string;
    levelWords: string;
    levelMeaning: string;
    levelRule: string | null;
    probability: string;
    asOfLocal: string;
    reasons: string[];
    evidence: { label: string; value: string }[];
  } | null;
  checklist: { items: { id: string; text: string; checked: boolean }[]; canTick: boolean };
  history: { asOfLocal: string; triggerWords: string; levelWords: string; probability: string }[];
  /** Catalogue ids of the latest checklist (what may be ticked). */
  offered: string[];
  applied: string[];
}

const HISTORY_ROWS = 50;

/** Reads everything the appearance page and the debrief form show, from the owners' services. */
@Injectable()
export class AppearancePageService {
  constructor(
    private readonly db: DatabaseService,
    private readonly reader: AppearanceReader,
    private readonly risk: RiskService,
    private readonly applied: AppliedMitigationsService,
    private readonly clock: Clock,
  ) {}

  async load(id: string, visitor: AuthUser): Promise<AppearancePageData> {
    const a = await this.reader.one(id);
    const [latest, { items }, applied, team, office, assigned] = await Promise.all([
      this.risk.latestView(id),
      this.risk.history(id, HISTORY_ROWS, 0),
      this.applied.list(id),
      this.teamNames(a),
      this.db.read((m) => m.getRepository(Office).findOne({ where: { id: a.officeId }, select: { id: true, name: true } })),
      this.db.read((m) => m.getRepository(AppearanceRecruiter).exist({ where: { appearanceId: id, userId: visitor.id } })),
    ]);
    // what can still be done now: "a week before" three days before reads as what replaces it (same id)
    const recommended = latest ? stillDoable(latest.mitigations, { now: this.clock.now(), startsAt: Date.parse(a.startsAt), timeZone: a.timeZone }) : [];
    const offered = recommended.map((m) => m.id);
    // A mitigation ticked earlier stays listed even when a newer assessment no longer recommends it.
    const texts = new Map(recommended.map((m) => [m.id, m.text]));
    const listed = [...offered, ...applied.filter((x) => !texts.has(x))];
    const canTick =
      a.status !== 'cancelled' &&
      (visitor.role === 'admin' || (visitor.role === 'coordinator' && visitor.officeId === a.officeId) || (assigned && (visitor.role === 'recruiter' || visitor.role === 'coordinator')));
    return {
      appearance: {
        id: a.id,
        title: a.title,
        kindWords: KIND_WORDS[a.kind] ?? a.kind,
        institutionName: a.institution.name,
        place: [a.institution.city, a.institution.state].filter(Boolean).join(', '),
        venue: a.venue || 'venue to be confirmed',
        formatWords: FORMAT_WORDS[a.format] ?? a.format,
        audienceWords: AUDIENCE_WORDS[a.audience] ?? a.audience,
        localStart: humanLocal(Date.parse(a.startsAt), a.timeZone),
        localEnd: humanLocal(Date.parse(a.endsAt), a.timeZone),
        timeZone: a.timeZone,
        team,
        officeName: office?.name ?? '',
        statusWords: STATUS_WORDS[a.status] ?? a.status,
        cancelReason: a.cancelReason,
        ended: Date.parse(a.endsAt) <= this.clock.now() || a.status === 'completed',
      },
      risk: latest ? this.riskWords(latest, a.timeZone) : null,
      checklist: { items: listed.map((mid) => ({ id: mid, text: texts.get(mid) ?? mid.replace(/_/g, ' '), checked: applied.includes(mid) })), canTick },
      history: items.map((h) => ({ asOfLocal: humanLocal(Date.parse(h.asOf), a.timeZone), triggerWords: triggerWords(h.trigger), ...historyWords(h) })),
      offered: listed,
      applied,
    };
  }

  /** Records the ticked checklist (only what the page offers may be ticked). */
  async tick(id: string, ids: string[], visitor: AuthUser): Promise<string[]> {
    const { offered } = await this.load(id, visitor);
    return this.applied.set(id, ids, offered, visitor);
  }

  private riskWords(v: RiskAssessmentView, zone: string): NonNullable<AppearancePageData['risk']> {
    const s = summariseAssessment(asRow(v));
    return {
      level: v.level,
      levelWords: s.levelWords,
      levelMeaning: s.levelMeaning,
      levelRule: s.levelRule,
      probability: s.probability,
      asOfLocal: humanLocal(Date.parse(v.asOf), zone),
      reasons: v.reasons,
      evidence: s.evidence,
    };
  }

  private async teamNames(a: AppearanceView): Promise<string[]> {
    if (!a.recruiterIds.length) return [];
    const users = await this.db.read((m) => m.getRepository(User).find({ where: { id: In(a.recruiterIds) }, select: { id: true, displayName: true }, order: { displayName: 'ASC' } }));
    return users.map((u) => u.displayName);
  }
}

const historyWords = (h: RiskAssessmentView) => {
  const s = summariseAssessment(asRow(h));
  return { levelWords: s.levelWords, probability: s.probability };
};
const asRow = (v: RiskAssessmentView) => ({ id: v.id ?? '', level: v.level, p: v.p, modelVersion: v.modelVersion, detail: v as unknown as Record<string, unknown> });
