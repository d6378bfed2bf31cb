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

  it.each([
    [{ from: '2026-05-01', to: '2026-05-01' }],
    [{ from: '2026-06-01', to: '2026-05-01' }],
    [{ from: '2010-01-01', to: '2026-05-01' }],
  ])('refuses the window %p', (q) => {
    expect(() => resolveScope(q, hr, NOW)).toThrow(ValidationFailedError);
  });
});

describe('appearanceConditions', () => {
  it('builds named-parameter conditions for the filters present', () => {
    const s = resolveScope({ from: '2026-01-01', to: '2026-02-01', state: 'oh', kind: 'career_fair' }, coord, NOW);
    expect(appearanceConditions(s)).toEqual({
      sql: 'a.starts_at >= :from AND a.starts_at < :to AND a.office_id = :officeId AND a.kind = :kind AND i.state = :state',
      params: { from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 1, 1), officeId: 'office-a', kind: 'career_fair', state: 'OH' },
    });
    expect(appearanceConditions(resolveScope({}, hr, NOW), { window: false }).sql).toBe('1 = 1');
  });
});
