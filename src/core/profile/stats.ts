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
  /** Indices (into the values given) of outliers by hyperfine's rule: |modified z-score| > 3.5. */
  outliers: number[];
}

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
 * hyperfine's outlier rule (Iglewicz and Hoaglin): modified z = 0.6745 (x − median) / MAD;
 * |z| > 3.5 is an outlier. When MAD is 0 nothing is flagged (all but a few values are identical).
 */
export function modifiedZScores(values: readonly number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const med = median(sorted);
  const mad = median(values.map((v) => Math.abs(v - med)).sort((a, b) => a - b));
  return values.map((v) => (mad === 0 ? 0 : (0.6745 * (v - med)) / mad));
}

export const OUTLIER_THRESHOLD = 3.5;

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
  const sorted = [...finite].sort((a, b) => a - b);
  const mean = finite.reduce((s, v) => s + v, 0) / n;
  const variance = n > 1 ? finite.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1) : 0;
  const med = median(sorted);
  const mad = median(finite.map((v) => Math.abs(v - med)).sort((a, b) => a - b));
  const z = modifiedZScores(finite);
  const outliers: number[] = [];
  // indices refer to the original array, skipping non-finite entries
  let j = 0;
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) return;
    if (Math.abs(z[j++]) > OUTLIER_THRESHOLD) outliers.push(i);
  });
  return {
    n,
    mean,
    sd: Math.sqrt(variance),
    median: med,
    min: sorted[0],
    max: sorted[n - 1],
    p95: quantile(sorted, 0.95),
    mad,
    outliers,
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
  const fa = a.filter(Number.isFinite).sort((x, y) => x - y);
  const fb = b.filter(Number.isFinite).sort((x, y) => x - y);
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
