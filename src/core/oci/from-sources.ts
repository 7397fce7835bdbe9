import { statSync } from 'node:fs';
import path from 'node:path';
import { isDockerfileName } from '../dockerfile/entrypoint';
import { readFinalStage } from '../dockerfile/final-stage';
import { fileStartsWithWasmMagic } from '../wasm/header';
import { parsePlatform, type ImageSpec } from './image';

/**
 * An image spec from a Dockerfile's `FROM scratch` final stage. The platform: --platform given here,
 * else the FROM's --platform, else wasi/wasm when the entrypoint is a module and linux/amd64 otherwise.
 */
export function specFromDockerfile(
  file: string,
  options: { platform?: string; context?: string } = {},
): ImageSpec {
  const stage = readFinalStage(file, options.context ?? path.dirname(file));
  if (stage.files.length === 0)
    throw new Error(`${file}: the final stage copies no file into the image.`);
  // the program as the one Dockerfile model resolves it (WORKDIR-relative), as the runner runs it
  const isModule = stage.program
    ? stage.program.kind === 'wasm'
    : stage.files.some((f) => f.guest.endsWith('.wasm'));
  const platform = parsePlatform(
    options.platform ?? stage.platform ?? (isModule ? 'wasi/wasm' : 'linux/amd64'),
  );
  return {
    files: stage.files.map((f) => ({ guest: f.guest, host: f.host, mode: f.mode })),
    platform,
    entrypoint: stage.entrypoint?.args,
    cmd: stage.cmd?.args,
    env: stage.env,
    workdir: stage.workdir,
    labels: stage.labels,
  };
}

/** An image spec from a bare module: the module at /<name>.wasm as the entrypoint. */
export function specFromModule(module: string, options: { platform?: string } = {}): ImageSpec {
  if (!statSync(module).isFile() || !fileStartsWithWasmMagic(module))
    throw new Error(
      `${module} is not a WebAssembly binary (it does not begin with \\0asm). A Wasm image takes a module compiled for WASI, e.g. clang --target=wasm32-wasi or cargo build --target wasm32-wasip1.`,
    );
  const guest = `/${path.basename(module)}`;
  return {
    files: [{ guest, host: module, mode: 0o644 }],
    platform: parsePlatform(options.platform ?? 'wasi/wasm'),
    entrypoint: [guest],
    env: {},
    labels: {},
  };
}

/** The image of a Dockerfile (by its name) or of a bare module. */
export function specFromSource(source: string, options: { platform?: string } = {}): ImageSpec {
  return isDockerfileName(source)
    ? specFromDockerfile(source, options)
    : specFromModule(source, options);
}
