import type Docker from 'dockerode';
import { requireVendor } from '../../paths';

/** dockerode (with ssh2, docker-modem and BuildKit's gRPC) is loaded with the first client. */
const dockerode = () => requireVendor<typeof Docker>('dockerode');

export interface DockerConnection {
  /** DOCKER_HOST-style address (unix:///var/run/docker.sock, tcp://host:2375); default from the environment. */
  host?: string;
}

/** The engine's address: the one given, else DOCKER_HOST, else Docker's default socket. */
export const dockerHostOf = (host?: string): string =>
  host ?? process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';

/** A dockerode client for DOCKER_HOST, a given address, or the default socket. */
export function createDockerClient(connection: DockerConnection = {}): Docker {
  const host = connection.host ?? process.env.DOCKER_HOST;
  const Docker = dockerode();
  if (!host) return new Docker();
  if (host.startsWith('unix://')) return new Docker({ socketPath: host.slice('unix://'.length) });
  const url = new URL(host.replace(/^tcp:/, 'http:'));
  return new Docker({
    host: url.hostname,
    port: Number(url.port || 2375),
    protocol: url.protocol === 'https:' ? 'https' : 'http',
  });
}

/** What failed talking to the engine, and what to do about it. */
export function explainDockerError(e: unknown): string {
  const err = e as NodeJS.ErrnoException & { statusCode?: number; json?: { message?: string } };
  if (err?.code === 'ENOENT' || err?.code === 'ECONNREFUSED') {
    return 'No Docker engine answers (is dockerd running? On Debian: apt-get install docker.io, then start dockerd), or it listens at another address.';
  }
  if (err?.code === 'EACCES')
    return 'Permission denied on the Docker socket: add your user to the docker group (and log in again) or use rootless Docker.';
  return err?.json?.message ?? err?.message ?? String(e);
}

/** The fields of the engine's GET /info answer this tool reads (dockerode types it as any). */
export interface EngineInfo {
  serverVersion?: string;
  defaultRuntime?: string;
  /** Registered OCI runtimes, by name, with the binary's path where the engine says it. */
  runtimes: Record<string, { path?: string }>;
  /** The storage driver's [name, value] pairs. */
  driverStatus: Array<[string, string]>;
}

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** docker info, narrowed to what is read: a field of another shape counts as absent. */
export async function engineInfo(docker: Docker): Promise<EngineInfo> {
  const info: unknown = await docker.info();
  const raw = isRecord(info) ? info : {};
  const runtimes = isRecord(raw.Runtimes) ? raw.Runtimes : {};
  return {
    serverVersion: text(raw.ServerVersion),
    defaultRuntime: text(raw.DefaultRuntime),
    runtimes: Object.fromEntries(
      Object.entries(runtimes).map(([name, rt]) => [
        name,
        { path: isRecord(rt) ? text(rt.path) : undefined },
      ]),
    ),
    driverStatus: (Array.isArray(raw.DriverStatus) ? (raw.DriverStatus as unknown[]) : [])
      .filter((pair): pair is unknown[] => Array.isArray(pair))
      .map((pair) => [text(pair[0]) ?? '', text(pair[1]) ?? '']),
  };
}
