import type { ProfileResult } from '../src/core/profile/result-schema';
import { summarizeTarget } from '../src/core/profile/profiler';

/** The result with `n` synthetic samples in its first target (a spread of times and memory). */
export function withSamples(result: ProfileResult, n: number): ProfileResult {
  const big = structuredClone(result);
  const target = big.targets[0];
  const template = target.samples[0];
  target.samples = Array.from({ length: n }, (_, i) => ({
    ...template,
    index: i,
    wallMs: 100 + ((i * 7919) % 1000) / 10,
    maxRssKb: 40_000 + (i % 97),
  }));
  target.summary = summarizeTarget(target.samples, ['Starting', 'Stopped']);
  return big;
}
