import { barChart, niceScale, stackedBarChart } from './svg-charts';

describe('barChart', () => {
  const svg = barChart({
    id: 'c1',
    title: 'Incidents <per> month',
    desc: 'A & B',
    categories: ['2026-01', '2026-02', '2026-03'],
    series: [{ name: 'Rate', color: '#000', values: [0.5, null, 2], intervals: [{ low: 0.1, high: 1.2 }, null, { low: 1, high: 3 }] }],
    line: { name: 'Trend', color: '#f00', values: [0.6, 1, 1.7] },
    yLabel: 'per appearance',
  });

  it('is an accessible image with an escaped title and description', () => {
    expect(svg).toMatch(/^<svg id="c1" class="chart" role="img" aria-labelledby="c1-title c1-desc"/);
    expect(svg).toContain('<title id="c1-title">Incidents &lt;per&gt; month</title>');
    expect(svg).toContain('<desc id="c1-desc">A &amp; B</desc>');
  });

  it.each([
    ['one bar per non-null value', /<rect class="bar"/g, 2],
    ['one whisker per interval', /class="whisker"/g, 2],
    ['a trend line', /<polyline class="trend"/g, 1],
    ['a label per category', /2026-0\d<\/tspan><\/text>/g, 3],
    ['"no data" where a category has no value', /class="no-data"/g, 1],
  ])('draws %s', (_what, re, n) => {
    expect(svg.match(re)?.length ?? 0).toBe(n);
  });

  it('carries exact values on the bars', () => {
    expect(svg).toContain('data-series="Rate" data-category="2026-03" data-value="2"');
  });
});

describe('axis and labels', () => {
  it.each([
    [1.06, 1.2, 4],
    [0.45, 0.5, 5],
    [2, 2, 4],
    [73, 80, 4],
    [0, 1, 5],
  ])('a max of %p gets the top %p in %p steps', (v, top, ticks) => {
    expect(niceScale(v)).toEqual({ top, ticks });
  });

  it('labels every tick with the same number of decimals', () => {
    const svg = barChart({ id: 'c', title: 'T', desc: 'D', categories: ['a'], series: [{ name: 'S', color: '#000', values: [1.06] }], yLabel: 'y' });
    const ticks = [...svg.matchAll(/aria-hidden="true">([\d.]+)<\/text>/g)].map((m) => m[1]);
    expect(ticks).toEqual(['0.0', '0.3', '0.6', '0.9', '1.2']);
  });

  it('wraps a long category name on two lines instead of cutting it', () => {
    const svg = barChart({ id: 'c', title: 'T', desc: 'D', categories: ['partnership meeting'], series: [{ name: 'S', color: '#000', values: [3] }], yLabel: 'y' });
    expect(svg).toMatch(/<tspan[^>]*>partnership<\/tspan><tspan[^>]*dy="14">meeting<\/tspan>/);
    expect(svg).not.toContain('…');
  });
});

describe('stackedBarChart', () => {
  it('draws one segment per non-zero value with its total', () => {
    const svg = stackedBarChart({
      id: 's',
      title: 'T',
      desc: 'D',
      categories: ['OH', 'MI'],
      stacks: [
        { name: 'hostile', color: '#a00', values: [1, 0] },
        { name: 'neutral', color: '#777', values: [2, 3] },
      ],
    });
    expect(svg.match(/<rect class="bar"/g)).toHaveLength(3);
    expect(svg).toContain('data-series="hostile" data-category="OH" data-value="1"');
    expect(svg).not.toContain('data-series="hostile" data-category="MI"');
  });
});
