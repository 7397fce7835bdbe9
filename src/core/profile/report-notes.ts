/**
 * What a reader must know next to the numbers, shared by every report and the panel: how each kind
 * of target was measured, and the warnings — one per cause, naming the targets it concerns.
 */
import type { ProfileResult, TargetResult } from './result-schema';
import { scenarioErrors } from './report-scenarios';
import { OUTLIER_THRESHOLD, outlierFinding, outlierIndices } from './stats';
import { formatMs, plural } from '../format';

const isContainer = (t: TargetResult) => t.sizeKind === 'image';

/** "processes: wait4 …; containers: …" — only for the kinds of target the profile has. */
export function measurementNotes(result: ProfileResult): string[] {
  const notes: string[] = [];
  if (result.targets.some((t) => !isContainer(t)))
    notes.push(
      result.environment.measurement === 'wait4'
        ? 'processes: run in batches by wc-exec, wait4 accounting (exact wall time and peak RSS)'
        : 'processes: timed by Node, memory polled from /proc (a lower bound)',
    );
  if (result.targets.some(isContainer))
    notes.push('containers: engine API timings, peak memory of the cgroup (polled)');
  return notes;
}

/** Process runs report peak RSS (wait4); containers their cgroup's peak, a different measure. */
export function memoryNote(t: TargetResult): string {
  const source = t.samples.find((x) => x.memorySource)?.memorySource;
  return source === 'cgroup-polled' ? ' [cgroup]' : source === 'proc-polled' ? ' [polled RSS]' : '';
}

/** "a (2), b (1)": the targets a warning concerns, with a count each. */
const listed = (items: Array<[TargetResult, number]>) =>
  items.map(([t, n]) => `${t.label} (${n})`).join(', ');

function failureWarnings(result: ProfileResult): string[] {
  return result.targets
    .filter((t) => t.summary.failures > 0)
    .map((t) => {
      const first = t.samples.find((s) => s.error);
      const stderr = first?.stderrTail ? ` — ${first.stderrTail.split('\n').pop()}` : '';
      const failed = `${t.summary.failures} of ${t.samples.length} runs failed`;
      const left = 'They are left out of the statistics.';
      return `${t.label}: ${failed} (first: ${first?.error}${stderr}). ${left}`;
    });
}

/** The wall times of a target's successful runs, in the order they were measured. */
const measuredTimes = (t: TargetResult) => t.samples.filter((s) => !s.error).map((s) => s.wallMs);

const warmupHint = (warmup: number) =>
  warmup > 0
    ? `the ${plural(warmup, 'warmup run')} before it did not fill them: try more`
    : 'warmup runs before the measured ones fill them';

/**
 * hyperfine's two outlier warnings (its rule: |x − median| / MAD > 1.4826 · 10, in cold start
 * only), each a single line for the whole profile naming the targets it concerns. A target gets
 * one of them at most, as in hyperfine: a slow first run, or else outliers.
 */
function outlierWarnings(result: ProfileResult): string[] {
  const slowFirst: TargetResult[] = [];
  const outliers: Array<[TargetResult, number]> = [];
  for (const t of result.targets) {
    const finding = outlierFinding(measuredTimes(t));
    if (finding === 'slow-first-run') slowFirst.push(t);
    else if (finding === 'outliers') outliers.push([t, outlierIndices(measuredTimes(t)).length]);
  }
  const rule = `|x − median| / MAD > ${OUTLIER_THRESHOLD.toFixed(1)}, hyperfine's rule`;
  const warnings: string[] = [];
  if (slowFirst.length > 0) {
    const firsts = slowFirst.map((t) => `${t.label} (${formatMs(measuredTimes(t)[0] ?? NaN)})`);
    warnings.push(
      `The first measured run was much slower than the rest (${rule}) for ${firsts.join(', ')}. ` +
        `Caches (files, the runtime's compiled code) may not have been filled until after it; ` +
        `${warmupHint(result.settings.warmup)}, or re-run on a quiet machine.`,
    );
  }
  if (outliers.length > 0)
    warnings.push(
      `Statistical outliers in cold start (${rule}): ${listed(outliers)}. Other programs may ` +
        'have disturbed the measurement; consider re-running on a quiet machine.',
    );
  return warnings;
}

/** Containers that exit within a few ms leave no cgroup reading: one warning for all of them. */
function containerMemoryWarning(result: ProfileResult): string[] {
  const without = result.targets.filter(
    (t) =>
      t.samples.length > 0 &&
      t.samples.every((x) => x.memorySource === 'cgroup-polled') &&
      t.summary.maxRssKb.n === 0 &&
      t.summary.failures < t.samples.length,
  );
  if (without.length === 0) return [];
  return [
    `No peak memory for ${without.map((t) => t.label).join(', ')}: ` +
      `${without.length === 1 ? 'it' : 'they'} exited before the cgroup could be read; ` +
      'the density scenario measures container memory.',
  ];
}

/** Warnings to read beside the numbers (failures, outliers, inexact figures), one per cause. */
export function warningsOf(result: ProfileResult): string[] {
  const warnings = [
    ...failureWarnings(result),
    ...outlierWarnings(result),
    ...containerMemoryWarning(result),
  ];
  if (result.environment.measurement === 'polling' && result.targets.some((t) => !isContainer(t)))
    warnings.push(
      'The wc-exec helper is not built (no C compiler at build time): times come from Node and ' +
        'peak memory from polling /proc, a lower bound. Install gcc and run npm run build for ' +
        'wait4 accounting.',
    );
  if (result.status !== 'complete')
    warnings.push(
      `The profile is ${result.status}${result.error ? `: ${result.error}` : ''}; ` +
        'the figures cover the runs that finished.',
    );
  return [...warnings, ...scenarioErrors(result)];
}
