import type Docker from 'dockerode';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createDockerClient } from '../../src/core/engines/docker/client';
import { MANAGED_FILTER, MANAGED_LABEL } from '../../src/core/engines/labels';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const helloDir = path.join(repoRoot, 'examples', 'hello');
export const NATIVE_IMAGE = 'wasm-containers-test/hello-native:latest';

/**
 * The engine for this tier, or a reason it cannot run. With REQUIRE_DOCKER=1 (CI) a missing
 * engine is a failure, not a skip. `podman`: Podman's Docker-compatible socket, required by
 * REQUIRE_PODMAN=1.
 */
export async function connectOrSkip(
  engine: 'docker' | 'podman' = 'docker',
): Promise<{ docker?: Docker; skip?: string }> {
  const docker =
    engine === 'podman'
      ? createDockerClient({ host: `unix://${PODMAN_SOCKET}` })
      : createDockerClient();
  try {
    if (engine === 'podman' && !existsSync(PODMAN_SOCKET))
      throw new Error(`${PODMAN_SOCKET} does not exist`);
    await docker.ping();
    return { docker };
  } catch (e) {
    const reason = `no ${engine === 'podman' ? 'Podman service' : 'Docker engine'} answers (${(e as Error).message}); run scripts/setup-docker.sh`;
    const required = engine === 'podman' ? 'REQUIRE_PODMAN' : 'REQUIRE_DOCKER';
    if (process.env[required] === '1') throw new Error(`${required}=1 but ${reason}`);
    return { skip: reason };
  }
}

export const PODMAN_SOCKET = '/run/podman/podman.sock';

/** Builds the native example image FROM scratch through dockerode (classic builder; never pulls). */
export async function buildNativeImage(docker: Docker): Promise<string> {
  const stream = await docker.buildImage(
    { context: helloDir, src: ['Dockerfile.native', 'hello'] },
    {
      t: NATIVE_IMAGE,
      dockerfile: 'Dockerfile.native',
      labels: { [MANAGED_LABEL]: 'true' },
      pull: '' as unknown as boolean,
      rm: true,
      forcerm: true,
    },
  );
  const events: Array<{ stream?: string; error?: string; aux?: { ID?: string } }> =
    await new Promise((resolve, reject) =>
      docker.modem.followProgress(stream, (err: Error | null, res: unknown[]) =>
        err ? reject(err) : resolve(res as never),
      ),
    );
  const failure = events.find((e) => e.error);
  if (failure) throw new Error(`docker build failed: ${failure.error}`);
  return NATIVE_IMAGE;
}

export async function managedContainers(docker: Docker): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: MANAGED_FILTER });
}
