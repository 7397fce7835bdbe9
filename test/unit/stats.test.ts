import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ascending,
  median,
  modifiedZScores,
  OUTLIER_THRESHOLD,
  outlierFinding,
  outlierIndices,
  quantile,
  ratioOfMedians,
  summarize,
} from '../../src/core/profile/stats';

const close = (actual: number, expected: number, tolerance = 1e-9) =>
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${actual} is not within ${tolerance} of ${expected}`,
  );

describe('statistics', () => {
  it('summarizes known values (mean, sample σ, median, min, max, p95)', () => {
    const s = summarize([2, 4, 4, 4, 5, 5, 7, 9]);
    assert.equal(s.n, 8);
    close(s.mean, 5);
    close(s.sd, Math.sqrt(32 / 7)); // sample variance: Σ(x−5)² = 32, n−1 = 7
    close(s.median, 4.5);
    assert.equal(s.min, 2);
    assert.equal(s.max, 9);
    close(s.p95, 8.3); // position 6.65 between 7 and 9
    close(s.mad, 0.5); // |x − 4.5|: 0.5 ×5, 2.5, 2.5, 4.5
  });

  it('median and quantile follow the usual definitions', () => {
    assert.equal(median([1, 2, 3]), 2);
    assert.equal(median([1, 2, 3, 4]), 2.5);
    assert.ok(Number.isNaN(median([])));
    assert.equal(quantile([10, 20, 30, 40, 50], 0.5), 30);
    close(quantile([10, 20, 30, 40, 50], 0.95), 48);
  });

  it('computes modified z-scores as hyperfine does: (x − median) / MAD, unscaled', () => {
    const values = [10, 10.1, 9.9, 10.2, 9.8, 10, 10.1, 30];
    const z = modifiedZScores(values);
    close(z[7], (30 - 10.05) / 0.1, 1e-6); // median 10.05, MAD 0.1
    assert.equal(OUTLIER_THRESHOLD, 1.4826 * 10);
    assert.deepEqual(summarize(values).outliers, [7]);
  });

  // hyperfine's own cases (src/outlier_detection.rs, test_detect_outliers and
  // test_detect_outliers_if_mad_becomes_0): the same samples, the same counts
  const normal = [
    2.33269488, 1.42195907, -0.57527698, -0.31293437, 2.2948158, 0.75813273, -1.0712388,
    -0.96394741, -1.15897446, 1.10976285,
  ];
  const hyperfineCases: Array<[number[], number]> = [
    [[], 0],
    [[50], 0],
    [[1000, 0], 0],
    [[-0.2, 0, 0.2], 0],
    [[-0.2, 0, 0.2, 4], 1],
    [[0.5, 0.3, 0.29, 0.31, 0.3], 1],
    [normal, 0],
    [[...normal, 20, -500], 2],
    [[10, 10, 10, 10, 10, 10, 10, 100], 1],
    [[10, 10, 10, 10, 10, 10, 10, 100, 100], 2],
  ];
  for (const [values, count] of hyperfineCases)
    it(`flags ${count} outlier(s) in [${values.slice(0, 5).join(', ')}${values.length > 5 ? ', …' : ''}] as hyperfine does`, () => {
      assert.equal(outlierIndices(values).length, count);
      assert.equal(summarize(values).outliers.length, count);
    });

  it('is about 3× more tolerant than the Iglewicz–Hoaglin 3.5 cut-off', () => {
    // median 10, MAD 1: 20 has z = 10 (> 3.5 / 0.6745 ≈ 5.2, but not > 14.8); 30 has z = 20
    const values = [9, 9, 10, 10, 10, 11, 11, 20];
    assert.deepEqual(outlierIndices(values), []);
    assert.deepEqual(outlierIndices([...values.slice(0, 7), 30]), [7]);
  });

  it("tells hyperfine's two warnings apart: a slow first run, else outliers", () => {
    const steady = [10, 10.2, 9.9, 10.1, 9.8, 10, 10.1, 9.9];
    assert.equal(outlierFinding(steady), undefined);
    assert.equal(outlierFinding([40, ...steady]), 'slow-first-run');
    // a slow first run is the one warning even when later runs are outliers too
    assert.equal(outlierFinding([40, ...steady, 50]), 'slow-first-run');
    assert.equal(outlierFinding([...steady, 40]), 'outliers');
    // a fast first run is an ordinary outlier (hyperfine compares the signed score)
    assert.equal(outlierFinding([1, ...steady]), 'outliers');
    assert.equal(outlierFinding([]), undefined);
    assert.equal(outlierFinding([NaN, ...steady]), undefined);
  });

  it('a constant sample makes any other value an outlier (MAD 0 becomes ε) and skips non-finite values', () => {
    assert.deepEqual(summarize([5, 5, 5, 5, 6]).outliers, [4]);
    assert.deepEqual(summarize([5, 5, 5, 5, 5]).outliers, []);
    const s = summarize([1, NaN, 3, Infinity, 100]);
    assert.equal(s.n, 3);
    close(s.median, 3);
    assert.equal(summarize([]).n, 0);
    assert.ok(Number.isNaN(summarize([]).mean));
  });

  it('sorts numerically, as a comparator sort would (not as strings), without changing its input', () => {
    const values = [10, 9, 100, -1, 2.5, 1e-9, -1e9, 0, 10];
    const copy = [...values];
    assert.deepEqual(
      ascending(values),
      [...values].sort((a, b) => a - b),
    );
    assert.deepEqual(values, copy);
    assert.deepEqual(ascending([]), []);
  });

  it('a single value has σ 0', () => {
    const s = summarize([42]);
    assert.equal(s.sd, 0);
    assert.equal(s.p95, 42);
  });

  it('ratio of medians with a reproducible bootstrap interval that contains the ratio', () => {
    const a = [20, 21, 19, 22, 20, 21, 20, 23];
    const b = [10, 10.5, 9.5, 10, 10.2, 9.8, 10.1, 10];
    const r1 = ratioOfMedians(a, b);
    const r2 = ratioOfMedians(a, b);
    close(r1.ratio, 20.5 / 10);
    assert.deepEqual(r1, r2);
    assert.ok(r1.low <= r1.ratio && r1.ratio <= r1.high, JSON.stringify(r1));
    assert.ok(r1.low > 1.8 && r1.high < 2.4, JSON.stringify(r1));
    assert.ok(Number.isNaN(ratioOfMedians([1], [2]).low));
  });
});
