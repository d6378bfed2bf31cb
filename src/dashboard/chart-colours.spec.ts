import { CHART_COLOURS } from './dashboard-page';
import { stackedBarChart } from './svg-charts';

/** WCAG 2.1 relative luminance and contrast ratio. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a: string, b: string) => (Math.max(luminance(a), luminance(b)) + 0.05) / (Math.min(luminance(a), luminance(b)) + 0.05);

describe('chart colours', () => {
  it.each(CHART_COLOURS)('%s has at least 3:1 against the white page', (c) => {
    expect(contrast(c, '#ffffff')).toBeGreaterThanOrEqual(3);
  });

  it('stacked segments are separated by a white gap, so neighbouring fills never touch', () => {
    const svg = stackedBarChart({
      id: 'c',
      title: 't',
      desc: 'd',
      categories: ['OH'],
      stacks: [
        { name: 'a', color: '#1b7837', values: [2] },
        { name: 'b', color: '#7a7a7a', values: [3] },
      ],
    });
    const rects = svg.match(/<rect class="bar"[^>]*>/g) ?? [];
    expect(rects).toHaveLength(2);
    for (const r of rects) expect(r).toContain('stroke="#ffffff" stroke-width="2"');
  });
});
