import type { ProfileResult } from './result-schema';
import { ratioOfMedians, type RatioEstimate } from './stats';
import { counterpartOf } from './targets';

export interface BaselineRow {
  target: string;
  baselineMedianMs: number;
  currentMedianMs: number;
  /** current / baseline, with a bootstrap interval */
  ratio: RatioEstimate;
  /** slower / faster: beyond the threshold and the 95 % interval excludes 1; inconclusive: beyond it but the interval does not. */
  verdict: 'slower' | 'faster' | 'same' | 'inconclusive' | 'missing';
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
 * Compares cold-start medians per target with a stored result: each target with the baseline's
 * target of the same role (what it runs, under which runtime), whatever id either was given. A target regresses when its
 * median is more than `thresholdPct` above the baseline's and the bootstrap interval of the ratio
 * lies wholly above 1 — a noisy difference is 'inconclusive', never a regression.
 */
export function compareWithBaseline(
  current: ProfileResult,
  baseline: ProfileResult,
  thresholdPct: number,
): BaselineComparison {
  const ok = (samples: ProfileResult['targets'][number]['samples']) =>
    samples.filter((s) => !s.error).map((s) => s.wallMs);
  const rows = current.targets.map((t): BaselineRow => {
    const before = counterpartOf(t, baseline.targets);
    if (!before)
      return {
        target: t.id,
        baselineMedianMs: NaN,
        currentMedianMs: t.summary.wallMs.median,
        ratio: { ratio: NaN, low: NaN, high: NaN },
        verdict: 'missing',
      };
    const ratio = ratioOfMedians(ok(t.samples), ok(before.samples));
    const limit = 1 + thresholdPct / 100;
    const certain = (side: 'above' | 'below') =>
      side === 'above' ? !(ratio.low <= 1) : !(ratio.high >= 1); // NaN interval (n < 2): the ratio decides
    const verdict =
      ratio.ratio > limit
        ? certain('above')
          ? 'slower'
          : 'inconclusive'
        : ratio.ratio < 1 / limit
          ? certain('below')
            ? 'faster'
            : 'inconclusive'
          : 'same';
    return {
      target: t.id,
      baselineMedianMs: before.summary.wallMs.median,
      currentMedianMs: t.summary.wallMs.median,
      ratio,
      verdict,
    };
  });
  return { thresholdPct, rows, regressed: rows.some((r) => r.verdict === 'slower') };
}
