import type { RuntimeCapabilities } from './capabilities';
import type { EngineReport } from '../engines/docker/engine';
import { NativeProcessRuntime } from './native-process';
import { NodeWasiRuntime } from './node-wasi';
import type { MissingExecutable, RuntimeAdapter } from './types';
import { WasmCliRuntime, wasmCliRuntimes } from './wasm-cli-runtimes';

export { wasmCliRuntimes };

export interface CatalogOptions {
  nodePath?: string;
  /**
   * Configured executables: by runtime id (wasmtime, wazero, wasmedge, wasmer, iwasm) and by the
   * name of a separate ahead-of-time compiler (wamrc). Detection.missing.pathKey names the key.
   */
  paths?: Partial<Record<string, string>>;
  /** Where ahead-of-time artifacts are kept (default: the user's cache directory). */
  aotCacheDir?: string;
  /** Docker-API endpoints to ask; default: DOCKER_HOST or the default socket, and Podman's socket when present. */
  dockerHost?: string;
  podmanSocket?: string;
  /** The project's containerd socket (default: WASM_CONTAINERS_CONTAINERD or /run/wasm-containers/containerd/containerd.sock). */
  containerdAddress?: string;
  /** Skip talking to engines (fast listing of process runtimes). */
  skipEngines?: boolean;
  /**
   * Only these process runtimes (by id) are detected and listed: a profile of native processes
   * need not look for every Wasm CLI on PATH. Engines are asked or not as skipEngines says.
   */
  only?: readonly string[];
}

export interface RuntimeStatus {
  id: string;
  displayName: string;
  runs: 'wasm' | 'native';
  kind: 'process' | 'container';
  available: boolean;
  version?: string;
  reason?: string;
  /** The executable that is missing or does not work: front ends word how to name it. */
  missing?: MissingExecutable;
  /** Standalone Wasm CLIs: the runtime (wasmtime) and whether this entry is its AOT variant. */
  family?: string;
  aot?: boolean;
  capabilities?: RuntimeCapabilities;
  adapter: RuntimeAdapter;
}

export interface Catalog {
  runtimes: RuntimeStatus[];
  engines: Array<{ name: 'docker' | 'podman'; host: string; report: EngineReport }>;
}

const NODE_WASI_CAPABILITIES: RuntimeCapabilities = {
  wasiPreview1: true,
  components: false,
  dirMapping: 'preopens (HOST::GUEST)',
  limits: [],
};
async function status(
  adapter: RuntimeAdapter,
  kind: RuntimeStatus['kind'],
  capabilities?: RuntimeCapabilities,
): Promise<RuntimeStatus> {
  const d = await adapter.detect();
  return {
    id: adapter.id,
    displayName: adapter.displayName,
    runs: adapter.runs,
    kind,
    available: d.available,
    version: d.version,
    reason: d.reason,
    ...(d.missing ? { missing: d.missing } : {}),
    ...(adapter instanceof WasmCliRuntime
      ? { family: adapter.definition.id, aot: adapter.aot }
      : {}),
    capabilities,
    adapter,
  };
}

/**
 * Every runtime that runs a module as a process: Node's WASI (always there), each Wasm CLI and
 * its ahead-of-time variant, available or not (with why). What a front end offers for "Run With…"
 * and for profiling across Wasm runtimes.
 */
export async function detectWasmRuntimes(
  options: Pick<CatalogOptions, 'nodePath' | 'paths' | 'aotCacheDir'> = {},
): Promise<RuntimeStatus[]> {
  const catalog = await detectRuntimes({ ...options, skipEngines: true });
  return catalog.runtimes.filter((r) => r.runs === 'wasm' && r.kind === 'process');
}

/** A runtime of the catalog (or of a list from detectWasmRuntimes) by id: 'wasmtime-aot', 'process'. */
export function runtimeById(
  from: Catalog | RuntimeStatus[],
  id: string,
): RuntimeStatus | undefined {
  return (Array.isArray(from) ? from : from.runtimes).find((r) => r.id === id);
}

/** Every runtime this machine could run a module or its native twin with, and why the others cannot. */
export async function detectRuntimes(options: CatalogOptions = {}): Promise<Catalog> {
  const processRuntimes: Array<[RuntimeAdapter, RuntimeCapabilities | undefined]> = [
    [new NodeWasiRuntime({ nodePath: options.nodePath }), NODE_WASI_CAPABILITIES],
    // the CLIs, then their ahead-of-time variants
    ...wasmCliRuntimes(options).map((rt): [RuntimeAdapter, RuntimeCapabilities] => [
      rt,
      rt.definition.capabilities,
    ]),
    [new NativeProcessRuntime(), undefined],
  ];
  const pending = processRuntimes
    .filter(([adapter]) => !options.only || options.only.includes(adapter.id))
    .map(([adapter, capabilities]) => status(adapter, 'process', capabilities));
  if (options.skipEngines) return { runtimes: await Promise.all(pending), engines: [] };
  // the engines' clients are loaded when asked for: a listing of process runtimes (a profile of
  // processes) never starts their modules (the Docker and containerd adapters, the OCI writer)
  const { detectEngines } = await import('./engine-catalog');
  const { engines, runtimes, containerd } = await detectEngines(options);
  return { runtimes: [...(await Promise.all(pending)), ...runtimes, ...containerd], engines };
}
