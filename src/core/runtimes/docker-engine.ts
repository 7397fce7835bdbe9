import type Docker from 'dockerode';
import { runProcess } from '../process/run-process';
import { explainDockerError } from './docker-client';
import { findExecutable, findExecutablesMatching } from './find-executable';

/** What a Docker-API engine can do for Wasm, and why not when it cannot. */
export interface EngineReport {
  reachable: boolean;
  reason?: string;
  serverVersion?: string;
  apiVersion?: string;
  /** OCI runtimes registered with the engine (docker info → Runtimes). */
  runtimes: string[];
  /** The containerd image store (needed for wasi/wasm images) is in use. */
  containerdImageStore: boolean;
  /** runwasi shims on PATH: containerd-shim-<engine>-v1 → io.containerd.<engine>.v1 */
  shims: Array<{ runtime: string; binary: string }>;
  /** Wasm handlers compiled into crun (crun --version: +WASM:<engine>). */
  crunWasmHandlers: string[];
  canRunWasm: boolean;
  /** One sentence: why this engine cannot run wasi/wasm images, and the way out. */
  wasmReason?: string;
}

const SHIM = /^containerd-shim-([a-z0-9]+)-v1$/;
const NOT_WASM_SHIMS = new Set(['runc', 'runhcs', 'kata']);

export function parseCrunWasmHandlers(versionOutput: string): string[] {
  return [...versionOutput.matchAll(/\+WASM:([A-Za-z0-9_-]+)/g)].map((m) => m[1].toLowerCase());
}

/** runwasi shims among executables (name → path): containerd-shim-<engine>-v1 → io.containerd.<engine>.v1. */
export function wasmShimsAmong(executables: Map<string, string>): Array<{ runtime: string; binary: string }> {
  return [...executables]
    .filter(([name]) => SHIM.test(name))
    .map(([name, binary]) => ({ engine: SHIM.exec(name)![1], binary }))
    .filter(({ engine }) => !NOT_WASM_SHIMS.has(engine))
    .map(({ engine, binary }) => ({ runtime: `io.containerd.${engine}.v1`, binary }));
}

export function findWasmShims(searchPath?: string): Array<{ runtime: string; binary: string }> {
  return wasmShimsAmong(findExecutablesMatching(SHIM, searchPath));
}

function majorOf(version: string | undefined): number {
  return Number(/^(\d+)/.exec(version ?? '')?.[1] ?? 0);
}

/** The sentence a user needs when the engine cannot run wasi/wasm images. */
export function wasmVerdict(r: Pick<EngineReport, 'serverVersion' | 'containerdImageStore' | 'shims' | 'crunWasmHandlers' | 'runtimes'>): { canRunWasm: boolean; wasmReason?: string } {
  const major = majorOf(r.serverVersion);
  const wasmRuntimes = r.runtimes.filter((rt) => /^io\.containerd\.\w+\.v1$/.test(rt) && !/runc|runtime/.test(rt));
  const handlers = r.shims.length > 0 || wasmRuntimes.length > 0 || r.crunWasmHandlers.length > 0;
  if (major < 24) {
    return { canRunWasm: false, wasmReason: `Docker engine ${r.serverVersion} cannot run wasi/wasm images ("operating system is not supported"): it needs engine ≥ 24 with the containerd image store and a containerd-shim-*-v1 (runwasi) on PATH. Until then, build wasm images daemonless and run modules with a Wasm runtime CLI.` };
  }
  if (!r.containerdImageStore) {
    return { canRunWasm: false, wasmReason: `Docker engine ${r.serverVersion} uses the classic image store, which cannot hold wasi/wasm images: enable the containerd image store ("features": {"containerd-snapshotter": true} in daemon.json) and restart dockerd.` };
  }
  if (!handlers) {
    return { canRunWasm: false, wasmReason: `Docker engine ${r.serverVersion} has no Wasm runtime: put a runwasi shim (containerd-shim-wasmtime-v1, -wasmedge-v1, …) on dockerd's PATH, or use a crun built with a Wasm handler.` };
  }
  return { canRunWasm: true };
}

export async function inspectEngine(docker: Docker): Promise<EngineReport> {
  const crun = findExecutable('crun');
  let crunWasmHandlers: string[] = [];
  if (crun) {
    try {
      crunWasmHandlers = parseCrunWasmHandlers((await runProcess(crun, ['--version'], { timeoutMs: 5000 })).stdout);
    } catch {
      // an unusable crun has no handlers
    }
  }
  const shims = findWasmShims();
  try {
    const [version, info] = await Promise.all([docker.version(), docker.info()]);
    const driverStatus: string[][] = info.DriverStatus ?? [];
    const report = {
      reachable: true,
      serverVersion: version.Version,
      apiVersion: version.ApiVersion,
      runtimes: Object.keys(info.Runtimes ?? {}).sort(),
      containerdImageStore: driverStatus.some(([, value]) => /io\.containerd\.snapshotter/.test(value ?? '')),
      shims,
      crunWasmHandlers,
    };
    return { ...report, ...wasmVerdict(report) };
  } catch (e) {
    return { reachable: false, reason: explainDockerError(e), runtimes: [], containerdImageStore: false, shims, crunWasmHandlers, canRunWasm: false, wasmReason: 'No Docker engine answers.' };
  }
}
