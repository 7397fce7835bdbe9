/**
 * The container engines' part of the runtime catalog (src/core/runtimes/runtime-catalog.ts): their
 * clients and adapters are loaded by detectRuntimes only when the engines are asked, so that a
 * listing of process runtimes never starts the Docker and containerd modules.
 */
import { existsSync } from 'node:fs';
import { createDockerClient, dockerHostOf } from '../engines/docker/client';
import {
  DockerContainerRuntime,
  removeStaleContainers,
  retryPendingRemovals,
} from '../engines/docker/container';
import { inspectEngine, type EngineReport } from '../engines/docker/engine';
import { containerdRuntimes } from '../engines/containerd/catalog';
import type { Catalog, CatalogOptions, RuntimeStatus } from './runtime-catalog';

/** Native OCI runtimes worth naming even when the engine lacks them, with how to get each. */
const NATIVE_OCI: Record<string, string> = {
  runc: 'ships with Docker',
  crun: 'apt-get install crun, then register it in /etc/docker/daemon.json',
  runsc:
    'apt-get install runsc (gVisor), register it with "runtimeArgs": ["--network=none"] where the root network namespace is refused',
  kata: 'install Kata Containers and register kata-runtime; it needs hardware virtualisation',
};

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

/**
 * The Docker-API engines (Docker, and Podman when its socket is there) and containerd, each with
 * the runtimes it provides: the Docker-API engines' runtimes in that order, containerd's apart
 * (asked alongside them, listed after every other runtime).
 */
export async function detectEngines(options: CatalogOptions): Promise<{
  engines: Catalog['engines'];
  runtimes: RuntimeStatus[];
  containerd: RuntimeStatus[];
}> {
  // containerd (the project's own daemon, through ctr) is asked alongside the Docker-API engines
  const containerd = containerdRuntimes({ address: options.containerdAddress });
  const engines: Catalog['engines'] = [];
  const runtimes: RuntimeStatus[] = [];
  const dockerHost = dockerHostOf(options.dockerHost);
  const docker = createDockerClient({ host: dockerHost });
  const dockerReport = await inspectEngine(docker, dockerHost.startsWith('unix://'));
  // the first contact with the engine is where leftovers of a crashed run are swept
  if (dockerReport.reachable) {
    await retryPendingRemovals();
    await removeStaleContainers(docker).catch(() => undefined);
  }
  engines.push({ name: 'docker', host: dockerHost, report: dockerReport });
  runtimes.push(...engineRuntimes('docker', dockerReport, docker));
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
    runtimes.push(...engineRuntimes('podman', podmanReport, podman));
  }
  return { engines, runtimes, containerd: await containerd };
}
