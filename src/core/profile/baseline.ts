import type { ProfileResult } from './result-schema';
import { ratioOfMedians, type RatioEstimate } from './stats';

export interface BaselineRow {
  target: string;
  baselineMedianMs: number;
  currentMedianMs: number;
  /** current / baseline, with a bootstrap interval */
  ratio: RatioEstimate;
  verdict: 'slower' | 'faster' | 'same' | 'missing';
}

export interface BaselineComparison {
  thresholdPct: number;
  rows: BaselineRow[];
  /** True when some target's median cold start is slower than the baseline by more than the threshold. */
  regressed: boolean;
}

/** Parses "10%" or "10" into 10. */
export function parsePercent(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(text);
  if (!m) throw new Error(`expected a percentage such as 10%, got '${text}'`);
  return Number(m[1]);
}

/**
 * Compares cold-start medians per target id with a stored result. A target regresses when its
 * median is more than `thresholdPct` above the baseline's; within the threshold it is 'same'.
 */
export function compareWithBaseline(current: ProfileResult, baseline: ProfileResult, thresholdPct: number): BaselineComparison {
  const ok = (samples: ProfileResult['targets'][number]['samples']) => samples.filter((s) => !s.error).map((s) => s.wallMs);
  const rows = current.targets.map((t): BaselineRow => {
    const before = baseline.targets.find((b) => b.id === t.id);
    if (!before) return { target: t.id, baselineMedianMs: NaN, currentMedianMs: t.summary.wallMs.median, ratio: { ratio: NaN, low: NaN, high: NaN }, verdict: 'missing' };
    const ratio = ratioOfMedians(ok(t.samples), ok(before.samples));
    const limit = 1 + thresholdPct / 100;
    const verdict = ratio.ratio > limit ? 'slower' : ratio.ratio < 1 / limit ? 'faster' : 'same';
    return { target: t.id, baselineMedianMs: before.summary.wallMs.median, currentMedianMs: t.summary.wallMs.median, ratio, verdict };
  });
  return { thresholdPct, rows, regressed: rows.some((r) => r.verdict === 'slower') };
}
