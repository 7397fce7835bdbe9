import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../atomic-write';
import { isDockerfileName } from '../dockerfile/entrypoint';
import { specFromSource } from './from-sources';
import { buildOciImage, type BuiltImage } from './image';
import { writeOutput } from './outputs';

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
  return (
    base
      .toLowerCase()
      .replace(/[^a-z0-9._-]/g, '-')
      .replace(/^[^a-z0-9]+/, '') || 'image'
  );
}

/**
 * Builds a Wasm image from a FROM scratch Dockerfile or a bare module, daemonless and
 * reproducibly, into DIR/<name>.oci.tar with a <name>.json description beside it.
 */
export async function buildLocalWasmImage(
  source: string,
  dir: string,
  options: { platform?: string; artifact?: boolean } = {},
): Promise<LocalImage> {
  const t0 = performance.now();
  const spec = specFromSource(source, { platform: options.platform });
  const image = await buildOciImage(spec, { artifact: options.artifact });
  const name = imageNameFor(source);
  const archive = path.join(dir, `${name}.oci.tar`);
  await writeOutput(
    { kind: 'oci-archive', path: archive },
    [image],
    `wasm-containers/${name}:latest`,
  );
  const local: LocalImage = {
    name,
    archive,
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
  writeFileAtomic(path.join(dir, `${name}.json`), JSON.stringify(local, null, 2) + '\n');
  return local;
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
