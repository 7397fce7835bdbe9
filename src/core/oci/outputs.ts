import { mkdirSync, writeFileSync } from 'node:fs';
import { atomically } from '../atomic-write';
import path from 'node:path';
import { hexOf, sha256 } from './digest';
import { documentBytes } from './documents';
import { MediaTypes, type BuiltImage } from './image';
import { writeTar, type TarEntry } from './tar';

export type OutputSpec = { kind: 'oci-layout' | 'oci-archive' | 'docker-archive'; path: string };

export function parseOutput(text: string): OutputSpec {
  const i = text.indexOf(':');
  const kind = text.slice(0, i);
  const where = text.slice(i + 1);
  if (i <= 0 || !where || !['oci-layout', 'oci-archive', 'docker-archive'].includes(kind)) {
    throw new Error(
      `--output expects oci-layout:DIR, oci-archive:FILE or docker-archive:FILE, got '${text}'`,
    );
  }
  return { kind: kind as OutputSpec['kind'], path: where };
}

/** The index of one or more images (a multi-platform image: the Wasm one beside its native twin). */
export function imageIndex(images: BuiltImage[], refName?: string): Buffer {
  return documentBytes({
    schemaVersion: 2,
    mediaType: MediaTypes.index,
    manifests: images.map((img) => ({
      mediaType: MediaTypes.manifest,
      digest: img.manifest.digest,
      size: img.manifest.data.length,
      platform: img.platform,
      ...(img.artifact ? { artifactType: MediaTypes.wasmConfig } : {}),
      ...(refName ? { annotations: { 'org.opencontainers.image.ref.name': refName } } : {}),
    })),
  });
}

/** The files of an OCI image layout (oci-layout, index.json, blobs/sha256/…), as tar entries. */
function layoutEntries(images: BuiltImage[], refName?: string): TarEntry[] {
  const blobs = new Map<string, Buffer>();
  for (const img of images)
    for (const b of [img.manifest, img.config, ...img.layers]) blobs.set(hexOf(b.digest), b.data);
  return [
    {
      path: 'oci-layout',
      type: 'file',
      data: documentBytes({ imageLayoutVersion: '1.0.0' }),
    },
    { path: 'index.json', type: 'file', data: imageIndex(images, refName) },
    { path: 'blobs', type: 'dir' },
    { path: 'blobs/sha256', type: 'dir' },
    ...[...blobs].map(([hex, data]) => ({
      path: `blobs/sha256/${hex}`,
      type: 'file' as const,
      data,
    })),
  ];
}

/** docker save's format: manifest.json, the config as <hex>.json, each layer as <hex>/layer.tar. */
function dockerArchiveEntries(img: BuiltImage, repoTag: string): TarEntry[] {
  if (img.artifact)
    throw new Error(
      'a Wasm OCI artifact has no docker-archive form: write it as oci-layout or oci-archive.',
    );
  const layers = img.layers.map((l) => {
    const tar = img.layerTars.get(l.digest)!;
    return { dir: hexOf(sha256(tar)), tar };
  });
  return [
    {
      path: 'manifest.json',
      type: 'file',
      data: documentBytes([
        {
          Config: `${hexOf(img.config.digest)}.json`,
          RepoTags: [repoTag],
          Layers: layers.map((l) => `${l.dir}/layer.tar`),
        },
      ]),
    },
    { path: `${hexOf(img.config.digest)}.json`, type: 'file', data: img.config.data },
    ...layers.flatMap((l) => [
      { path: l.dir, type: 'dir' as const },
      { path: `${l.dir}/layer.tar`, type: 'file' as const, data: l.tar },
    ]),
  ];
}

export function writeOutput(output: OutputSpec, images: BuiltImage[], refName: string): void {
  if (output.kind === 'docker-archive') {
    const [image] = images;
    if (!image || images.length !== 1)
      throw new Error(
        'a docker-archive holds one image: write several platforms as oci-layout or oci-archive.',
      );
    atomically(output.path, (tmp) =>
      writeFileSync(tmp, writeTar(dockerArchiveEntries(image, refName))),
    );
  } else if (output.kind === 'oci-archive') {
    atomically(output.path, (tmp) => writeFileSync(tmp, writeTar(layoutEntries(images, refName))));
  } else {
    atomically(output.path, (tmp) => {
      for (const e of layoutEntries(images, refName)) {
        const file = path.join(tmp, e.path);
        if (e.type === 'dir') mkdirSync(file, { recursive: true });
        else {
          mkdirSync(path.dirname(file), { recursive: true });
          writeFileSync(file, e.data!);
        }
      }
    });
  }
}
