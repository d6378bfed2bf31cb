import { ForbiddenError, ValidationFailedError } from '../common/errors';
import { appearanceConditions, resolveScope } from './report-scope';

const NOW = Date.UTC(2026, 6, 15, 12);
const hr = { id: 'u1', email: 'hr@x', role: 'hr' as const, officeId: null };
const coord = { id: 'u2', email: 'c@x', role: 'coordinator' as const, officeId: 'office-a' };

describe('resolveScope', () => {
  it.each<[string, object, number, number, number]>([
    ['default: the last 12 calendar months up to now', {}, 12, Date.UTC(2025, 7, 1), NOW],
    ['default of 24 months', {}, 24, Date.UTC(2024, 7, 1), NOW],
    ['explicit dates', { from: '2026-01-01', to: '2026-04-01' }, 12, Date.UTC(2026, 0, 1), Date.UTC(2026, 3, 1)],
    ['only to: twelve months ending with its month', { to: '2026-04-01' }, 12, Date.UTC(2025, 3, 1), Date.UTC(2026, 3, 1)],
    ['date-time with offset', { from: '2026-01-01T00:00:00-05:00' }, 12, Date.UTC(2026, 0, 1, 5), NOW],
  ])('%s', (_name, q, months, from, to) => {
    const s = resolveScope(q, hr, NOW, months);
    expect([s.from, s.to]).toEqual([from, to]);
  });

  it('upper-cases the state and keeps an hr office filter', () => {
    expect(resolveScope({ state: 'oh', officeId: 'office-b' }, hr, NOW)).toMatchObject({ state: 'OH', officeId: 'office-b' });
  });

  it('limits a coordinator to their own office', () => {
    expect(resolveScope({}, coord, NOW).officeId).toBe('office-a');
    expect(resolveScope({ officeId: 'office-a' }, coord, NOW).officeId).toBe('office-a');
    expect(() => resolveScope({ officeId: 'office-b' }, coord, NOW)).toThrow(ForbiddenError);
    expect(() => resolveScope({}, { ...coord, officeId: null }, NOW)).toThrow(ForbiddenError);
  });

  it.each([[{ from: '2026-05-01', to: '2026-05-01' }], [{ from: '2026-06-01', to: '2026-05-01' }], [{ from: '2010-01-01', to: '2026-05-01' }]])('refuses the window %p', (q) => {
    expect(() => resolveScope(q, hr, NOW)).toThrow(ValidationFailedError);
  });
});

describe('appearanceConditions', () => {
  it('builds bound-parameter conditions for the filters present', () => {
    const s = resolveScope({ from: '2026-01-01', to: '2026-02-01', state: 'oh', kind: 'career_fair' }, coord, NOW);
    const params = [Date.UTC(2026, 0, 1), Date.UTC(2026, 1, 1), 'office-a', 'career_fair', 'OH'];
    expect(appearanceConditions(s).render('sqlite')).toEqual({ text: 'a.starts_at >= ? AND a.starts_at < ? AND a.office_id = ? AND a.kind = ? AND i.state = ?', params });
    expect(appearanceConditions(s).render('postgres')).toEqual({ text: 'a.starts_at >= $1 AND a.starts_at < $2 AND a.office_id = $3 AND a.kind = $4 AND i.state = $5', params });
    expect(appearanceConditions(resolveScope({}, hr, NOW), { window: false }).render('postgres')).toEqual({ text: '1 = 1', params: [] });
  });
});

describe('resolveScope refusals, field by field', () => {
  const refusal = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      const d = e as ValidationFailedError;
      return { type: d.constructor.name, message: d.message, fields: d.fields, code: d.code };
    }
    return null;
  };
  const TEN_YEARS = 10 * 366 * 86_400_000;

  it('from not before to', () => {
    expect(refusal(() => resolveScope({ from: '2026-04-01', to: '2026-04-01' }, hr, NOW))).toEqual({
      type: 'ValidationFailedError',
      code: 'VALIDATION_FAILED',
      message: 'from must be before to',
      fields: { from: 'must be before to (2026-04-01T00:00:00.000Z)' },
    });
  });

  it('ten years at most: exactly ten is fine, one millisecond more is refused', () => {
    const to = Date.UTC(2026, 0, 1);
    expect(resolveScope({ from: new Date(to - TEN_YEARS).toISOString(), to: new Date(to).toISOString() }, hr, NOW).from).toBe(to - TEN_YEARS);
    expect(refusal(() => resolveScope({ from: new Date(to - TEN_YEARS - 1).toISOString(), to: new Date(to).toISOString() }, hr, NOW))).toEqual({
      type: 'ValidationFailedError',
      code: 'VALIDATION_FAILED',
      message: 'The window is limited to ten years',
      fields: { from: 'at most ten years before to' },
    });
  });

  it('a coordinator without an office, or asking for another office', () => {
    expect(refusal(() => resolveScope({}, { ...coord, officeId: null }, NOW))).toMatchObject({ type: 'ForbiddenError', message: 'A coordinator without an office cannot read reports' });
    expect(refusal(() => resolveScope({ officeId: 'office-b' }, coord, NOW))).toMatchObject({
      type: 'ForbiddenError',
      code: 'OTHER_OFFICE',
      message: 'Coordinators see reports for their own office only',
    });
  });
});
