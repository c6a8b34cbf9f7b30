import { type Figure, ratioOf } from './result.js';
import { formatNumber } from './stats.js';

const digitsFor = (value: number) => (Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
const show = (value: number | undefined, unit: string) =>
  value === undefined ? '—' : `${formatNumber(value, digitsFor(value))}${unit ? ` ${unit}` : ''}`;

/** The figures as one Markdown table (the same text is printed and pasted into docs/benchmarks.md). */
export function renderTable(figures: readonly Figure[]): string {
  const header = ['figure', 'Overture', 'baseline (same run)', 'ratio', 'target', 'met'];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const figure of figures) {
    const ratio = ratioOf(figure);
    const baseline = figure.baseline ? `${figure.baseline.label}: ${show(figure.baseline.value, figure.unit)}` : '—';
    const met = figure.met === undefined ? '?' : figure.met ? 'yes' : '**no**';
    const value = figure.value === undefined ? (figure.note ?? 'not measured') : show(figure.value, figure.unit);
    lines.push(
      `| ${figure.name} | ${value} | ${baseline} | ${ratio === undefined ? '—' : `${ratio.toFixed(2)}×`} | ${figure.target} | ${met} |`,
    );
  }
  const notes = figures.filter((figure) => figure.note && figure.value !== undefined).map((figure) => `- ${figure.name}: ${figure.note}`);
  return [...lines, ...(notes.length > 0 ? ['', ...notes] : [])].join('\n');
}
