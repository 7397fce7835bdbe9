import { existsSync } from 'node:fs';
import path from 'node:path';
import { resolveEntrypoint } from '../dockerfile/entrypoint';
import { createDockerClient } from '../engines/docker/client';
import { buildImage } from '../engines/docker/build';
import { NativeProcessRuntime } from '../runtimes/native-process';
import { NodeWasiRuntime, type NodeWasiOptions } from '../runtimes/node-wasi';
import type { Catalog } from '../runtimes/runtime-catalog';
import type { RuntimeAdapter } from '../runtimes/types';
import { discoverPair } from './discover';
import type { ProfileTarget } from './profiler';
import { profileTarget } from './targets';
import { folderImageTag } from '../image-tags';

/** The native counterpart of a wasm Dockerfile: `Dockerfile.native` (or `<name>.native`) beside it. */
export function nativeDockerfileFor(dockerfile: string): string | undefined {
  const candidates = [
    `${dockerfile}.native`,
    path.join(path.dirname(dockerfile), 'Dockerfile.native'),
  ];
  return candidates.find((c) => c !== dockerfile && existsSync(c));
}

/**
 * "Wasm container vs native container" from Dockerfiles: the module the wasm Dockerfile runs (with
 * its entrypoint's arguments and environment) under each of `wasmRuntimes` (default: Node WASI),
 * the native counterpart's program as a process, and — when an engine with runc answers — the
 * native image built from its Dockerfile.
 */
export async function dockerfileTargets(
  dockerfile: string,
  options: {
    node?: NodeWasiOptions;
    /** The Wasm runtimes the module runs under, in order; default: Node WASI. */
    wasmRuntimes?: readonly RuntimeAdapter[];
    catalog?: Catalog;
    dockerHost?: string;
    onOutput?: (line: string) => void;
    signal?: AbortSignal;
  } = {},
): Promise<{ targets: ProfileTarget[]; notes: string[]; title: string }> {
  const wasm = resolveEntrypoint(dockerfile);
  if (wasm.kind !== 'wasm') {
    throw new Error(
      `${path.basename(dockerfile)} runs ${wasm.guestPath}, a native executable: profile the Wasm Dockerfile instead (its native counterpart is found beside it).`,
    );
  }
  const notes: string[] = [];
  const wasmRuntimes = options.wasmRuntimes ?? [new NodeWasiRuntime(options.node)];
  const targets: ProfileTarget[] = wasmRuntimes.map((runtime) =>
    profileTarget(runtime, { artifact: wasm.artifact, args: wasm.args, env: wasm.env }),
  );
  const nativeFile = nativeDockerfileFor(dockerfile);
  if (nativeFile) {
    const native = resolveEntrypoint(nativeFile);
    targets.push(
      profileTarget(new NativeProcessRuntime(), {
        artifact: native.artifact,
        args: native.args,
        env: native.env,
      }),
    );
    const runc = options.catalog?.runtimes.find((r) => r.id === 'docker-runc');
    if (runc?.available) {
      const tag = folderImageTag(path.dirname(path.resolve(nativeFile)), 'native');
      options.onOutput?.(`building ${tag} from ${nativeFile}`);
      await buildImage(createDockerClient({ host: options.dockerHost }), {
        context: path.dirname(nativeFile),
        dockerfile: path.basename(nativeFile),
        tag,
        onOutput: options.onOutput,
        signal: options.signal,
      });
      targets.push(
        profileTarget(runc.adapter, {
          artifact: tag,
          args: native.args.length ? native.args : undefined,
        }),
      );
    } else {
      notes.push(
        `No Docker engine with runc answers (${runc?.reason ?? 'not detected'}): the native image is left out; the native program runs as a process.`,
      );
    }
  } else {
    const twin = discoverPair(wasm.artifact).native;
    notes.push(
      `No Dockerfile.native beside ${path.basename(dockerfile)}${twin ? `: comparing with the native twin beside the module (${path.basename(twin)})` : ' and no native twin beside the module: profiling the module alone'}.`,
    );
    if (twin)
      targets.push(profileTarget(new NativeProcessRuntime(), { artifact: twin, args: wasm.args }));
  }
  return {
    targets,
    notes,
    title: `Wasm vs native: ${path.basename(path.dirname(path.resolve(dockerfile)))}/${path.basename(dockerfile)}`,
  };
}
