import { formatBytes, formatKb, formatMs, formatRatio, plural } from '../format';
import type { ProfileResult, TargetResult } from './result-schema';
import type { Summary } from './stats';

function pad(cells: string[][]): string[] {
  const widths = cells[0].map((_, c) => Math.max(...cells.map((row) => row[c].length)));
  return cells.map((row) => row.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd());
}

function spread(s: Summary, fmt: (v: number) => string): string {
  return s.n === 0 ? 'no successful run' : `${fmt(s.median)} (mean ${fmt(s.mean)} ± ${fmt(s.sd)}; ${fmt(s.min)} … ${fmt(s.max)})`;
}

/** Warnings a reader must see next to the numbers (outliers, failures, inexact measurement). */
export function warningsOf(result: ProfileResult): string[] {
  const warnings: string[] = [];
  for (const t of result.targets) {
    const { wallMs, maxRssKb, failures } = t.summary;
    if (failures > 0) {
      const first = t.samples.find((s) => s.error);
      warnings.push(`${t.label}: ${failures} of ${t.samples.length} runs failed (first: ${first?.error}${first?.stderrTail ? ` — ${first.stderrTail.split('\n').pop()}` : ''}). They are left out of the statistics.`);
    }
    if (wallMs.outliers.length > 0) {
      warnings.push(`${t.label}: ${wallMs.outliers.length} statistical outlier(s) in cold start (modified z-score > 3.5). Other programs or a busy machine may have disturbed the measurement; consider more runs, more warmup, or a quieter machine.`);
    }
    if (maxRssKb.outliers.length > 0) warnings.push(`${t.label}: ${maxRssKb.outliers.length} outlier(s) in peak memory.`);
  }
  if (result.environment.measurement === 'polling') {
    warnings.push('The wc-exec helper is not built (no C compiler at build time): times come from Node and peak memory from polling /proc, a lower bound. Install gcc and run npm run build for wait4 accounting.');
  }
  if (result.status !== 'complete') warnings.push(`The profile is ${result.status}${result.error ? `: ${result.error}` : ''}; the figures cover the runs that finished.`);
  return warnings;
}

function phaseLine(t: TargetResult): string | undefined {
  const p = t.summary.phases;
  if (!p) return undefined;
  return `${t.label}: startup ${formatMs(p.startup.median)}, run ${formatMs(p.run.median)}, shutdown ${formatMs(p.shutdown.median)} (medians of ${p.startup.n})`;
}

/** The comparison as a terminal would show it. */
export function renderTextReport(result: ProfileResult, title: string): string {
  const s = result.settings;
  const lines = [
    `${title}`,
    `${plural(s.runs, 'measured run')} per target after ${plural(s.warmup, 'warmup run')}, ${s.order}; ${result.environment.measurement === 'wait4' ? 'wait4 accounting (exact wall time and peak RSS)' : 'polled'}; ${result.environment.cpuModel} ×${result.environment.cpuCount}, kernel ${result.environment.kernel}`,
    '',
  ];
  const rows = [['target', 'size', 'cold start: median (mean ± σ; min … max)', 'peak RSS: median (mean ± σ; min … max)', 'runs']];
  for (const t of result.targets) {
    rows.push([t.label, formatBytes(t.sizeBytes), spread(t.summary.wallMs, formatMs), spread(t.summary.maxRssKb, formatKb), `${t.summary.wallMs.n}/${t.samples.length}`]);
  }
  lines.push(...pad(rows), '');
  for (const t of result.targets) {
    const line = phaseLine(t);
    if (line) lines.push(line);
  }
  for (const c of result.comparisons) {
    const target = result.targets.find((t) => t.id === c.target)!;
    const ref = result.targets.find((t) => t.id === c.reference)!;
    const ci = (r: { low: number; high: number }) => (Number.isFinite(r.low) ? ` [95% CI ${formatRatio(r.low)} – ${formatRatio(r.high)}]` : '');
    lines.push(`${target.label} vs ${ref.label}: size ${formatRatio(c.size)}, cold start ${formatRatio(c.wallMs.ratio)}${ci(c.wallMs)}, peak memory ${formatRatio(c.maxRssKb.ratio)}${ci(c.maxRssKb)}`);
  }
  const warnings = warningsOf(result);
  if (warnings.length > 0) lines.push('', ...warnings.map((w) => `Warning: ${w}`));
  return lines.join('\n');
}
