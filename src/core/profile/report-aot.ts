import { formatBytes, formatMs } from '../format';
import type { ProfileResult } from './result-schema';

/**
 * One sentence per ahead-of-time target: what the compile cost and wrote. It ran once, before the
 * measured runs, so it is in none of the cold-start figures.
 */
export function aotLines(result: ProfileResult): string[] {
  return result.targets.flatMap((t) => {
    const a = t.aot;
    if (!a) return [];
    const when = a.reused
      ? 'compiled by an earlier run, reused from the cache'
      : 'compiled before the runs';
    const what = a.kind === 'directory' ? 'compilation cache' : 'compiled artifact';
    return [
      `${t.label}: ahead-of-time compile ${formatMs(a.compileMs)} (${when}; in no sample), ${what} ${formatBytes(a.bytes)} next to the ${formatBytes(t.sizeBytes)} module`,
    ];
  });
}
