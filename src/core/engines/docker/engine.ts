import type Docker from 'dockerode';
import { engineInfo, explainDockerError, type EngineInfo } from './client';
import { findExecutablesMatching, isExecutableFile } from '../../runtimes/find-executable';
import {
  podmanServiceRuntime,
  runtimeVersionText,
  serviceRuntimeFrom,
  type ServiceRuntime,
} from '../podman-runtime';

export { parseCrunWasmHandlers } from '../podman-runtime';

/** What a Docker-API engine can do for Wasm, and why not when it cannot. */
export interface EngineReport {
  /** Docker, or Podman answering the same API on its socket. */
  engine: 'docker' | 'podman';
  reachable: boolean;
  reason?: string;
  serverVersion?: string;
  apiVersion?: string;
  /** OCI runtimes registered with the engine (docker info → Runtimes). */
  runtimes: string[];
  /**
   * Registered runtimes whose binary is not on this machine (local engines only): Podman lists
   * kata, krun and runj from containers.conf whether or not they are installed.
   */
  missingRuntimes: Record<string, string>;
  /** The runtime containers get when none is asked for (docker info → DefaultRuntime). */
  defaultRuntime?: string;
  /** The containerd image store (needed for wasi/wasm images) is in use. */
  containerdImageStore: boolean;
  /** runwasi shims on PATH: containerd-shim-<engine>-v1 → io.containerd.<engine>.v1 */
  shims: Array<{ runtime: string; binary: string }>;
  /**
   * Wasm handlers compiled into the crun the engine runs (its --version: +WASM:<engine>): Podman's
   * service runtime, or the binary Docker registered as `crun`; never a crun found on PATH.
   */
  crunWasmHandlers: string[];
  /** Podman: the OCI runtime its service runs every container with (libpod info), and its features. */
  ociRuntime?: ServiceRuntime;
  canRunWasm: boolean;
  /** One sentence: why this engine cannot run wasi/wasm images, and the way out. */
  wasmReason?: string;
}

const SHIM = /^containerd-shim-([a-z0-9]+)-v1$/;
const NOT_WASM_SHIMS = new Set(['runc', 'runhcs', 'kata']);

/** runwasi shims among executables (name → path): containerd-shim-<engine>-v1 → io.containerd.<engine>.v1. */
export function wasmShimsAmong(
  executables: Map<string, string>,
): Array<{ runtime: string; binary: string }> {
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
export function wasmVerdict(
  r: Pick<
    EngineReport,
    'engine' | 'serverVersion' | 'containerdImageStore' | 'shims' | 'crunWasmHandlers' | 'runtimes'
  > &
    Partial<Pick<EngineReport, 'ociRuntime'>>,
): { canRunWasm: boolean; wasmReason?: string } {
  if (r.engine === 'podman') {
    // Podman has no containerd shims: crun runs wasi/wasm images itself when built with a Wasm
    // handler, and only the runtime its service runs counts
    const runs = r.ociRuntime;
    if (
      r.crunWasmHandlers.length > 0 &&
      (runs ? runs.name === 'crun' : r.runtimes.includes('crun'))
    )
      return { canRunWasm: true };
    const which = runs
      ? `the service runs ${runs.path ?? runs.name}${runs.version ? ` (${runs.version})` : ''}, which has none`
      : "this machine's crun has none";
    return {
      canRunWasm: false,
      wasmReason: `Podman ${r.serverVersion} runs wasi/wasm images through crun built with a Wasm handler (crun --version shows +WASM:wamr, +WASM:wasmedge or +WASM:wasmtime); ${which}: install a crun built with a Wasm handler (Fedora: crun-wasm) and make it Podman's runtime (containers.conf [engine] runtime, or its path first in [engine.runtimes] crun).`,
    };
  }
  const major = majorOf(r.serverVersion);
  const wasmRuntimes = r.runtimes.filter(
    (rt) => /^io\.containerd\.\w+\.v1$/.test(rt) && !/runc|runtime/.test(rt),
  );
  const handlers = r.shims.length > 0 || wasmRuntimes.length > 0 || r.crunWasmHandlers.length > 0;
  if (major < 24) {
    return {
      canRunWasm: false,
      wasmReason: `Docker engine ${r.serverVersion} cannot run wasi/wasm images ("operating system is not supported"): it needs engine ≥ 24 with the containerd image store and a containerd-shim-*-v1 (runwasi) on PATH. Until then, build wasm images daemonless and run modules with a Wasm runtime CLI.`,
    };
  }
  if (!r.containerdImageStore) {
    return {
      canRunWasm: false,
      wasmReason: `Docker engine ${r.serverVersion} uses the classic image store, which cannot hold wasi/wasm images: enable the containerd image store ("features": {"containerd-snapshotter": true} in daemon.json) and restart dockerd.`,
    };
  }
  if (!handlers) {
    return {
      canRunWasm: false,
      wasmReason: `Docker engine ${r.serverVersion} has no Wasm runtime: put a runwasi shim (containerd-shim-wasmtime-v1, -wasmedge-v1, …) on dockerd's PATH, or use a crun built with a Wasm handler.`,
    };
  }
  return { canRunWasm: true };
}

/** How long detection waits for an engine's version and info. */
export const ENGINE_ANSWER_MS = 5000;

/** Whether a version answer comes from Podman's Docker-compatible API. */
export function isPodman(version: { Components?: Array<{ Name?: string }> }): boolean {
  return (version.Components ?? []).some((c) => /podman/i.test(c.Name ?? ''));
}

/**
 * What the engine at the other end of `docker` can do. `local`: the engine runs on this machine
 * (a unix socket), so the runtime paths it reports can be checked on disk.
 */
/**
 * The crun the engine runs: Podman's service runtime (libpod info), or the binary Docker registered
 * as `crun` (a path on this machine). Undefined when the engine runs none it can name.
 */
async function engineCrun(
  docker: Docker,
  podman: boolean,
  info: EngineInfo,
  local: boolean,
): Promise<{ ociRuntime?: ServiceRuntime; crun?: ServiceRuntime }> {
  if (podman) {
    const ociRuntime = await podmanServiceRuntime(docker, local).catch(() => undefined);
    return { ociRuntime, crun: ociRuntime?.name === 'crun' ? ociRuntime : undefined };
  }
  const path = info.runtimes.crun?.path;
  if (!local || !path) return {};
  return { crun: serviceRuntimeFrom('crun', path, await runtimeVersionText(path)) };
}

export async function inspectEngine(docker: Docker, local = true): Promise<EngineReport> {
  const shims = findWasmShims();
  try {
    // an engine that accepts the connection and never answers must not hang detection
    let timer: NodeJS.Timeout | undefined;
    const silent = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            Object.assign(
              new Error(
                `the engine accepted the connection but did not answer within ${ENGINE_ANSWER_MS / 1000} s: it may be hung; restart it (or check the address it was asked at)`,
              ),
              { code: 'ETIMEDOUT' },
            ),
          ),
        ENGINE_ANSWER_MS,
      );
    });
    const [version, info] = await Promise.race([
      Promise.all([docker.version(), engineInfo(docker)]),
      silent,
    ]).finally(() => clearTimeout(timer));
    const registered = info.runtimes;
    const podman = isPodman(version);
    const { ociRuntime, crun } = await engineCrun(docker, podman, info, local);
    const missingRuntimes = Object.fromEntries(
      Object.entries(registered)
        .filter(
          ([, rt]) =>
            local &&
            typeof rt.path === 'string' &&
            rt.path.startsWith('/') &&
            !isExecutableFile(rt.path),
        )
        .map(([name, rt]) => [name, rt.path!]),
    );
    const report = {
      engine: podman ? ('podman' as const) : ('docker' as const),
      reachable: true,
      serverVersion: version.Version,
      apiVersion: version.ApiVersion,
      runtimes: Object.keys(registered).sort(),
      missingRuntimes,
      defaultRuntime: info.defaultRuntime,
      containerdImageStore: info.driverStatus.some(([, value]) =>
        /io\.containerd\.snapshotter/.test(value),
      ),
      shims,
      crunWasmHandlers: crun?.wasmHandlers ?? [],
      ...(ociRuntime ? { ociRuntime } : {}),
    };
    return { ...report, ...wasmVerdict(report) };
  } catch (e) {
    return {
      engine: 'docker',
      reachable: false,
      reason: explainDockerError(e),
      runtimes: [],
      missingRuntimes: {},
      containerdImageStore: false,
      shims,
      crunWasmHandlers: [],
      canRunWasm: false,
      wasmReason: 'No Docker engine answers.',
    };
  }
}
