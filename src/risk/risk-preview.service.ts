import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import type { AppearanceFormat, AppearanceKind, Audience } from '../common/enums';
import { NotFoundError, ValidationFailedError } from '../common/errors';
import { iso } from '../common/time';
import { DatabaseService } from '../database/database.service';
import { query, sql } from '../database/sql';
import { gatherEvidence } from './evidence';
import { AppearanceAttributes, assessRisk, DAY, RiskEvidence } from './model';
import { RiskParametersService } from './risk-parameters.service';
import { loadTargets, Target } from './risk-targets';
import { RiskService } from './risk.service';
import { PreviewResult, previewView } from './risk.view';

type Row = Record<string, unknown>;
const bool = (v: unknown) => v === true || v === 1 || v === '1' || v === 't';

export interface PreviewInput {
  appearanceId?: string;
  institutionId?: string;
  startsAt?: number;
  kind?: AppearanceKind;
  format?: AppearanceFormat;
  audience?: Audience;
  expectedAttendance?: number | null;
  visibleBranding?: boolean;
  protestAnnounced?: boolean;
  asOf?: number;
}

/** "What if": the model on a hypothetical appearance or on an existing one with changes; nothing is written. */
@Injectable()
export class RiskPreviewService {
  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
    private readonly parameters: RiskParametersService,
    private readonly risk: RiskService,
  ) {}

  /**
   * What-if: the same model on a hypothetical appearance; nothing is written. With `appearanceId` the
   * appearance's own attributes and date are the starting point and the input's fields override
   * them; the answer then says how it differs from the appearance's latest assessment.
   */
  async preview(input: PreviewInput): Promise<PreviewResult> {
    const now = this.clock.now();
    const asOf = input.asOf ?? now;
    if (asOf > now) throw new ValidationFailedError('asOf cannot be in the future', { asOf: 'must be at or before now' });
    // one committed state for every statement of the preview (SQLite: a reader connection, never the writer mid-transaction)
    return this.db.read(async (m) => {
      let base: Target | null = null;
      if (input.appearanceId) {
        [base] = await loadTargets(m, sql`a.id = ${input.appearanceId}`);
        if (!base) throw new NotFoundError('Appearance', input.appearanceId, 'appearanceId');
        if (input.institutionId && input.institutionId !== base.institutionId)
          throw new ValidationFailedError('Request validation failed', { institutionId: `appearance ${input.appearanceId} is at institution ${base.institutionId}` });
      }
      const institutionId = base?.institutionId ?? input.institutionId;
      if (!institutionId) throw new ValidationFailedError('Request validation failed', { institutionId: 'required unless appearanceId is given' });
      const startsAt = input.startsAt ?? base?.startsAt;
      if (startsAt === undefined) throw new ValidationFailedError('Request validation failed', { startsAt: 'required unless appearanceId is given (or startsLocal with timeZone)' });
      const rows = await query<Row>(m, sql`SELECT id, state, limits_immigration_cooperation, ownership, highest_degree FROM institutions WHERE id = ${institutionId}`);
      if (!rows.length) throw new NotFoundError('Institution', institutionId, 'institutionId');
      const missing = (['kind', 'format', 'audience', 'visibleBranding'] as const).filter((k) => input[k] === undefined && !base);
      if (missing.length) throw new ValidationFailedError('Request validation failed', Object.fromEntries(missing.map((k) => [k, 'required unless appearanceId is given'])));
      const cx = await this.parameters.context(m);
      const state = String(rows[0].state ?? '');
      const gathered = await this.db.read((rm) => gatherEvidence(rm, asOf, [{ id: institutionId, state }], cx));
      const evidence = gathered.byInstitution.get(institutionId) as RiskEvidence;
      const from = base?.attrs;
      const attrs: AppearanceAttributes = {
        kind: input.kind ?? (from as AppearanceAttributes).kind,
        format: input.format ?? (from as AppearanceAttributes).format,
        audience: input.audience ?? (from as AppearanceAttributes).audience,
        expectedAttendance: input.expectedAttendance !== undefined ? input.expectedAttendance : (from?.expectedAttendance ?? null),
        visibleBranding: input.visibleBranding ?? (from as AppearanceAttributes).visibleBranding,
        protestAnnounced: input.protestAnnounced ?? from?.protestAnnounced ?? false,
        limitsImmigrationCooperation: bool(rows[0].limits_immigration_cooperation),
        ownership: (rows[0].ownership as string | null) ?? null,
        highestDegree: (rows[0].highest_degree as string | null) ?? null,
        state,
        // the saved appearance's short notice holds for its own date and host; another date or host is not judged here
        shortNotice: base && startsAt === base.startsAt && institutionId === base.institutionId ? base.attrs.shortNotice : null,
      };
      const lead = Math.max(0, startsAt - asOf);
      const result = assessRisk(evidence, attrs, cx.params, lead);
      const view = previewView(result, evidence, asOf, lead);
      // would another date change anything? Only the short-lived context fades with the lead time.
      const atOtherDate = assessRisk(evidence, attrs, cx.params, lead + 30 * DAY).p;
      const dateMatters = Math.abs(atOtherDate - result.p) > 1e-6;
      const out: PreviewResult = {
        ...view,
        startsAt: iso(startsAt),
        leadTimeDays: Math.round((lead / DAY) * 10) / 10,
        dateMakesNoDifference: !dateMatters,
        dateNote: dateMatters
          ? 'The date matters: recent context here and the current waves fade with time, so a later date reads lower.'
          : 'The date makes no difference here: nothing recent enough to fade is in the evidence, so any date gives the same chance.',
        comparison: null,
      };
      if (base) {
        const current = await this.risk.latestView(base.id);
        if (current)
          out.comparison = {
            assessmentId: current.id as string,
            p: current.p,
            level: current.level,
            differenceP: result.p - current.p,
            levelChanged: current.level !== result.level,
            text:
              Math.abs(result.p - current.p) < 5e-4 && current.level === result.level
                ? `Same as the current assessment (${current.level}).`
                : `${result.p > current.p ? 'Higher' : 'Lower'} than the current assessment: ${(result.p * 100).toFixed(1)}% against ${(current.p * 100).toFixed(1)}% (${current.level} → ${result.level}).`,
          };
      }
      return out;
    });
  }
}
