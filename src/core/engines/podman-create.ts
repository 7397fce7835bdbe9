import type Docker from 'dockerode';
import type { RunSpec } from '../runtimes/types';

/** The parts of a container this tool asks for, whichever API creates it. */
export interface CreateRequest {
  image: string;
  spec: RunSpec;
  labels: Record<string, string>;
  stdin: boolean;
  annotations: Record<string, string>;
}

/**
 * Podman 4's Docker-compatible create drops HostConfig.Annotations (checked with 4.3.1: the
 * container's config had none of them); its libpod create keeps them. The container it makes is
 * attached, started, waited for and removed through the compatible API like any other.
 */
export function libpodCreate(docker: Docker, req: CreateRequest): Promise<string> {
  const { spec } = req;
  const body = {
    image: req.image,
    ...(spec.args && spec.args.length > 0 ? { command: spec.args } : {}),
    env: spec.env ?? {},
    ...(spec.cwd ? { work_dir: spec.cwd } : {}),
    labels: req.labels,
    annotations: req.annotations,
    stdin: req.stdin,
    netns: { nsmode: 'none' },
    mounts: (spec.dirs ?? []).map((d) => ({
      destination: d.guest,
      source: d.host,
      type: 'bind',
      options: ['rbind'],
    })),
    ...(spec.memoryLimitBytes
      ? { resource_limits: { memory: { limit: spec.memoryLimitBytes } } }
      : {}),
    // the same limits as the compatible path asks for (Podman's defaults exceed nested hosts' hard limits)
    r_limits: [
      { type: 'nofile', soft: 1024, hard: 1024 },
      { type: 'nproc', soft: 1024, hard: 1024 },
    ],
  };
  return new Promise((resolve, reject) =>
    docker.modem.dial(
      {
        path: '/v4.0.0/libpod/containers/create',
        method: 'POST',
        statusCodes: { 201: true, 200: true },
        options: body,
      },
      (err: Error | null, data: unknown) =>
        err ? reject(err) : resolve((data as { Id: string }).Id),
    ),
  );
}
