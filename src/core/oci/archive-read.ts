import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { sha256 } from './digest';
import {
  readDocument,
  type Descriptor,
  type ImageConfig,
  type ImageIndex,
  type ImageManifest,
} from './documents';
import { MediaTypes, type Blob, type BuiltImage } from './image';
import { readTar } from './tar';

/** An image read back from an oci-archive: what a push sends and what a run needs. */
export interface ArchivedImage extends BuiltImage {
  entrypoint: string[];
  cmd: string[];
  /** The files of the image's filesystem (guest path without the leading /), or the artifact's module. */
  files: Map<string, Buffer>;
}

/**
 * Reads the images of an oci-archive (as writeOutput writes it: oci-layout, index.json, blobs),
 * following nested indexes. Every blob is checked against its digest.
 */
export function readOciArchive(file: string): ArchivedImage[] {
  const entries = new Map(
    readTar(readFileSync(file))
      .filter((e) => e.type === 'file')
      .map((e) => [e.path.replace(/^\.\//, ''), e.data]),
  );
  const blob = (d: Descriptor): Blob => {
    const data = entries.get(`blobs/sha256/${d.digest.slice('sha256:'.length)}`);
    if (!data) throw new Error(`${file}: blob ${d.digest} is missing`);
    if (sha256(data) !== d.digest)
      throw new Error(`${file}: blob ${d.digest} does not match its digest`);
    return { digest: d.digest, mediaType: d.mediaType, data };
  };
  const index = entries.get('index.json');
  if (!index) throw new Error(`${file} is not an OCI image layout archive (no index.json)`);
  const manifests = (descriptors: Descriptor[]): Descriptor[] =>
    descriptors.flatMap((d) =>
      d.mediaType === MediaTypes.index
        ? manifests(readDocument<ImageIndex>(blob(d).data).manifests)
        : [d],
    );
  return manifests(readDocument<ImageIndex>(index).manifests).map((d) => imageOf(blob(d), blob));
}

function imageOf(manifestBlob: Blob, blob: (d: Descriptor) => Blob): ArchivedImage {
  const manifest = readDocument<ImageManifest>(manifestBlob.data);
  const config = blob(manifest.config);
  const layers = manifest.layers.map(blob);
  const artifact = manifest.config.mediaType === MediaTypes.wasmConfig;
  const files = new Map<string, Buffer>();
  const layerTars = new Map<string, readonly Buffer[]>();
  const diffIds: string[] = [];
  for (const [i, layer] of layers.entries()) {
    if (layer.mediaType === MediaTypes.wasmLayer) {
      files.set(
        manifest.layers[i]?.annotations?.['org.opencontainers.image.title'] ?? `module-${i}.wasm`,
        layer.data,
      );
      continue;
    }
    const tar = layer.mediaType.endsWith('+gzip') ? gunzipSync(layer.data) : layer.data;
    layerTars.set(layer.digest, [tar]);
    diffIds.push(sha256(tar));
    for (const e of readTar(tar))
      if (e.type === 'file') files.set(e.path.replace(/^\.?\/+/, ''), e.data);
  }
  const cfg = JSON.parse(config.data.toString('utf8')) as Partial<ImageConfig> & {
    os: string;
    architecture: string;
  };
  const modules = [...files].filter(([f]) => f.endsWith('.wasm'));
  return {
    platform: { os: cfg.os, architecture: cfg.architecture },
    artifact,
    manifest: manifestBlob,
    config,
    layers,
    layerTars,
    diffIds,
    sizes: {
      compressed:
        manifestBlob.data.length +
        config.data.length +
        layers.reduce((n, l) => n + l.data.length, 0),
      uncompressed: [...layerTars.values()].flat().reduce((n, t) => n + t.length, 0),
      modules: modules.reduce((n, [, d]) => n + d.length, 0),
    },
    entrypoint: cfg.config?.Entrypoint ?? [],
    cmd: cfg.config?.Cmd ?? [],
    files,
  };
}

/**
 * The module the image runs: its entrypoint's file when that is a .wasm in the image, else its
 * only module. Undefined (with the reason) when the image names none or holds several.
 */
export function moduleOfImage(
  image: ArchivedImage,
): { path: string; data: Buffer; args: string[] } | { reason: string } {
  const [program, ...rest] = [...image.entrypoint, ...image.cmd];
  if (program) {
    const data = image.files.get(program.replace(/^\.?\/+/, ''));
    if (data && program.endsWith('.wasm')) return { path: program, data, args: rest };
  }
  const modules = [...image.files].filter(([f]) => f.endsWith('.wasm'));
  const [only] = modules;
  if (only && modules.length === 1) return { path: `/${only[0]}`, data: only[1], args: [] };
  return {
    reason:
      modules.length === 0
        ? 'the image holds no .wasm module'
        : `the image holds ${modules.length} modules and its entrypoint names none of them`,
  };
}
