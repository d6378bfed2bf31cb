import { assessRisk, RiskEvidence } from '../risk/model';
import { DEFAULT_TOPIC_RELATIONS } from '../risk/params';
import { detailJson, evidenceJson } from '../risk/risk.view';
import { SHIPPED_PARAMS } from '../risk/shipped-params';
import { summariseAssessment } from './assessment-summary';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 2, 1, 12);

/** A busy campus: several factors listed, a last disruption, the own record. */
const ev: RiskEvidence = {
  institution: { n: 6, k: 2, severity: [1, 0.5, 0.5, 0] },
  state: { n: 60, k: 8, severity: [4, 2, 1, 1] },
  organisation: { n: 900, k: 70, severity: [30, 20, 15, 5] },
  affiliationActivity: 3.2,
  activityActivity: 1.1,
  generalActivity: 9,
  stateWave: 4,
  nationalWave: 60,
  recent: { institution12m: 14, institutionByTopic12m: [4, 2, 1, 0, 3, 0, 4], state30d: 9, national30d: 120 },
  latestStance: 'restricted',
  declinedRecently: true,
  criticalRecently: false,
  lastOwnIncident: { occurredAt: NOW - 300 * DAY, kind: 'table_blocked', severity: 3 },
  relations: DEFAULT_TOPIC_RELATIONS,
};
const attrs = {
  kind: 'career_fair',
  format: 'in_person',
  audience: 'public',
  expectedAttendance: 400,
  visibleBranding: true,
  protestAnnounced: true,
  limitsImmigrationCooperation: true,
  ownership: 'public',
  highestDegree: 'graduate',
  state: 'OH',
} as const;

describe('the mail and page summary of a stored assessment', () => {
  const r = assessRisk(ev, attrs, SHIPPED_PARAMS, 10 * DAY);
  const row = (detail: Record<string, unknown>) => ({ id: 'a1', level: r.level, p: r.p, modelVersion: r.modelVersion, detail });

  it("gives the assessment's first three reasons from a detail that stores notes around the factors", () => {
    const detail = JSON.parse(detailJson(r, evidenceJson(ev), 10 * DAY)) as Record<string, unknown>;
    expect(detail.reasons).toBeUndefined();
    expect(r.reasons.length).toBeGreaterThan(4);
    // the rule, our last disruption here, then the strongest factor
    expect(summariseAssessment(row(detail)).reasons).toEqual(r.reasons.slice(0, 3));
    expect(r.reasons[2]).toBe(`${r.factors[0].text}.`);
  });

  it('reads an older snapshot that stored the whole list the same way', () => {
    const detail = JSON.parse(detailJson(r, evidenceJson(ev), 10 * DAY)) as Record<string, unknown>;
    delete detail.notes;
    expect(summariseAssessment(row({ ...detail, reasons: r.reasons })).reasons).toEqual(r.reasons.slice(0, 3));
  });
});
