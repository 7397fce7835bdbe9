/**
 * The comparison as a terminal shows it (the CLI's summary): the verdict first, then the figures
 * per target, the scenarios, and the warnings.
 */
import { aotLines } from './report-aot';
import { formatBytes, formatKb, formatMs, plural } from '../format';
import { measurementNotes, memoryNote, warningsOf } from './report-notes';
import { scenarioTables } from './report-scenarios';
import { subjectNames, verdictWords, type VerdictPart } from './report-verdict';
import type { ProfileResult, TargetResult } from './result-schema';
import type { Summary } from './stats';
import { defaultReference, verdictsOf } from './verdict';

export { memoryNote, warningsOf };

export interface TextOptions {
  /** ANSI colours for the verdict (a terminal that wants them). */
  colour?: boolean;
}

const ANSI: Record<VerdictPart['judgement'], string> = {
  better: '\x1b[32m',
  worse: '\x1b[31m',
  inconclusive: '\x1b[33m',
  same: '',
};

/** Columns padded to their widest cell, two spaces apart. */
function pad(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  return rows.map((row) =>
    row
      .map((cell, c) => cell.padEnd(widths[c]))
      .join('  ')
      .trimEnd(),
  );
}

/** "116 ms (mean 117 ms ± 15.1 ms; 93.7 ms … 137 ms)" */
function spread(s: Summary, fmt: (v: number) => string): string {
  if (s.n === 0) return 'no successful run';
  return `${fmt(s.median)} (mean ${fmt(s.mean)} ± ${fmt(s.sd)}; ${fmt(s.min)} … ${fmt(s.max)})`;
}

function header(result: ProfileResult, title: string): string[] {
  const s = result.settings;
  const env = result.environment;
  const perTarget = `${plural(s.runs, 'measured run')} per target`;
  const runs = s.coldStart
    ? `${perTarget} after ${plural(s.warmup, 'warmup run')}, ${s.order}`
    : 'scenarios only';
  const how = [
    runs,
    ...measurementNotes(result),
    `${env.cpuModel} ×${env.cpuCount}, kernel ${env.kernel}`,
  ];
  return [title, how.join('; ')];
}

/** One sentence per comparison, coloured by judgement when asked. */
export function verdictLines(result: ProfileResult, options: TextOptions = {}): string[] {
  const verdicts = verdictsOf(result);
  if (verdicts.length === 0) {
    const only = result.targets[0];
    return only ? [`Nothing to compare: only ${only.label} was measured.`] : [];
  }
  const names = subjectNames(result.targets);
  return verdicts.map((v) => {
    const words = verdictWords(v, names);
    if (!options.colour) return words.sentence;
    const parts = words.parts.map((p) =>
      ANSI[p.judgement] ? `${ANSI[p.judgement]}${p.text}\x1b[0m` : p.text,
    );
    return `\x1b[1m${words.subject}\x1b[0m: ${parts.join(' · ')}`;
  });
}

function targetTable(result: ProfileResult): string[] {
  const head = [
    'target',
    'size',
    'image (gzip / unpacked)',
    'cold start: median (mean ± σ; min … max)',
    'peak memory: median (mean ± σ; min … max)',
    'runs',
  ];
  const row = (t: TargetResult) => [
    t.label,
    `${formatBytes(t.sizeBytes)}${t.sizeKind === 'image' ? ' (image)' : ''}`,
    t.image ? `${formatBytes(t.image.compressed)} / ${formatBytes(t.image.uncompressed)}` : '–',
    spread(t.summary.wallMs, formatMs),
    `${spread(t.summary.maxRssKb, formatKb)}${memoryNote(t)}`,
    `${t.summary.wallMs.n}/${t.samples.length}`,
  ];
  return pad([head, ...result.targets.map(row)]);
}

/** "create 78.5 ms, start 91.6 ms, …": the median of each named phase, in the order given. */
function medians(phases: Record<string, Summary>, names: readonly string[]): string {
  return names.map((name) => `${name} ${formatMs(phases[name]?.median ?? NaN)}`).join(', ');
}

const LIFECYCLE = ['create', 'start', 'run', 'remove'] as const;
const MARKER_PHASES = ['startup', 'run', 'shutdown'] as const;

/** Container lifecycle and marker phases, one line per target that has them. */
function phaseLines(result: ProfileResult): string[] {
  const lifecycle = result.targets.flatMap((t) => {
    const c = t.summary.containerPhases;
    if (!c) return [];
    const how = `medians of ${c.create.n}; peak memory from the container's cgroup, polled`;
    return [`${t.label}: ${medians(c, LIFECYCLE)} (${how})`];
  });
  const markers = result.targets.flatMap((t) => {
    const p = t.summary.phases;
    return p ? [`${t.label}: ${medians(p, MARKER_PHASES)} (medians of ${p.startup?.n ?? 0})`] : [];
  });
  return [...lifecycle, ...markers];
}

export function renderTextReport(
  result: ProfileResult,
  title: string,
  options: TextOptions = {},
): string {
  const lines = [...header(result, title), ''];
  const verdicts = verdictLines(result, options);
  if (verdicts.length > 0) {
    const reference = defaultReference(result);
    lines.push(reference ? `Verdict (against ${reference.label}):` : 'Verdict:');
    lines.push(...verdicts.map((v) => `  ${v}`), '');
  }
  if (result.settings.coldStart) lines.push(...targetTable(result), '');
  lines.push(...phaseLines(result), ...aotLines(result));
  for (const table of scenarioTables(result))
    lines.push('', `${table.title}:`, ...pad(table.rows).map((l) => `  ${l}`));
  if (result.profilerPeakRssKb)
    lines.push('', `Profiler's own peak memory: ${formatKb(result.profilerPeakRssKb)}`);
  const warnings = warningsOf(result);
  if (warnings.length > 0) lines.push('', ...warnings.map((w) => `Warning: ${w}`));
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd();
}
