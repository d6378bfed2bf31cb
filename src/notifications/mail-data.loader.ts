import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { Appearance } from '../appearances/appearance.entity';
import { Office } from '../offices/office.entity';
import { RiskAssessment } from '../risk/risk-assessment.entity';
import { User } from '../users/user.entity';
import type { AssessmentRow } from './assessment-summary';
import type { Notification } from './notification.entity';
import { DatabaseService } from '../database/database.service';

export interface DigestData {
  office: Office;
  appearances: Appearance[];
}

/** Everything needed to render one claimed batch, loaded with a handful of set-based queries. */
export interface BatchData {
  appearances: Map<string, Appearance>;
  latest: Map<string, AssessmentRow>;
  users: Map<string, Pick<User, 'id' | 'displayName' | 'email' | 'active' | 'mutedKinds'>>;
  withOutcome: Set<string>;
  digests: Map<string, DigestData>;
  /** Per-batch memo of what is the same for every recipient (local-time strings, calendar fields). */
  memo: Map<string, unknown>;
}

const CHUNK = 500;

function chunks<T>(xs: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += CHUNK) out.push(xs.slice(i, i + CHUNK));
  return out;
}

@Injectable()
export class MailDataLoader {
  constructor(private readonly db: DatabaseService) {}

  async load(rows: Notification[]): Promise<BatchData> {
    return this.db.read(async (m) => {
      const appearanceIds = [...new Set(rows.map((r) => r.appearanceId).filter((x): x is string => !!x))];
      const digestOffices = new Map<string, { from: number; to: number }>();
      for (const r of rows) {
        if (r.kind === 'weekly_digest') digestOffices.set(String(r.payload.officeId), { from: Number(r.payload.fromMs), to: Number(r.payload.toMs) });
      }
      const digests = new Map<string, DigestData>();
      const digestAppearanceIds: string[] = [];
      for (const [officeId, w] of digestOffices) {
        const office = await m.getRepository(Office).findOneBy({ id: officeId });
        if (!office) continue;
        const list = await m
          .getRepository(Appearance)
          .createQueryBuilder('a')
          .leftJoinAndSelect('a.institution', 'i')
          .where('a.office_id = :officeId', { officeId })
          .andWhere('a.starts_at >= :from AND a.starts_at < :to', { from: w.from, to: w.to })
          .andWhere('a.status IN (:...st)', { st: ['planned', 'confirmed'] })
          .orderBy('a.starts_at', 'ASC')
          .getMany();
        digests.set(officeId, { office, appearances: list });
        digestAppearanceIds.push(...list.map((a) => a.id));
      }
      const appearances = new Map<string, Appearance>();
      for (const ids of chunks(appearanceIds)) {
        const list = await m.getRepository(Appearance).find({ where: { id: In(ids) }, relations: { institution: true, office: true } });
        for (const a of list) appearances.set(a.id, a);
      }
      const latest = await this.latestAssessments([...new Set([...appearanceIds, ...digestAppearanceIds])]);
      const userIds = [...new Set(rows.map((r) => r.recipientId))];
      const users = new Map<string, Pick<User, 'id' | 'displayName' | 'email' | 'active' | 'mutedKinds'>>();
      for (const ids of chunks(userIds)) {
        const list = await m.getRepository(User).find({ where: { id: In(ids) }, select: { id: true, displayName: true, email: true, active: true, mutedKinds: true } });
        for (const u of list) users.set(u.id, u);
      }
      const withOutcome = new Set<string>();
      const debriefIds = [...new Set(rows.filter((r) => r.kind === 'debrief_request' && r.appearanceId).map((r) => r.appearanceId as string))];
      for (const ids of chunks(debriefIds)) {
        const found: { appearance_id: string }[] = await m
          .createQueryBuilder()
          .select('o.appearance_id', 'appearance_id')
          .from('outcomes', 'o')
          .where('o.appearance_id IN (:...ids)', { ids })
          .getRawMany();
        for (const f of found) withOutcome.add(f.appearance_id);
      }
      return { appearances, latest, users, withOutcome, digests, memo: new Map() };
    });
  }

  /** The newest snapshot of each appearance (by seq, then created_at: RiskService.latestView's order). */
  async latestAssessments(appearanceIds: string[]): Promise<Map<string, AssessmentRow>> {
    return this.db.read(async (m) => {
      const out = new Map<string, AssessmentRow & { asOf: number; createdAt: number }>();
      for (const ids of chunks(appearanceIds)) {
        const list = await m
          .getRepository(RiskAssessment)
          .createQueryBuilder('r')
          .where('r.appearance_id IN (:...ids)', { ids })
          .andWhere('NOT EXISTS (SELECT 1 FROM risk_assessments r2 WHERE r2.appearance_id = r.appearance_id AND (r2.seq > r.seq OR (r2.seq = r.seq AND r2.created_at > r.created_at)))')
          .getMany();
        for (const r of list) {
          const prev = out.get(r.appearanceId);
          if (!prev || r.id > prev.id) out.set(r.appearanceId, { id: r.id, level: r.level, p: r.p, modelVersion: r.modelVersion, detail: r.detail, asOf: r.asOf, createdAt: r.createdAt });
        }
      }
      return out;
    });
  }
}
