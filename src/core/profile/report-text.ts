import { formatBytes, formatKb, formatMs, formatRatio, plural } from '../format';
import type { ProfileResult, TargetResult } from './result-schema';
import type { Summary } from './stats';
import { scenarioErrors, scenarioTables } from './report-scenarios';

function pad(cells: string[][]): string[] {
  const widths = cells[0].map((_, c) => Math.max(...cells.map((row) => row[c].length)));
  return cells.map((row) =>
    row
      .map((cell, c) => cell.padEnd(widths[c]))
      .join('  ')
      .trimEnd(),
  );
}

function spread(s: Summary, fmt: (v: number) => string): string {
  return s.n === 0
    ? 'no successful run'
    : `${fmt(s.median)} (mean ${fmt(s.mean)} ± ${fmt(s.sd)}; ${fmt(s.min)} … ${fmt(s.max)})`;
}

/** Warnings a reader must see next to the numbers (outliers, failures, inexact measurement). */
export function warningsOf(result: ProfileResult): string[] {
  const warnings: string[] = [];
  for (const t of result.targets) {
    const { wallMs, maxRssKb, failures } = t.summary;
    if (failures > 0) {
      const first = t.samples.find((s) => s.error);
      warnings.push(
        `${t.label}: ${failures} of ${t.samples.length} runs failed (first: ${first?.error}${first?.stderrTail ? ` — ${first.stderrTail.split('\n').pop()}` : ''}). They are left out of the statistics.`,
      );
    }
    if (wallMs.outliers.length > 0) {
      warnings.push(
        `${t.label}: ${wallMs.outliers.length} statistical outlier(s) in cold start (modified z-score > 3.5). Other programs or a busy machine may have disturbed the measurement; consider more runs, more warmup, or a quieter machine.`,
      );
    }
    if (maxRssKb.outliers.length > 0)
      warnings.push(`${t.label}: ${maxRssKb.outliers.length} outlier(s) in peak memory.`);
    if (
      t.samples.length > 0 &&
      t.samples.every((x) => x.memorySource === 'cgroup-polled') &&
      maxRssKb.n === 0 &&
      failures < t.samples.length
    ) {
      warnings.push(
        `${t.label}: the container exited before its cgroup could be read, so there is no peak memory figure for so short a run; see the density scenario for container memory.`,
      );
    }
  }
  if (result.environment.measurement === 'polling') {
    warnings.push(
      'The wc-exec helper is not built (no C compiler at build time): times come from Node and peak memory from polling /proc, a lower bound. Install gcc and run npm run build for wait4 accounting.',
    );
  }
  if (result.status !== 'complete')
    warnings.push(
      `The profile is ${result.status}${result.error ? `: ${result.error}` : ''}; the figures cover the runs that finished.`,
    );
  return warnings;
}

/** Process runs report peak RSS (wait4); containers report their cgroup's peak, a different measure. */
export function memoryNote(t: TargetResult): string {
  const source = t.samples.find((x) => x.memorySource)?.memorySource;
  return source === 'cgroup-polled' ? ' [cgroup]' : source === 'proc-polled' ? ' [polled RSS]' : '';
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
    `${plural(s.runs, 'measured run')} per target after ${plural(s.warmup, 'warmup run')}, ${s.order}; ${result.environment.measurement === 'wait4' ? 'processes: wait4 accounting (exact wall time and peak RSS)' : 'processes: polled'}${result.targets.some((t) => t.sizeKind === 'image') ? '; containers: API timings, cgroup memory' : ''}; ${result.environment.cpuModel} ×${result.environment.cpuCount}, kernel ${result.environment.kernel}`,
    '',
  ];
  if (s.coldStart) {
    const rows = [
      [
        'target',
        'size',
        'image (gzip / unpacked)',
        'cold start: median (mean ± σ; min … max)',
        'peak memory: median (mean ± σ; min … max)',
        'runs',
      ],
    ];
    for (const t of result.targets) {
      rows.push([
        t.label,
        `${formatBytes(t.sizeBytes)}${t.sizeKind === 'image' ? ' (image)' : ''}`,
        t.image ? `${formatBytes(t.image.compressed)} / ${formatBytes(t.image.uncompressed)}` : '–',
        spread(t.summary.wallMs, formatMs),
        `${spread(t.summary.maxRssKb, formatKb)}${memoryNote(t)}`,
        `${t.summary.wallMs.n}/${t.samples.length}`,
      ]);
    }
    lines.push(...pad(rows), '');
  }
  for (const t of result.targets) {
    const c = t.summary.containerPhases;
    if (c)
      lines.push(
        `${t.label}: create ${formatMs(c.create.median)}, start ${formatMs(c.start.median)}, run ${formatMs(c.run.median)}, remove ${formatMs(c.remove.median)} (medians of ${c.create.n}; peak memory from the container's cgroup, polled)`,
      );
  }
  for (const t of result.targets) {
    const line = phaseLine(t);
    if (line) lines.push(line);
  }
  for (const c of s.coldStart ? result.comparisons : []) {
    const target = result.targets.find((t) => t.id === c.target)!;
    const ref = result.targets.find((t) => t.id === c.reference)!;
    const ci = (r: { low: number; high: number }) =>
      Number.isFinite(r.low) ? ` [95% CI ${formatRatio(r.low)} – ${formatRatio(r.high)}]` : '';
    const imageRatio =
      target.image && ref.image
        ? `, image ${formatRatio(target.image.compressed / ref.image.compressed)}`
        : '';
    lines.push(
      `${target.label} vs ${ref.label}: size ${formatRatio(c.size)}${imageRatio}, cold start ${formatRatio(c.wallMs.ratio)}${ci(c.wallMs)}, peak memory ${formatRatio(c.maxRssKb.ratio)}${ci(c.maxRssKb)}`,
    );
  }
  for (const table of scenarioTables(result))
    lines.push('', `${table.title}:`, ...pad(table.rows).map((l) => `  ${l}`));
  if (result.profilerPeakRssKb)
    lines.push('', `Profiler's own peak memory: ${formatKb(result.profilerPeakRssKb)}`);
  const warnings = [...warningsOf(result), ...scenarioErrors(result)];
  if (warnings.length > 0) lines.push('', ...warnings.map((w) => `Warning: ${w}`));
  return lines.join('\n');
}
