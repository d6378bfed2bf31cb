import { TOPICS } from './enums';
import { ALL_TOPICS_MASK, cccTopics, parseTopicList, topicBit, topicMask, topicsOf } from './topics';

describe('incident topics', () => {
  it.each([
    [{ about_recruiting: 'yes', about_immigration_enforcement: 'no', about_gaza: 'no' }, ['recruiting_employers']],
    [{ about_recruiting: 'no', about_immigration_enforcement: 'yes', about_gaza: 'yes' }, ['immigration_enforcement', 'foreign_policy']],
    [{ about_recruiting: 'no', about_immigration_enforcement: 'no', about_gaza: 'no' }, ['other']],
    [{ about_recruiting: 'TRUE', about_gaza: '1' }, ['recruiting_employers', 'foreign_policy']],
    [{}, ['other']],
  ])('Crowd Counting Consortium flags %j → %j', (row, topics) => expect(cccTopics(row as Record<string, string>)).toEqual(topics));

  it.each([
    ['immigration_enforcement; recruiting_employers', ['immigration_enforcement', 'recruiting_employers'], []],
    ['policing,policing | labour', ['policing', 'labour'], []],
    ['  ', [], []],
    ['Policing gaza', ['policing'], ['gaza']],
  ])('the cell "%s" reads as %j (unknown %j)', (cell, topics, unknown) => expect(parseTopicList(cell)).toEqual({ topics, unknown }));

  it('masks round-trip in vocabulary order, one bit per topic', () => {
    expect(topicsOf(topicMask(['labour', 'immigration_enforcement']))).toEqual(['immigration_enforcement', 'labour']);
    expect(TOPICS.map(topicBit)).toEqual(TOPICS.map((_, i) => 1 << i));
    expect(topicsOf(ALL_TOPICS_MASK)).toEqual([...TOPICS]);
    expect(topicMask([])).toBe(0);
  });
});
