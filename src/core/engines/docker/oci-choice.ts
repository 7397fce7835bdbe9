import type Docker from 'dockerode';
import { engineInfo } from './client';
import { podmanServiceRuntime } from '../podman-runtime';
import type { RunSpec } from '../../runtimes/types';

const apiAtLeast = (version: string | undefined, major: number, minor: number): boolean => {
  const [a, b] = (version ?? '0.0').split('.').map(Number);
  return a > major || (a === major && b >= minor);
};

/**
 * The engine's name for the OCI runtime a run asks for (a path or a registered name), or the
 * target's own. Docker takes only registered names: a path is looked up among them. Podman 4's API
 * runs every container with its service's runtime whatever is asked, so a different one is refused
 * rather than silently measured as something it is not.
 */
export async function resolveOciRuntime(
  docker: Docker,
  engine: 'docker' | 'podman',
  fallback: string,
  spec: Pick<RunSpec, 'ociRuntime'>,
): Promise<string> {
  const asked = spec.ociRuntime;
  if (!asked) return fallback;
  if (engine === 'podman') {
    const version = (await docker.version()).Version;
    const service = await podmanServiceRuntime(docker, true);
    if (service && (asked === service.name || asked === service.path)) return service.name;
    if (Number(/^(\d+)/.exec(version ?? '')?.[1] ?? 0) <= 4)
      throw new Error(
        `Podman ${version}'s API runs every container with its service's runtime (${service?.path ?? service?.name ?? 'unknown'}) and ignores a request for ${asked}: make ${asked} Podman's runtime in containers.conf ([engine] runtime) and restart the service.`,
      );
    return asked;
  }
  const info = await engineInfo(docker);
  if (asked.startsWith('/')) {
    const name = Object.entries(info.runtimes).find(([, rt]) => rt.path === asked)?.[0];
    if (name) return name;
    throw new Error(
      `Docker engine ${info.serverVersion} has no runtime registered at ${asked} (it has ${Object.keys(info.runtimes).join(', ')}): add it to /etc/docker/daemon.json under "runtimes" ({"my-runtime": {"path": "${asked}"}}) and reload dockerd.`,
    );
  }
  if (asked in info.runtimes) return asked;
  throw new Error(
    `Docker engine ${info.serverVersion} has no runtime '${asked}' (it has ${Object.keys(info.runtimes).join(', ')}): register it in /etc/docker/daemon.json under "runtimes" and reload dockerd.`,
  );
}

/** Docker drops container annotations before API 1.43 (engine 24): asking for them there is an error, not a silent no-op. */
export async function requireAnnotationSupport(docker: Docker): Promise<void> {
  const v = await docker.version();
  if (!apiAtLeast(v.ApiVersion, 1, 43))
    throw new Error(
      `Docker engine ${v.Version} (API ${v.ApiVersion}) drops container annotations (they need API 1.43, engine 24): upgrade the engine, or run the target under Podman or containerd, which pass them.`,
    );
}
