import { mkdir, open } from 'node:fs/promises';
import { atomicallyAsync } from '../atomic-write';
import path from 'node:path';
import { hexOf, sha256 } from './digest';
import { documentBytes } from './documents';
import { MediaTypes, type BuiltImage } from './image';
import { tarSegments, type TarEntry } from './tar';

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

/**
 * The index of several images (the Wasm one beside its native twin), as pushed to a registry and
 * kept as a blob of an OCI layout: each manifest with its platform, none with a ref name.
 */
export function imageIndex(images: BuiltImage[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaTypes.index,
      manifests: images.map((img) => ({
        mediaType: MediaTypes.manifest,
        digest: img.manifest.digest,
        size: img.manifest.data.length,
        platform: img.platform,
        ...(img.artifact ? { artifactType: MediaTypes.wasmConfig } : {}),
      })),
    }),
  );
}

/**
 * How the layout names its one image: the tag as `org.opencontainers.image.ref.name` (what skopeo's
 * `oci:DIR:TAG`, umoci's `--image DIR:TAG` and Docker's own OCI exports use) and the full name as
 * `io.containerd.image.name` (what `ctr images import` tags the image with).
 */
export function refAnnotations(name: string): Record<string, string> {
  const at = name.lastIndexOf(':');
  const slash = name.lastIndexOf('/');
  const tag = at > slash ? name.slice(at + 1) : 'latest';
  const repository = at > slash ? name.slice(0, at) : name;
  const first = repository.split('/')[0] ?? '';
  const host =
    repository.includes('/') &&
    (first.includes('.') || first.includes(':') || first === 'localhost');
  const full = `${host ? '' : repository.includes('/') ? 'docker.io/' : 'docker.io/library/'}${repository}:${tag}`;
  return { 'io.containerd.image.name': full, 'org.opencontainers.image.ref.name': tag };
}

const manifestEntry = (img: BuiltImage, annotations: Record<string, string>) => ({
  mediaType: MediaTypes.manifest,
  digest: img.manifest.digest,
  size: img.manifest.data.length,
  platform: img.platform,
  ...(img.artifact ? { artifactType: MediaTypes.wasmConfig } : {}),
  annotations,
});

/**
 * The top-level index.json of a layout: the image under its name — its manifest, or for several
 * images the nested index that holds them with their platforms (so that skopeo and containerd
 * pick by platform, and `copy --all` keeps them all). Each platform's manifest is also named
 * TAG-OS-ARCH (1-wasi-wasm, 1-linux-amd64) for tools that cannot choose a platform from an index
 * (umoci 0.4 calls a nested index's tag "ambiguous").
 */
function layoutIndex(images: BuiltImage[], refName: string): { index: Buffer; nested?: Buffer } {
  const [only] = images;
  if (only && images.length === 1)
    return { index: indexOf([manifestEntry(only, refAnnotations(refName))]) };
  const nested = imageIndex(images);
  const entries: object[] = [
    {
      mediaType: MediaTypes.index,
      digest: sha256(nested),
      size: nested.length,
      annotations: refAnnotations(refName),
    },
  ];
  for (const img of images)
    entries.push(manifestEntry(img, refAnnotations(platformRef(refName, img.platform))));
  return { nested, index: indexOf(entries) };
}

/** NAME:TAG → NAME:TAG-OS-ARCH, the name of one platform's image in a layout. */
export function platformRef(refName: string, p: { os: string; architecture: string }): string {
  const { 'org.opencontainers.image.ref.name': tag } = refAnnotations(refName);
  const at = refName.lastIndexOf(':');
  const repository = at > refName.lastIndexOf('/') ? refName.slice(0, at) : refName;
  return `${repository}:${tag}-${p.os}-${p.architecture}`;
}

const indexOf = (manifests: object[]) =>
  Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaTypes.index, manifests }));

/** The files of an OCI image layout (oci-layout, index.json, blobs/sha256/…), as tar entries. */
function layoutEntries(images: BuiltImage[], refName: string): TarEntry[] {
  const blobs = new Map<string, Buffer>();
  for (const img of images)
    for (const b of [img.manifest, img.config, ...img.layers]) blobs.set(hexOf(b.digest), b.data);
  const { index, nested } = layoutIndex(images, refName);
  if (nested) blobs.set(hexOf(sha256(nested)), nested);
  return [
    {
      path: 'oci-layout',
      type: 'file',
      data: Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' })),
    },
    { path: 'index.json', type: 'file', data: index },
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
  // each layer's folder is named by its diff id: the digest of the uncompressed tar
  const layers = img.layers.map((l, i) => {
    const tar = img.layerTars.get(l.digest)!;
    const diffId = img.diffIds[i];
    if (!diffId) throw new Error(`layer ${l.digest} has no diff id`);
    return { dir: hexOf(diffId), tar };
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

/** Writes the images in the output's form, atomically, every file-system step asynchronous. */
export async function writeOutput(
  output: OutputSpec,
  images: BuiltImage[],
  refName: string,
): Promise<void> {
  if (output.kind === 'docker-archive') {
    const [image] = images;
    if (!image || images.length !== 1)
      throw new Error(
        'a docker-archive holds one image: write several platforms as oci-layout or oci-archive.',
      );
    const tar = tarSegments(dockerArchiveEntries(image, refName));
    await atomicallyAsync(output.path, (tmp) => writeParts(tmp, tar));
  } else if (output.kind === 'oci-archive') {
    const tar = tarSegments(layoutEntries(images, refName));
    await atomicallyAsync(output.path, (tmp) => writeParts(tmp, tar));
  } else {
    await atomicallyAsync(output.path, async (tmp) => {
      for (const e of layoutEntries(images, refName)) {
        const file = path.join(tmp, e.path);
        if (e.type === 'dir') await mkdir(file, { recursive: true });
        else {
          await mkdir(path.dirname(file), { recursive: true });
          await writeParts(file, Buffer.isBuffer(e.data) ? [e.data] : (e.data ?? []));
        }
      }
    });
  }
}

/** Writes the pieces of a file in order, gathered (writev), without joining them in memory. */
async function writeParts(file: string, parts: readonly Buffer[]): Promise<void> {
  const handle = await open(file, 'w');
  try {
    // libuv writes everything it is given (partial writes and IOV_MAX included); groups keep
    // each call's iovec array small
    for (let i = 0; i < parts.length; i += 256) await handle.writev(parts.slice(i, i + 256));
  } finally {
    await handle.close();
  }
}
