import type { RuntimeStatus } from '../../runtimes/runtime-catalog';
import { findExecutablesMatching } from '../../runtimes/find-executable';
import { wasmShimsAmong } from '../docker/engine';
import { ContainerdRuntime, removeStaleContainerdContainers } from './container';
import { Ctr } from './ctr';
import { CONTAINERD_BIN, containerdPlace } from './locate';

/** Native OCI runtimes containerd's runc shim can run (its BinaryName). */
const NATIVE = ['runc', 'crun', 'youki'];
const SHIM = /^containerd-shim-([a-z0-9]+)-v1$/;

/** The runwasi shims containerd would find: in the cache (first on its PATH), then on PATH. */
function wasmShimRuntimes(): string[] {
  const found = new Map([
    ...findExecutablesMatching(SHIM),
    ...findExecutablesMatching(SHIM, CONTAINERD_BIN),
  ]);
  const runtimes = wasmShimsAmong(found).map((s) => s.runtime);
  // the usual one is listed even when absent, so that the reason (and how to build it) is visible
  return [...new Set(['io.containerd.wasmtime.v1', ...runtimes])];
}

async function status(adapter: ContainerdRuntime): Promise<RuntimeStatus> {
  const d = await adapter.detect();
  return {
    id: adapter.id,
    displayName: adapter.displayName,
    runs: adapter.runs,
    kind: 'container',
    available: d.available,
    version: d.version,
    reason: d.reason,
    adapter,
  };
}

/**
 * The project's containerd (scripts/setup-containerd.sh) as targets: the native twin under runc,
 * crun and youki, the Wasm image under each runwasi shim. Leftovers of a crashed run are swept here.
 */
export async function containerdRuntimes(
  options: { address?: string; ctr?: string } = {},
): Promise<RuntimeStatus[]> {
  const place = containerdPlace(options);
  const adapters = (ctr: Ctr) => [
    ...NATIVE.map((name) => new ContainerdRuntime(ctr, name, 'native')),
    ...wasmShimRuntimes().map((name) => new ContainerdRuntime(ctr, name, 'wasm')),
  ];
  if (!place.ctr) {
    const none = new Ctr({ address: place.address, ctr: 'ctr' });
    return adapters(none).map((a) => ({
      id: a.id,
      displayName: a.displayName,
      runs: a.runs,
      kind: 'container' as const,
      available: false,
      reason: 'containerd is not installed (no ctr): run scripts/setup-containerd.sh',
      adapter: a,
    }));
  }
  const ctr = new Ctr({ address: place.address, ctr: place.ctr });
  const all = await Promise.all(adapters(ctr).map(status));
  if (all.some((s) => s.available))
    await removeStaleContainerdContainers(ctr).catch(() => undefined);
  return all;
}
