import path from 'node:path';
import { findExecutable, isExecutableFile } from '../../runtimes/find-executable';

/**
 * Where the project's containerd lives (scripts/setup-containerd.sh puts it there): its own socket
 * and state under /run/wasm-containers/containerd, its binaries (containerd 2, ctr, the runc and
 * runwasi shims, youki) in the cache. The Docker engine's containerd is never used.
 */
export const CONTAINERD_CACHE = path.join(
  process.env.WASM_CONTAINERS_CACHE ?? '/var/cache/wasm-containers',
  'containerd',
);
export const CONTAINERD_BIN = path.join(CONTAINERD_CACHE, 'bin');
export const DEFAULT_ADDRESS = '/run/wasm-containers/containerd/containerd.sock';
/** The containerd namespace every image and container of this tool lives in. */
export const NAMESPACE = 'wasm-containers';

export interface ContainerdPlace {
  /** The daemon's gRPC socket. */
  address: string;
  /** The ctr client, or undefined with `reason`. */
  ctr?: string;
}

export function containerdPlace(options: { address?: string; ctr?: string } = {}): ContainerdPlace {
  const address = options.address ?? process.env.WASM_CONTAINERS_CONTAINERD ?? DEFAULT_ADDRESS;
  const cached = path.join(CONTAINERD_BIN, 'ctr');
  const ctr = options.ctr ?? (isExecutableFile(cached) ? cached : findExecutable('ctr'));
  return { address, ctr };
}

/** A binary the daemon runs (a shim, an OCI runtime): in the cache (first on its PATH), else on PATH. */
export function daemonBinary(name: string): string | undefined {
  const cached = path.join(CONTAINERD_BIN, name);
  return isExecutableFile(cached) ? cached : findExecutable(name);
}
