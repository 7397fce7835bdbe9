/** The figures per target, plain: what the verdict and the charts are made of. */
import { formatBytes, formatKb, formatMs } from '../../src/core/format';
import { memoryNote } from '../../src/core/profile/report-notes';
import type { ProfileResult, TargetResult } from '../../src/core/profile/result-schema';
import { el } from './dom';

const HEAD = [
  'Target',
  'Runtime',
  'Size',
  'Image (gzip)',
  'Cold start median',
  'σ',
  'p95',
  'Peak memory median',
  'Successful runs',
];

function row(t: TargetResult, i: number): HTMLElement {
  const w = t.summary.wallMs;
  const m = t.summary.maxRssKb;
  const num = (text: string) => el('td', { class: 'num' }, text);
  return el(
    'tr',
    {},
    el(
      'th',
      { scope: 'row' },
      el('i', { class: `swatch s${i % 8}`, 'aria-hidden': 'true' }),
      t.label,
    ),
    el('td', {}, t.runtime),
    num(`${formatBytes(t.sizeBytes)}${t.sizeKind === 'image' ? ' (image)' : ''}`),
    num(t.image ? formatBytes(t.image.compressed) : '–'),
    num(w.n ? formatMs(w.median) : '–'),
    num(w.n ? `± ${formatMs(w.sd)}` : '–'),
    num(w.n ? formatMs(w.p95) : '–'),
    num(m.n ? `${formatKb(m.median)}${memoryNote(t)}` : '–'),
    num(`${w.n} of ${t.samples.length}`),
  );
}

export function overviewSection(result: ProfileResult): HTMLElement {
  return el(
    'section',
    { 'aria-labelledby': 'overview-title' },
    el('h2', { id: 'overview-title' }, 'Figures'),
    el(
      'table',
      { class: 'data', id: 'overview' },
      el('thead', {}, el('tr', {}, ...HEAD.map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...result.targets.map(row)),
    ),
  );
}
