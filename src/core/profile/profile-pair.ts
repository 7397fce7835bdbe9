import { NativeProcessRuntime } from '../runtimes/native-process';
import { NodeWasiRuntime, type NodeWasiOptions } from '../runtimes/node-wasi';
import type { ArtifactPair } from './discover';
import type { ProfileTarget } from './profiler';

/** The embedded-default comparison: the module under Node WASI, its twin as a native process. */
export function nodeWasiVsNativeTargets(
  pair: ArtifactPair,
  args: string[] = [],
  node: NodeWasiOptions = {},
): ProfileTarget[] {
  const targets: ProfileTarget[] = [
    {
      id: 'wasm-node-wasi',
      label: 'wasm · node-wasi',
      runtime: new NodeWasiRuntime(node),
      spec: { artifact: pair.module, args },
    },
  ];
  if (pair.native) {
    targets.push({
      id: 'native-process',
      label: 'native · process',
      runtime: new NativeProcessRuntime(),
      spec: { artifact: pair.native, args },
    });
  }
  return targets;
}
