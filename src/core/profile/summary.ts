import type { StoredSample, TargetResult, TargetSummary, Comparison } from './result-schema';
import { splitPhases } from './phases';
import { ratioOfMedians, summarize } from './stats';

/** The statistics of one target's successful samples (failed runs are counted, not summarized). */
export function summarizeTarget(
  samples: StoredSample[],
  markers?: [string, string],
): TargetSummary {
  const ok = samples.filter((s) => !s.error);
  const summary: TargetSummary = {
    wallMs: summarize(ok.map((s) => s.wallMs)),
    firstOutputMs: summarize(ok.map((s) => s.firstOutputMs ?? NaN)),
    maxRssKb: summarize(ok.map((s) => s.maxRssKb)),
    failures: samples.length - ok.length,
  };
  const container = ok.filter((s) => s.containerPhases);
  if (container.length > 0) {
    summary.containerPhases = Object.fromEntries(
      (['create', 'start', 'run', 'remove'] as const).map((k) => [
        k,
        summarize(container.map((s) => s.containerPhases![k])),
      ]),
    );
  }
  if (markers) {
    const split = ok
      .map((s) => splitPhases({ ...s, stdout: '', stderr: '' }, markers[0], markers[1]))
      .filter((p) => p !== undefined);
    if (split.length > 0) {
      summary.phases = Object.fromEntries(
        ['startup', 'run', 'shutdown'].map((phase) => [
          phase,
          summarize(split.map((p) => p[phase])),
        ]),
      );
    }
  }
  return summary;
}

/** Every target against the reference (by default the first native target): ratios of medians. */
export function compareTargets(targets: TargetResult[], referenceId?: string): Comparison[] {
  const reference =
    targets.find((t) => t.id === referenceId) ?? targets.find((t) => t.runs === 'native');
  if (!reference) return [];
  const ok = (t: TargetResult) => t.samples.filter((s) => !s.error);
  return targets
    .filter((t) => t !== reference)
    .map((t) => ({
      target: t.id,
      reference: reference.id,
      wallMs: ratioOfMedians(
        ok(t).map((s) => s.wallMs),
        ok(reference).map((s) => s.wallMs),
      ),
      maxRssKb: ratioOfMedians(
        ok(t).map((s) => s.maxRssKb),
        ok(reference).map((s) => s.maxRssKb),
      ),
      size: t.sizeBytes / reference.sizeBytes,
    }));
}
