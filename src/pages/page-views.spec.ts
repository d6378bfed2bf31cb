import { daysAgo, PageViews } from './page-views';

describe('page words', () => {
  it.each([
    [0, 'less than a day ago'],
    [1, '1 day ago'],
    [5, '5 days ago'],
    [null, 'less than a day ago'],
  ])('daysAgo(%p) → %s', (days, words) => {
    expect(daysAgo(days)).toBe(words);
  });

  it('the board says so instead of "ended 0 days ago"', () => {
    const html = new PageViews().render('board', {
      title: 'Needs you',
      visitor: null,
      officeName: 'Cleveland',
      asOfWords: 'now',
      dashboard: false,
      attention: { unacknowledged: [], upcoming: [], advanceNotice: [], debriefsOverdue: [{ appearanceId: 'a1', title: 'Fair', institutionName: 'CSU', startsLocal: 'Monday', daysSinceEnd: 0 }] },
    });
    expect(html).toContain('— ended less than a day ago</li>');
    expect(html).not.toContain('0 days ago');
  });
});
