import { NativeProcessRuntime } from '../runtimes/native-process';
import { NodeWasiRuntime, type NodeWasiOptions } from '../runtimes/node-wasi';
import type { RuntimeAdapter } from '../runtimes/types';
import type { ArtifactPair } from './discover';
import type { ProfileTarget } from './profiler';
import { profileTarget } from './targets';

/** The module under each of `runtimes` (in their order), then its twin as a native process. */
export function moduleVsNativeTargets(
  pair: ArtifactPair,
  runtimes: readonly RuntimeAdapter[],
  args: string[] = [],
): ProfileTarget[] {
  const targets = runtimes.map((runtime) =>
    profileTarget(runtime, { artifact: pair.module, args }),
  );
  if (pair.native)
    targets.push(profileTarget(new NativeProcessRuntime(), { artifact: pair.native, args }));
  return targets;
}

/** The embedded-default comparison: the module under Node WASI, its twin as a native process. */
export function nodeWasiVsNativeTargets(
  pair: ArtifactPair,
  args: string[] = [],
  node: NodeWasiOptions = {},
): ProfileTarget[] {
  return moduleVsNativeTargets(pair, [new NodeWasiRuntime(node)], args);
}
