import type Docker from 'dockerode';
import path from 'node:path';
import { explainDockerError } from './docker-client';
import { MANAGED_LABEL } from './docker-labels';

/**
 * Builds an image from a Dockerfile with the engine's classic builder through dockerode. Never
 * pulls (`FROM scratch` or local images only): no registry is assumed reachable.
 */
export async function buildImage(
  docker: Docker,
  options: { context: string; dockerfile?: string; tag: string; onOutput?: (line: string) => void; signal?: AbortSignal },
): Promise<string> {
  const dockerfile = options.dockerfile ?? 'Dockerfile';
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.buildImage(
      { context: path.resolve(options.context), src: ['.'] },
      { t: options.tag, dockerfile, labels: { [MANAGED_LABEL]: 'true' }, rm: true, forcerm: true, abortSignal: options.signal } as Docker.ImageBuildOptions,
    );
  } catch (e) {
    throw new Error(`Building ${options.tag} from ${path.join(options.context, dockerfile)} failed: ${explainDockerError(e)}`);
  }
  const events: Array<{ stream?: string; error?: string }> = await new Promise((resolve, reject) =>
    docker.modem.followProgress(
      stream,
      (err: Error | null, res: unknown[]) => (err ? reject(err) : resolve(res as never)),
      (event: { stream?: string }) => { if (event.stream?.trim()) options.onOutput?.(event.stream.trimEnd()); },
    ),
  );
  const failure = events.find((e) => e.error);
  if (failure) throw new Error(`Building ${options.tag} from ${path.join(options.context, dockerfile)} failed: ${failure.error}`);
  return options.tag;
}
