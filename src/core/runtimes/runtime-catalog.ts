import { existsSync } from 'node:fs';
import type { RuntimeCapabilities } from './capabilities';
import { createDockerClient, dockerHostOf } from '../engines/docker/client';
import {
  DockerContainerRuntime,
  removeStaleContainers,
  retryPendingRemovals,
} from '../engines/docker/container';
import { inspectEngine, type EngineReport } from '../engines/docker/engine';
import { containerdRuntimes } from '../engines/containerd/catalog';
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
/** Native OCI runtimes worth naming even when the engine lacks them, with how to get each. */
const NATIVE_OCI: Record<string, string> = {
  runc: 'ships with Docker',
  crun: 'apt-get install crun, then register it in /etc/docker/daemon.json',
  runsc:
    'apt-get install runsc (gVisor), register it with "runtimeArgs": ["--network=none"] where the root network namespace is refused',
  kata: 'install Kata Containers and register kata-runtime; it needs hardware virtualisation',
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

function engineRuntimes(
  engine: 'docker' | 'podman',
  report: EngineReport,
  client: ReturnType<typeof createDockerClient>,
): RuntimeStatus[] {
  const entry = (
    adapter: DockerContainerRuntime,
    available: boolean,
    reason?: string,
  ): RuntimeStatus => ({
    id: adapter.id,
    displayName: adapter.displayName,
    runs: adapter.runs,
    kind: 'container',
    available,
    version: available ? `${engine} ${report.serverVersion} / ${adapter.ociRuntime}` : undefined,
    reason: available ? undefined : reason,
    adapter,
  });
  const out = Object.entries(NATIVE_OCI).map(([name, howTo]) => {
    const missing = report.missingRuntimes[name];
    const has = report.reachable && report.runtimes.includes(name) && !missing;
    // Podman 4's API ignores HostConfig.Runtime (checked with 4.3.1: every container ran under crun,
    // through the compatible and the libpod API alike): only its default runtime is what it says
    const ignoredChoice =
      engine === 'podman' &&
      Number(/^(\d+)/.exec(report.serverVersion ?? '')?.[1]) <= 4 &&
      report.defaultRuntime !== undefined &&
      name !== report.defaultRuntime;
    const reason = !report.reachable
      ? report.reason
      : missing
        ? `${engine} ${report.serverVersion} lists runtime '${name}' but ${missing} is not installed: ${howTo}.`
        : ignoredChoice
          ? `Podman ${report.serverVersion} runs every container started through its API under its default runtime (${report.defaultRuntime}), whatever is asked: compare ${name} with the Docker engine, or with podman run --runtime ${name} by hand.`
          : `${engine} ${report.serverVersion} has no runtime '${name}': ${howTo}.`;
    return entry(
      new DockerContainerRuntime(client, name, 'native', undefined, engine),
      has && !ignoredChoice,
      reason,
    );
  });
  if (engine === 'podman') {
    // Podman runs wasi/wasm images with crun's own Wasm handler (no containerd shims)
    out.push(
      entry(
        new DockerContainerRuntime(client, 'crun', 'wasm', 'wasi/wasm', engine),
        report.canRunWasm,
        report.wasmReason,
      ),
    );
    return out;
  }
  const registered = report.runtimes.filter(
    (r) => /^io\.containerd\.\w+\.v1$/.test(r) && !/runc|runtime/.test(r),
  );
  const wasmRuntimes = [...new Set([...report.shims.map((s) => s.runtime), ...registered])];
  // with no shim at all, still list the usual one so that the reason is visible
  for (const runtime of wasmRuntimes.length > 0 ? wasmRuntimes : ['io.containerd.wasmtime.v1']) {
    const reason =
      wasmRuntimes.length > 0
        ? report.wasmReason
        : (report.wasmReason ??
          'No runwasi shim (containerd-shim-*-v1) on PATH and no crun Wasm handler.');
    out.push(
      entry(
        new DockerContainerRuntime(client, runtime, 'wasm', 'wasi/wasm', engine),
        report.canRunWasm && wasmRuntimes.length > 0,
        reason,
      ),
    );
  }
  return out;
}

/** Every runtime this machine could run a module or its native twin with, and why the others cannot. */
export async function detectRuntimes(options: CatalogOptions = {}): Promise<Catalog> {
  const pending: Array<Promise<RuntimeStatus>> = [
    status(new NodeWasiRuntime({ nodePath: options.nodePath }), 'process', NODE_WASI_CAPABILITIES),
    // the CLIs, then their ahead-of-time variants
    ...wasmCliRuntimes(options).map((rt) => status(rt, 'process', rt.definition.capabilities)),
    status(new NativeProcessRuntime(), 'process'),
  ];
  const engines: Catalog['engines'] = [];
  // containerd (the project's own daemon, through ctr) is asked alongside the Docker-API engines
  const containerd = options.skipEngines
    ? Promise.resolve([])
    : containerdRuntimes({ address: options.containerdAddress });
  if (!options.skipEngines) {
    const dockerHost = dockerHostOf(options.dockerHost);
    const docker = createDockerClient({ host: dockerHost });
    const dockerReport = await inspectEngine(docker, dockerHost.startsWith('unix://'));
    // the first contact with the engine is where leftovers of a crashed run are swept
    if (dockerReport.reachable) {
      await retryPendingRemovals();
      await removeStaleContainers(docker).catch(() => undefined);
    }
    engines.push({ name: 'docker', host: dockerHost, report: dockerReport });
    pending.push(...engineRuntimes('docker', dockerReport, docker).map((r) => Promise.resolve(r)));
    const podmanSocket =
      options.podmanSocket ??
      ['/run/podman/podman.sock', `/run/user/${process.getuid?.() ?? 0}/podman/podman.sock`].find(
        existsSync,
      );
    if (podmanSocket) {
      const podman = createDockerClient({ host: `unix://${podmanSocket}` });
      const podmanReport = await inspectEngine(podman, true);
      if (podmanReport.reachable) await removeStaleContainers(podman).catch(() => undefined);
      engines.push({ name: 'podman', host: `unix://${podmanSocket}`, report: podmanReport });
      pending.push(
        ...engineRuntimes('podman', podmanReport, podman).map((r) => Promise.resolve(r)),
      );
    }
  }
  return { runtimes: [...(await Promise.all(pending)), ...(await containerd)], engines };
}
