/** Summary statistics of one metric over the measured runs, in the spirit of hyperfine. */
export interface Summary {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1); 0 for a single value. */
  sd: number;
  median: number;
  min: number;
  max: number;
  p95: number;
  /** Median absolute deviation (unscaled). */
  mad: number;
  /** Indices (into the values given) of outliers by hyperfine's rule (see OUTLIER_THRESHOLD). */
  outliers: number[];
}

/**
 * The values in ascending order, by a typed array's native numeric sort: the statistics of a
 * 300-run CLI profile sort a dozen times, and with a comparator function (run as interpreted code
 * in a fresh process) that was ~3 ms of its ~10 ms after the last sample (--cpu-prof).
 */
export const ascending = (values: readonly number[]): number[] =>
  Array.from(Float64Array.from(values).sort());

export function median(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Linear-interpolation quantile (the R-7 / numpy default) of sorted values, q in [0, 1]. */
export function quantile(sorted: readonly number[], q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * hyperfine's outlier rule (src/outlier_detection.rs, after Iglewicz and Hoaglin): the modified
 * z-score of a value is (x − median) / MAD, with the MAD left unscaled; when the MAD is 0 it is
 * replaced by the machine epsilon, so that any value off a constant sample is an outlier.
 */
export function modifiedZScores(values: readonly number[]): number[] {
  const sorted = ascending(values);
  const med = median(sorted);
  const mad = median(ascending(values.map((v) => Math.abs(v - med))));
  const scale = mad > 0 ? mad : Number.EPSILON;
  return values.map((v) => (v - med) / scale);
}

/**
 * hyperfine's threshold: |modified z-score| > 1.4826 · 10, i.e. ten standard deviations when the
 * MAD is scaled (× 1.4826) into an estimate of σ for normally distributed values.
 */
export const OUTLIER_THRESHOLD = 1.4826 * 10;

/** Indices of the values beyond hyperfine's threshold either way (non-finite values are skipped). */
export function outlierIndices(values: readonly number[]): number[] {
  const at = values.flatMap((v, i) => (Number.isFinite(v) ? [i] : []));
  const z = modifiedZScores(at.map((i) => values[i]));
  return at.filter((_, j) => Math.abs(z[j]) > OUTLIER_THRESHOLD);
}

/** What hyperfine would warn about for one command's wall times, if anything (never both). */
export type OutlierFinding = 'slow-first-run' | 'outliers';

/**
 * hyperfine's two warnings, decided as it decides them: a first run above the threshold (slower
 * only: a fast first run is an ordinary outlier) is "the first run was significantly slower than
 * the rest" — cold caches; otherwise any value beyond the threshold either way is "statistical
 * outliers". `values` are in the order they were measured.
 */
export function outlierFinding(values: readonly number[]): OutlierFinding | undefined {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return undefined;
  const z = modifiedZScores(finite);
  if ((z[0] ?? 0) > OUTLIER_THRESHOLD) return 'slow-first-run';
  return z.some((s) => Math.abs(s) > OUTLIER_THRESHOLD) ? 'outliers' : undefined;
}

export function summarize(values: readonly number[]): Summary {
  const finite = values.filter((v) => Number.isFinite(v));
  const n = finite.length;
  if (n === 0)
    return {
      n: 0,
      mean: NaN,
      sd: NaN,
      median: NaN,
      min: NaN,
      max: NaN,
      p95: NaN,
      mad: NaN,
      outliers: [],
    };
  const sorted = ascending(finite);
  const mean = finite.reduce((s, v) => s + v, 0) / n;
  const variance = n > 1 ? finite.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1) : 0;
  const med = median(sorted);
  const mad = median(ascending(finite.map((v) => Math.abs(v - med))));
  return {
    n,
    mean,
    sd: Math.sqrt(variance),
    median: med,
    min: sorted[0],
    max: sorted[n - 1],
    p95: quantile(sorted, 0.95),
    mad,
    outliers: outlierIndices(values),
  };
}

/** Deterministic PRNG (mulberry32) so that bootstrap intervals are reproducible run to run. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RatioEstimate {
  /** median(a) / median(b) */
  ratio: number;
  /** 95 % percentile-bootstrap interval of the ratio of medians. */
  low: number;
  high: number;
}

/**
 * The median of a bootstrap resample of sorted values, without sorting: draw n indices, count how
 * often each is drawn, and walk the counts to the middle. O(n) per resample instead of O(n log n).
 */
function resampledMedian(
  sorted: readonly number[],
  counts: Uint32Array,
  random: () => number,
): number {
  const n = sorted.length;
  counts.fill(0);
  for (let i = 0; i < n; i++) counts[Math.floor(random() * n)]++;
  const lowRank = Math.floor((n - 1) / 2);
  const highRank = Math.floor(n / 2);
  let seen = 0;
  let low = NaN;
  for (let i = 0; i < n; i++) {
    seen += counts[i];
    if (Number.isNaN(low) && seen > lowRank) low = sorted[i];
    if (seen > highRank) return (low + sorted[i]) / 2;
  }
  return low;
}

/**
 * Ratio of medians a/b with a 95 % percentile-bootstrap interval (fixed seed: reproducible). The
 * number of resamples falls from 2000 for small samples to 200 for very large ones, where the
 * interval is narrow anyway, so that 10 000 samples still take milliseconds.
 */
export function ratioOfMedians(
  a: readonly number[],
  b: readonly number[],
  resamples?: number,
  seed = 42,
): RatioEstimate {
  const fa = ascending(a.filter(Number.isFinite));
  const fb = ascending(b.filter(Number.isFinite));
  const ratio = median(fa) / median(fb);
  if (fa.length < 2 || fb.length < 2) return { ratio, low: NaN, high: NaN };
  const count =
    resamples ?? Math.round(Math.min(2000, Math.max(200, 2_000_000 / (fa.length + fb.length))));
  const random = mulberry32(seed);
  const ca = new Uint32Array(fa.length);
  const cb = new Uint32Array(fb.length);
  const ratios: number[] = [];
  for (let i = 0; i < count; i++)
    ratios.push(resampledMedian(fa, ca, random) / resampledMedian(fb, cb, random));
  ratios.sort((x, y) => x - y);
  return { ratio, low: quantile(ratios, 0.025), high: quantile(ratios, 0.975) };
}
