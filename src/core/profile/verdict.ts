/**
 * Who wins: for each target against the reference, the facts a reader needs — which metric, the
 * ratio (target / reference; smaller is better for every metric we measure), its 95 % interval
 * when it was measured, and a judgement. The front ends and reports word them (report-verdict.ts).
 */
import type { ProfileResult, TargetResult } from './result-schema';
import { ratioOfMedians, type RatioEstimate } from './stats';

/** better / worse: the interval excludes 1; same: it lies within ±5 %; inconclusive: neither. */
export type Judgement = 'better' | 'worse' | 'same' | 'inconclusive';

export type Metric = 'image' | 'size' | 'coldStart' | 'memory';

export interface Fact {
  metric: Metric;
  /** target / reference */
  ratio: number;
  /** 95 % bootstrap interval of a measured ratio; absent for sizes (exact) */
  low?: number;
  high?: number;
  judgement: Judgement;
  /** Measured metrics: successful runs of the target and of the reference. */
  n?: [number, number];
}

export interface Verdict {
  target: TargetResult;
  reference: TargetResult;
  facts: Fact[];
  /** The target had no successful run: nothing measured to compare. */
  noRuns: boolean;
}

/** Differences within this factor are "the same" when the whole interval lies inside it. */
export const EQUIVALENCE = 1.05;

/** A size is exact: it is the same within ±5 %, else better or worse. */
export function judgeExact(ratio: number): Judgement {
  if (!Number.isFinite(ratio)) return 'inconclusive';
  if (ratio < 1 / EQUIVALENCE) return 'better';
  if (ratio > EQUIVALENCE) return 'worse';
  return 'same';
}

/** A measured ratio is judged by its interval, never by the point estimate alone. */
export function judgeMeasured(r: RatioEstimate): Judgement {
  if (!Number.isFinite(r.ratio) || !Number.isFinite(r.low) || !Number.isFinite(r.high))
    return 'inconclusive';
  if (r.low >= 1 / EQUIVALENCE && r.high <= EQUIVALENCE) return 'same';
  if (r.high < 1) return 'better';
  if (r.low > 1) return 'worse';
  return 'inconclusive';
}

const okValues = (t: TargetResult, pick: (s: TargetResult['samples'][number]) => number) =>
  t.samples.filter((s) => !s.error).map(pick);

function measured(
  metric: 'coldStart' | 'memory',
  stored: RatioEstimate | undefined,
  t: TargetResult,
  ref: TargetResult,
): Fact | undefined {
  const pick =
    metric === 'coldStart'
      ? (s: { wallMs: number }) => s.wallMs
      : (s: { maxRssKb: number }) => s.maxRssKb;
  const summary = metric === 'coldStart' ? 'wallMs' : 'maxRssKb';
  const n: [number, number] = [t.summary[summary].n, ref.summary[summary].n];
  if (n[0] === 0 || n[1] === 0) return undefined;
  const r = stored ?? ratioOfMedians(okValues(t, pick), okValues(ref, pick));
  if (!Number.isFinite(r.ratio) || r.ratio <= 0) return undefined;
  const fact: Fact = { metric, ratio: r.ratio, judgement: judgeMeasured(r), n };
  if (Number.isFinite(r.low) && Number.isFinite(r.high)) {
    fact.low = r.low;
    fact.high = r.high;
  }
  return fact;
}

/**
 * Like with like: the compressed images when both have one (what a pull transfers), else the
 * unpacked images (an engine reports only that), else the files on disk.
 */
function sizeFact(t: TargetResult, ref: TargetResult): Fact | undefined {
  const unpacked = (x: TargetResult) =>
    x.image?.uncompressed ?? (x.sizeKind === 'image' ? x.sizeBytes : undefined);
  const pairs: Array<[Fact['metric'], number | undefined, number | undefined]> = [
    ['image', t.image?.compressed, ref.image?.compressed],
    ['image', unpacked(t), unpacked(ref)],
    [
      'size',
      t.sizeKind === 'file' ? t.sizeBytes : undefined,
      ref.sizeKind === 'file' ? ref.sizeBytes : undefined,
    ],
  ];
  for (const [metric, a, b] of pairs)
    if (a !== undefined && b !== undefined && a > 0 && b > 0)
      return { metric, ratio: a / b, judgement: judgeExact(a / b) };
  return undefined;
}

/**
 * The reference a result is read against: the one asked for, the profiler's, the first native
 * target, or else the first target — none when a single target was measured.
 */
export function defaultReference(
  result: ProfileResult,
  referenceId?: string,
): TargetResult | undefined {
  const { targets } = result;
  if (targets.length < 2) return undefined;
  return (
    targets.find((t) => t.id === referenceId) ??
    targets.find((t) => t.id === result.comparisons[0]?.reference) ??
    targets.find((t) => t.runs === 'native') ??
    targets[0]
  );
}

/** One verdict per target other than the reference (none when there is no reference to compare with). */
export function verdictsOf(result: ProfileResult, referenceId?: string): Verdict[] {
  const reference = defaultReference(result, referenceId);
  if (!reference) return [];
  return result.targets
    .filter((t) => t !== reference)
    .map((target) => {
      const stored = result.comparisons.find(
        (c) => c.target === target.id && c.reference === reference.id,
      );
      const facts = [
        sizeFact(target, reference),
        measured('coldStart', stored?.wallMs, target, reference),
        measured('memory', stored?.maxRssKb, target, reference),
      ].filter((f) => f !== undefined);
      return {
        target,
        reference,
        facts: result.settings.coldStart ? facts : facts.filter((f) => f.metric !== 'coldStart'),
        noRuns: result.settings.coldStart && target.summary.wallMs.n === 0,
      };
    });
}
