import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  median,
  modifiedZScores,
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

  it("flags outliers by hyperfine's modified z-score rule (> 3.5)", () => {
    const values = [10, 10.1, 9.9, 10.2, 9.8, 10, 10.1, 30];
    const s = summarize(values);
    assert.deepEqual(s.outliers, [7]);
    const z = modifiedZScores(values);
    close(z[7], (0.6745 * (30 - 10.05)) / 0.1, 1e-6);
    // moderate deviations are not outliers
    assert.deepEqual(summarize([10, 11, 12, 13, 14]).outliers, []);
  });

  it('flags nothing when the MAD is 0 and ignores non-finite values', () => {
    assert.deepEqual(summarize([5, 5, 5, 5, 6]).outliers, []);
    const s = summarize([1, NaN, 3, Infinity, 100]);
    assert.equal(s.n, 3);
    close(s.median, 3);
    assert.equal(summarize([]).n, 0);
    assert.ok(Number.isNaN(summarize([]).mean));
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
