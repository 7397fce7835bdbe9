import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../atomic-write';
import { isDockerfileName } from '../dockerfile/entrypoint';
import { CancelledError } from '../process/errors';
import { specFromSource } from './from-sources';
import { buildOciImage, parsePlatform, type BuiltImage } from './image';
import { inImageWorker } from './in-worker';
import { writeOutput } from './outputs';
import { repositorySlug } from '../image-tags';

/** A Wasm image built without a daemon and kept in the workspace (.wasm-containers/images/). */
export interface LocalImage {
  name: string;
  /** The oci-archive holding it. */
  archive: string;
  source: string;
  platform: string;
  artifact: boolean;
  manifestDigest: string;
  sizes: BuiltImage['sizes'];
  layers: Array<{ digest: string; mediaType: string; size: number }>;
  builtAt: string;
  buildMs: number;
}

export const localImagesDir = (workspace: string) =>
  path.join(workspace, '.wasm-containers', 'images');

/** The image name for a source: the folder's name (hello/Dockerfile, hello/hello.wasm → hello). */
export function imageNameFor(source: string): string {
  const base = isDockerfileName(source)
    ? path.basename(path.dirname(path.resolve(source)))
    : path.basename(source, '.wasm');
  return repositorySlug(base);
}

/**
 * Builds a Wasm image from a FROM scratch Dockerfile or a bare module, daemonless and
 * reproducibly, into DIR/<name>.oci.tar with a <name>.json description beside it. With `worker`
 * the heavy part runs in a worker thread (see inImageWorker): what an editor uses. The archive
 * is written into a staging folder and moved into place only when complete: a failure or a
 * cancel (`signal`) leaves the previous image, if any, and nothing else.
 */
export async function buildLocalWasmImage(
  source: string,
  dir: string,
  options: { platform?: string; artifact?: boolean; worker?: boolean; signal?: AbortSignal } = {},
): Promise<LocalImage> {
  const t0 = performance.now();
  const staging = path.join(dir, `.staging-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(staging, { recursive: true });
  try {
    const { platform, artifact, signal } = options;
    const staged = options.worker
      ? await inImageWorker({ op: 'stage-local', source, dir, staging, platform, artifact }, signal)
      : await stageLocalWasmImage(source, dir, staging, { platform, artifact });
    if (signal?.aborted) throw new CancelledError('building the image');
    const local: LocalImage = { ...staged, buildMs: performance.now() - t0 };
    // the archive first: the description that lists an image never names a missing archive
    await rename(path.join(staging, path.basename(local.archive)), local.archive);
    writeFileAtomic(path.join(dir, `${local.name}.json`), JSON.stringify(local, null, 2) + '\n');
    return local;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * The heavy part of buildLocalWasmImage, in the calling thread (the image worker's, or the
 * CLI's): builds the image and writes its archive into `staging`; describes it as it will be
 * once moved into `dir`.
 */
export async function stageLocalWasmImage(
  source: string,
  dir: string,
  staging: string,
  options: { platform?: string; artifact?: boolean } = {},
): Promise<LocalImage> {
  const t0 = performance.now();
  const spec = specFromSource(source, { platform: options.platform });
  const image = await buildOciImage(spec, { artifact: options.artifact });
  const name = imageNameFor(source);
  const archive = `${name}.oci.tar`;
  await writeOutput(
    { kind: 'oci-archive', path: path.join(staging, archive) },
    [image],
    `wasm-containers/${name}:latest`,
  );
  return {
    name,
    archive: path.join(dir, archive),
    source: path.resolve(source),
    platform: `${image.platform.os}/${image.platform.architecture}`,
    artifact: image.artifact,
    manifestDigest: image.manifest.digest,
    sizes: image.sizes,
    layers: image.layers.map((l) => ({
      digest: l.digest,
      mediaType: l.mediaType,
      size: l.data.length,
    })),
    builtAt: new Date().toISOString(),
    buildMs: performance.now() - t0,
  };
}

export interface ScratchImageSize {
  compressed: number;
  uncompressed: number;
}

/**
 * The size of the FROM scratch image that would ship this file (Wasm: wasi/wasm; native:
 * linux/amd64); undefined when the file cannot be read. With `worker`, built in a worker thread.
 */
export async function scratchImageSize(
  file: string,
  runs: 'wasm' | 'native',
  options: { worker?: boolean; signal?: AbortSignal } = {},
): Promise<ScratchImageSize | undefined> {
  if (options.worker) return inImageWorker({ op: 'scratch-size', file, runs }, options.signal);
  try {
    const guest = `/${path.basename(file)}`;
    const img = await buildOciImage({
      files: [{ guest, host: file, mode: runs === 'wasm' ? 0o644 : 0o755 }],
      platform: parsePlatform(runs === 'wasm' ? 'wasi/wasm' : 'linux/amd64'),
      entrypoint: [guest],
      env: {},
      labels: {},
    });
    return { compressed: img.sizes.compressed, uncompressed: img.sizes.uncompressed };
  } catch {
    return undefined; // unreadable: the size column says so through the missing figure
  }
}

/** The daemonless images kept in DIR, newest first; unreadable descriptions are skipped. */
export function listLocalImages(dir: string): LocalImage[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  const images: LocalImage[] = [];
  for (const f of files) {
    try {
      const image = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as LocalImage;
      if (typeof image.manifestDigest === 'string' && typeof image.archive === 'string')
        images.push(image);
    } catch {
      // a half-written or foreign file
    }
  }
  return images.sort((a, b) => b.builtAt.localeCompare(a.builtAt));
}
