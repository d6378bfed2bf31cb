import { Injectable } from '@nestjs/common';
import { AppearanceReader } from '../appearances/appearance-reader';
import { AttentionService } from '../attention/attention.service';
import type { AuthUser } from '../common/auth';
import { Clock } from '../common/clock';
import { RISK_LEVELS } from '../common/enums';
import { ValidationFailedError } from '../common/errors';
import { DAY_MS, humanLocal } from '../common/time';
import { STATE_ZONES } from '../institutions/state-zones';
import { Office } from '../offices/office.entity';
import { DatabaseService } from '../database/database.service';
import { query, sql } from '../database/sql';

export interface UpcomingRisk {
  byLevel: { level: string; count: number }[];
  /** High and Critical appearances of the next 30 days. */
  serious: { id: string; title: string; institutionName: string; startsLocal: string; level: string }[];
  unacknowledged: number;
}

export interface DashboardFilters {
  officeId?: string;
  state?: string;
  kind?: string;
}

const AHEAD_DAYS = 30;

/**
 * The dashboard's forward look and its filter choices: the offices a user may pick (coordinators
 * only theirs, by name), the state check (an unknown state is an error on the form, not an empty
 * page), and the next 30 days by level with the warnings nobody has acknowledged.
 */
@Injectable()
export class DashboardUpcoming {
  constructor(
    private readonly db: DatabaseService,
    private readonly reader: AppearanceReader,
    private readonly attention: AttentionService,
    private readonly clock: Clock,
  ) {}

  async offices(user: AuthUser): Promise<{ id: string; name: string }[]> {
    const where = user.role === 'coordinator' ? { id: user.officeId ?? '' } : {};
    return (await this.db.read((m) => m.getRepository(Office).find({ where, select: { id: true, name: true }, order: { name: 'ASC' } }))).map((o) => ({ id: o.id, name: o.name }));
  }

  /** A state filter must be a code the data knows (a US state, or a region some institution has). */
  async checkState(state: string | undefined): Promise<void> {
    if (!state) return;
    const code = state.toUpperCase();
    if (STATE_ZONES[code]) return;
    const [row] = await this.db.read((m) => query(m, sql`SELECT 1 AS x FROM institutions WHERE state = ${code} LIMIT 1`));
    if (row) return;
    throw new ValidationFailedError(`Unknown state "${state}"`, { state: `"${state}" is not a state or region code in Forewarn; use the two-letter code, e.g. OH for Ohio` });
  }

  async upcoming(f: DashboardFilters, user: AuthUser): Promise<UpcomingRisk> {
    const now = this.clock.now();
    const officeId = user.role === 'coordinator' ? (user.officeId ?? '') : f.officeId;
    const list = (await this.reader.all({ from: now, to: now + AHEAD_DAYS * DAY_MS, status: ['planned', 'confirmed'], officeId, kind: f.kind })).filter(
      (a) => !f.state || a.institution.state === f.state.toUpperCase(),
    );
    const byLevel = [...[...RISK_LEVELS].reverse(), 'unassessed'].map((level) => ({ level, count: list.filter((a) => (a.riskLevel ?? 'unassessed') === level).length }));
    const serious = list
      .filter((a) => a.riskLevel === 'high' || a.riskLevel === 'critical')
      .map((a) => ({ id: a.id, title: a.title, institutionName: a.institution.name, startsLocal: humanLocal(Date.parse(a.startsAt), a.timeZone), level: a.riskLevel as string }));
    const waiting = await this.attention.unacknowledgedWarnings(officeId ?? null, now);
    return { byLevel, serious, unacknowledged: waiting.filter((w) => list.some((a) => a.id === w.appearanceId)).length };
  }
}
