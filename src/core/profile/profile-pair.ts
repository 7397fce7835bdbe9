import { NativeProcessRuntime } from '../runtimes/native-process';
import { NodeWasiRuntime, type NodeWasiOptions } from '../runtimes/node-wasi';
import type { ArtifactPair } from './discover';
import type { ProfileTarget } from './profiler';
import { profileTarget } from './targets';

/** The embedded-default comparison: the module under Node WASI, its twin as a native process. */
export function nodeWasiVsNativeTargets(
  pair: ArtifactPair,
  args: string[] = [],
  node: NodeWasiOptions = {},
): ProfileTarget[] {
  const targets = [profileTarget(new NodeWasiRuntime(node), { artifact: pair.module, args })];
  if (pair.native)
    targets.push(profileTarget(new NativeProcessRuntime(), { artifact: pair.native, args }));
  return targets;
}
