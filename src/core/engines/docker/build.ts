import type Docker from 'dockerode';
import path from 'node:path';
import { explainDockerError } from './client';
import { MANAGED_LABEL } from '../labels';
import { BuildkitTraceDecoder } from './buildkit-trace';
import type { EngineReport } from './engine';

export type Builder = 'buildkit' | 'classic';

/** What an engine can build, and with which builder. */
export interface BuildCapabilities {
  builder: Builder;
  /** wasi/wasm images (--platform wasi/wasm) can be built and kept by this engine. */
  canBuildWasm: boolean;
  /** One sentence: why not, and the way out. */
  wasmReason?: string;
}

const apiAtLeast = (api: string | undefined, want: [number, number]) => {
  const [major, minor] = (api ?? '0.0').split('.').map(Number);
  return major > want[0] || (major === want[0] && minor >= want[1]);
};

/**
 * BuildKit (`version: '2'` through the API) on Docker engines with API ≥ 1.39; the classic builder
 * otherwise and on Podman (whose compatible API builds with buildah either way). wasi/wasm images
 * need BuildKit's platform support and an image store that keeps them: Docker ≥ 24 with the
 * containerd image store.
 */
export function buildCapabilities(
  report: Pick<
    EngineReport,
    'engine' | 'reachable' | 'reason' | 'serverVersion' | 'apiVersion' | 'containerdImageStore'
  >,
): BuildCapabilities {
  if (!report.reachable)
    return {
      builder: 'classic',
      canBuildWasm: false,
      wasmReason: `No engine answers (${report.reason}): build the Wasm image daemonless (Build Wasm Image, or wasm-containers build).`,
    };
  const builder: Builder =
    report.engine === 'docker' && apiAtLeast(report.apiVersion, [1, 39]) ? 'buildkit' : 'classic';
  if (report.engine === 'podman')
    return {
      builder,
      canBuildWasm: false,
      wasmReason: `Building wasi/wasm images through Podman ${report.serverVersion}'s API is not supported here: build the Wasm image daemonless (Build Wasm Image, or wasm-containers build) and run it with a crun that has a Wasm handler.`,
    };
  const major = Number(/^(\d+)/.exec(report.serverVersion ?? '')?.[1] ?? 0);
  if (major < 24 || !report.containerdImageStore) {
    const needs =
      major < 24
        ? 'it needs engine ≥ 24 with the containerd image store'
        : 'it needs the containerd image store: "features": {"containerd-snapshotter": true} in daemon.json';
    return {
      builder,
      canBuildWasm: false,
      wasmReason: `Docker engine ${report.serverVersion} cannot build wasi/wasm images (${needs}): build it daemonless instead (Build Wasm Image, or wasm-containers build), which works with any engine or none.`,
    };
  }
  return { builder, canBuildWasm: true };
}

/**
 * Builds an image from a Dockerfile through dockerode, with BuildKit or the classic builder, for a
 * platform when one is given. Never pulls (`FROM scratch` or local images only): no registry is
 * assumed reachable. Progress lines (BuildKit's steps and their output) go to onOutput.
 */
export async function buildImage(
  docker: Docker,
  options: {
    context: string;
    dockerfile?: string;
    tag: string;
    builder?: Builder;
    platform?: string;
    onOutput?: (line: string) => void;
    signal?: AbortSignal;
    idleTimeoutMs?: number;
  },
): Promise<string> {
  const dockerfile = options.dockerfile ?? 'Dockerfile';
  const builder = options.builder ?? 'classic';
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.buildImage({ context: path.resolve(options.context), src: ['.'] }, {
      t: options.tag,
      dockerfile,
      labels: { [MANAGED_LABEL]: 'true' },
      rm: true,
      forcerm: true,
      abortSignal: options.signal,
      ...(builder === 'buildkit' ? { version: '2' } : {}),
      ...(options.platform ? { platform: options.platform } : {}),
    } as Docker.ImageBuildOptions);
  } catch (e) {
    throw new Error(
      `Building ${options.tag} from ${path.join(options.context, dockerfile)} failed: ${explainDockerError(e)}`,
    );
  }
  const trace = new BuildkitTraceDecoder();
  const idleMs = options.idleTimeoutMs ?? 10 * 60_000;
  const where = `Building ${options.tag} from ${path.join(options.context, dockerfile)}`;
  const events: Array<{ stream?: string; error?: string }> = await new Promise(
    (resolve, reject) => {
      // an engine that stops talking in the middle of a build (stopped, hung) fails the build instead of hanging it
      let idle: NodeJS.Timeout | undefined;
      const arm = () => {
        clearTimeout(idle);
        idle = setTimeout(() => {
          (stream as NodeJS.ReadableStream & { destroy?(): void }).destroy?.();
          reject(
            new Error(
              `${where} failed: the engine sent nothing for ${Math.round(idleMs / 1000)} s; is it still running?`,
            ),
          );
        }, idleMs);
      };
      arm();
      stream.on('error', () => clearTimeout(idle));
      docker.modem.followProgress(
        stream,
        (err: Error | null, res: unknown[]) => {
          clearTimeout(idle);
          if (err)
            reject(
              new Error(
                `${where} failed: the engine's answer broke off (${explainDockerError(err)})`,
              ),
            );
          else resolve(res as never);
        },
        (event: { stream?: string; id?: string; aux?: unknown }) => {
          arm();
          if (event.id === 'moby.buildkit.trace' && typeof event.aux === 'string')
            trace.lines(event.aux).forEach((l) => options.onOutput?.(l));
          else if (event.stream?.trim()) options.onOutput?.(event.stream.trimEnd());
        },
      );
    },
  );
  const failure = events.find((e) => e.error);
  if (failure) throw new Error(`${where} failed: ${failure.error}`);
  return options.tag;
}
