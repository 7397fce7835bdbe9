import { readFile, stat } from 'node:fs/promises';
import { MediaTypes } from '../../oci/image';
import { readTar } from '../../oci/tar';
import type { Ctr } from './ctr';

/** What an oci-archive of this tool holds: the name it is imported under, its platform, its form. */
export interface ArchiveImage {
  name: string;
  platform?: { os: string; architecture: string };
  /** The CNCF Wasm artifact form (application/wasm layer, wasm config): nothing to unpack. */
  artifact: boolean;
}

interface IndexJson {
  manifests?: Array<{
    digest: string;
    annotations?: Record<string, string>;
    platform?: { os: string; architecture: string };
  }>;
}

export async function isArchive(artifact: string): Promise<boolean> {
  if (!/\.(tar|oci)$|\.oci\.tar$/.test(artifact)) return false;
  return stat(artifact).then(
    (s) => s.isFile(),
    () => false,
  );
}

const nameOf = (m: { annotations?: Record<string, string> }) =>
  m.annotations?.['io.containerd.image.name'];
/** The platforms a run of each kind takes from a multi-platform archive. */
const PLATFORM_OF: Record<'wasm' | 'native', (os: string) => boolean> = {
  wasm: (os) => os.startsWith('wasi'),
  native: (os) => os === 'linux',
};

/**
 * Reads an oci-archive written by the daemonless builder (or any OCI layout tar with a named
 * image). An archive holding the Wasm image and its native twin (`build --native`) names each
 * platform's manifest too (`…:latest-linux-amd64`): a run of `runs` kind takes its own.
 */
export async function describeArchive(
  file: string,
  runs?: 'wasm' | 'native',
): Promise<ArchiveImage> {
  const entries = new Map(readTar(await readFile(file)).map((e) => [e.path, e.data]));
  const index = JSON.parse(entries.get('index.json')?.toString('utf8') ?? '{}') as IndexJson;
  const own = runs ? PLATFORM_OF[runs] : undefined;
  const top =
    index.manifests?.find((m) => own && m.platform && own(m.platform.os) && nameOf(m)) ??
    index.manifests?.[0];
  if (!top) throw new Error(`${file}: not an OCI archive (no index.json manifest)`);
  const name = nameOf(top);
  if (!name)
    throw new Error(
      `${file}: its index names no image (io.containerd.image.name): build it with this tool or name it when importing`,
    );
  const blob = (digest: string) => entries.get(`blobs/sha256/${digest.slice('sha256:'.length)}`);
  const manifest = JSON.parse(blob(top.digest)?.toString('utf8') ?? '{}') as {
    config?: { mediaType?: string };
  };
  return {
    name,
    platform: top.platform,
    artifact: manifest.config?.mediaType === MediaTypes.wasmConfig,
  };
}

/**
 * Imports a daemonless image into containerd's store (the tool's namespace) and returns its name:
 * Docker's wasi/wasm form is unpacked like any image (for its platform); the artifact form's
 * application/wasm layer is not a filesystem, so it is stored unpacked-less, for the runwasi shim
 * to read from the content store.
 */
export async function importArchive(
  ctr: Ctr,
  file: string,
  runs: 'wasm' | 'native',
  signal?: AbortSignal,
): Promise<ArchiveImage> {
  const image = await describeArchive(file, runs);
  const platform = image.platform
    ? `${image.platform.os}/${image.platform.architecture}`
    : undefined;
  const args = [
    ...(image.artifact
      ? ['--no-unpack', '--all-platforms']
      : platform
        ? ['--platform', platform]
        : []),
    file,
  ];
  // containerd 2's ctr imports through the transfer service, which unpacks only the daemon's own
  // platforms (no wasi/wasm): --local imports client-side, as ctr 1.x always did (it lacks the flag)
  const local = await ctr.run(['images', 'import', '--local', ...args], {
    signal,
    timeoutMs: 300_000,
  });
  if (local.exitCode === 0) return image;
  if (!/flag provided but not defined: -local/.test(local.stderr))
    throw new Error(`ctr images import ${args.join(' ')} failed: ${local.stderr.trim()}`);
  await ctr.ok(['images', 'import', ...args], { signal, timeoutMs: 300_000 });
  return image;
}

const entrypoints = new Map<string, string[]>();

/**
 * The image's entrypoint, from its config in containerd's content store: `ctr run` replaces the whole
 * command line with its arguments, Docker only the CMD; the entrypoint is put back in front so that
 * a target's `args` mean the same under every engine.
 */
export async function imageEntrypoint(ctr: Ctr, ref: string): Promise<string[]> {
  const known = entrypoints.get(ref);
  if (known) return known;
  const list = await ctr.ok(['images', 'list', `name==${ref}`]);
  const digest = /\s(sha256:[0-9a-f]{64})\s/.exec(list.split('\n')[1] ?? '')?.[1];
  if (!digest) throw new Error(`containerd has no image ${ref} (import it first)`);
  let doc = JSON.parse(await ctr.ok(['content', 'get', digest])) as {
    manifests?: Array<{ digest: string; platform?: { architecture?: string } }>;
    config?: { digest: string };
  };
  if (doc.manifests?.length)
    doc = JSON.parse(await ctr.ok(['content', 'get', doc.manifests[0].digest])) as typeof doc;
  if (!doc.config) return [];
  const config = JSON.parse(await ctr.ok(['content', 'get', doc.config.digest])) as {
    config?: { Entrypoint?: string[] | null };
  };
  const entrypoint = config.config?.Entrypoint ?? [];
  entrypoints.set(ref, entrypoint);
  return entrypoint;
}
