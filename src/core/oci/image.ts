import { closeSync, openSync, readSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sha256 } from './digest';
import { decodeWasm } from '../wasm/decode';
import { readWasmHeader } from '../wasm/header';
import { documentBytes as json, type ImageConfig } from './documents';
import { gzipParts, sha256Async } from './gzip';
import { tarSegments, type TarEntry } from './tar';

export const MediaTypes = {
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  index: 'application/vnd.oci.image.index.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  /** CNCF TAG-Runtime Wasm OCI artifact */
  wasmConfig: 'application/vnd.wasm.config.v0+json',
  wasmLayer: 'application/wasm',
} as const;

export interface Platform {
  os: string;
  architecture: string;
}

/** Docker's convention wasi/wasm (the default), the spec-aligned wasip1/wasip2, and linux for native twins. */
export function parsePlatform(text: string): Platform {
  const [os, architecture, extra] = text.split('/');
  if (architecture === 'wasm32')
    throw new Error(
      `platform ${text}: the architecture of Wasm images is 'wasm', not 'wasm32' (use ${os}/wasm).`,
    );
  if (!os || !architecture || (extra !== undefined && os !== 'linux'))
    throw new Error(
      `platform ${text}: expected OS/ARCH such as wasi/wasm, wasip1/wasm, wasip2/wasm or linux/amd64.`,
    );
  return { os, architecture };
}

export const isWasmPlatform = (p: Platform) => p.architecture === 'wasm';

export interface ImageFile {
  /** Absolute path inside the image. */
  guest: string;
  host: string;
  mode: number;
}

export interface ImageSpec {
  files: ImageFile[];
  platform: Platform;
  entrypoint?: string[];
  cmd?: string[];
  env: Record<string, string>;
  workdir?: string;
  labels: Record<string, string>;
}

export interface Blob {
  digest: string;
  mediaType: string;
  data: Buffer;
}

export interface BuiltImage {
  platform: Platform;
  artifact: boolean;
  manifest: Blob;
  config: Blob;
  layers: Blob[];
  /**
   * Uncompressed layer tars, by layer digest (the docker-archive format wants them), as the
   * pieces they are made of (headers, the files' own buffers, padding): never joined in memory.
   */
  layerTars: Map<string, readonly Buffer[]>;
  /** Layer diff ids (digests of the uncompressed tars). */
  diffIds: string[];
  sizes: {
    /** What a registry stores and a pull transfers: manifest + config + compressed layers. */
    compressed: number;
    /** The filesystem the image unpacks to: the layer tars. */
    uncompressed: number;
    /** The .wasm modules the image holds. */
    modules: number;
  };
}

const EPOCH = '1970-01-01T00:00:00Z';

/** The files' contents, read asynchronously (each host file once). */
async function readAll(files: ImageFile[]): Promise<Map<string, Buffer>> {
  const hosts = [...new Set(files.map((f) => f.host))];
  return new Map(await Promise.all(hosts.map(async (h) => [h, await readFile(h)] as const)));
}

function layerEntries(files: ImageFile[], contents: Map<string, Buffer>): TarEntry[] {
  const entries = new Map<string, TarEntry>();
  for (const f of files) {
    const rel = f.guest.replace(/^\/+/, '');
    // parent directories first, so that extractors create them with known modes
    const parts = rel.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (!entries.has(dir)) entries.set(dir, { path: dir, type: 'dir', mode: 0o755 });
    }
    entries.set(rel, { path: rel, type: 'file', data: contents.get(f.host), mode: f.mode });
  }
  return [...entries.values()];
}

/** The module the image runs: the entrypoint's file when it is a module, else its only module. */
function programModule(spec: ImageSpec): ImageFile | undefined {
  const argv = [...(spec.entrypoint ?? []), ...(spec.cmd ?? [])];
  if (argv[0]) {
    const guest = path.posix.resolve(spec.workdir ?? '/', argv[0]);
    const file = spec.files.find((f) => f.guest === guest);
    if (file) return isWasmFile(file.host) ? file : undefined;
  }
  const modules = spec.files.filter((f) => isWasmFile(f.host));
  return modules.length === 1 ? modules[0] : undefined;
}

/** A file's first 8 bytes (the preamble): never the whole file, which may be a 14 MB module. */
function preamble(file: string): Buffer {
  const head = Buffer.alloc(8);
  const fd = openSync(file, 'r');
  try {
    return head.subarray(0, readSync(fd, head, 0, 8, 0));
  } finally {
    closeSync(fd);
  }
}

function isWasmFile(file: string): boolean {
  try {
    readWasmHeader(preamble(file));
    return true;
  } catch {
    return false;
  }
}

const kindOf = (file: string) => readWasmHeader(preamble(file)).kind;

/**
 * Refuses a platform that contradicts what the image runs: a Wasm platform for a native program,
 * linux/… for a module, wasip2 for a core module (WASI 0.2 is components) or wasip1 for a component.
 */
export function checkPlatform(spec: ImageSpec): void {
  const program = programModule(spec);
  const { os, architecture } = spec.platform;
  const p = `${os}/${architecture}`;
  if (!program) {
    if (isWasmPlatform(spec.platform) && !spec.files.some((f) => isWasmFile(f.host)))
      throw new Error(
        `platform ${p}: the image runs no WebAssembly module (its entrypoint is a native program); use linux/amd64 or the like.`,
      );
    return;
  }
  const name = path.posix.basename(program.guest);
  if (!isWasmPlatform(spec.platform))
    throw new Error(
      `platform ${p}: the image runs ${name}, a WebAssembly module; use wasi/wasm, wasip1/wasm or wasip2/wasm.`,
    );
  const kind = kindOf(program.host);
  if (os === 'wasip2' && kind === 'core-module')
    throw new Error(
      `platform ${p}: ${name} is a core module (WASI preview1); wasip2 is for components. Use wasip1/wasm or wasi/wasm.`,
    );
  if (os === 'wasip1' && kind === 'component')
    throw new Error(
      `platform ${p}: ${name} is a component (WASI 0.2 and later); use wasip2/wasm or wasi/wasm.`,
    );
}

/** The CNCF artifact config's `component` field: what a component imports and exports. */
function componentField(wasm: Buffer): { imports: string[]; exports: string[] } | undefined {
  if (readWasmHeader(wasm.subarray(0, 8)).kind !== 'component') return undefined;
  const info = decodeWasm(wasm);
  if (info.kind !== 'component') return undefined;
  return { imports: info.imports.map((i) => i.name), exports: info.exports.map((e) => e.name) };
}

/** A layer's uncompressed tar (its pieces): the files at their guest paths, with their folders. */
export function layerTar(files: ImageFile[], contents: Map<string, Buffer>): Buffer[] {
  return tarSegments(layerEntries(files, contents));
}

/**
 * Builds an image in memory, reproducibly: the same files and settings always give the same
 * manifest digest (fixed timestamps, sorted entries, fixed owners and modes, gzip without mtime).
 * `artifact`: the CNCF Wasm OCI artifact form — one module as an application/wasm layer.
 * `compressionLevel`: gzip 1 (fastest) … 9 (smallest); 6 by default. Reading, compressing and
 * hashing the layer run off the calling thread (see gzipReproducible), so an editor stays
 * responsive while a large module is built.
 */
export async function buildOciImage(
  spec: ImageSpec,
  options: { artifact?: boolean; compressionLevel?: number } = {},
): Promise<BuiltImage> {
  const contents = await readAll(spec.files);

  const modules = spec.files.filter((f) => f.guest.endsWith('.wasm'));
  const moduleBytes = modules.reduce((n, f) => n + contents.get(f.host)!.length, 0);
  checkPlatform(spec);
  if (options.artifact) {
    if (!isWasmPlatform(spec.platform))
      throw new Error(
        `the Wasm OCI artifact form needs a Wasm platform, not ${spec.platform.os}/${spec.platform.architecture}.`,
      );
    const [module] = modules;
    if (!module || modules.length !== 1 || spec.files.length !== 1)
      throw new Error(
        `the Wasm OCI artifact form holds exactly one module; this image has ${spec.files.length} file(s): ${spec.files.map((f) => f.guest).join(', ')}.`,
      );
    const wasm = contents.get(module.host)!;
    const layer: Blob = {
      digest: await sha256Async(wasm),
      mediaType: MediaTypes.wasmLayer,
      data: wasm,
    };
    // the artifact's os says which WASI the binary targets: wasip2 for components, wasip1 for modules
    const component = componentField(wasm);
    const os = component ? 'wasip2' : 'wasip1';
    const config: Blob = {
      mediaType: MediaTypes.wasmConfig,
      data: json({
        created: EPOCH,
        architecture: 'wasm',
        os,
        layerDigests: [layer.digest],
        ...(component ? { component } : {}),
      }),
      digest: '',
    };
    config.digest = sha256(config.data);
    const manifestData = json({
      schemaVersion: 2,
      mediaType: MediaTypes.manifest,
      artifactType: MediaTypes.wasmConfig,
      config: { mediaType: config.mediaType, digest: config.digest, size: config.data.length },
      layers: [
        {
          mediaType: layer.mediaType,
          digest: layer.digest,
          size: layer.data.length,
          annotations: { 'org.opencontainers.image.title': path.posix.basename(module.guest) },
        },
      ],
    });
    const manifest: Blob = {
      mediaType: MediaTypes.manifest,
      data: manifestData,
      digest: sha256(manifestData),
    };
    return {
      platform: { os, architecture: 'wasm' },
      artifact: true,
      manifest,
      config,
      layers: [layer],
      layerTars: new Map(),
      diffIds: [layer.digest],
      sizes: {
        compressed: manifest.data.length + config.data.length + wasm.length,
        uncompressed: wasm.length,
        modules: wasm.length,
      },
    };
  }
  const tar = layerTar(spec.files, contents);

  // level 6: Docker's (Go's) default, so that "compressed size" is what a push would store;
  // the diff id and the digest are hashed while the blocks compress
  const { gz, inputDigest, digest } = await gzipParts(tar, options.compressionLevel ?? 6, {
    digests: true,
  });
  const diffId = inputDigest!;
  const layer: Blob = { digest: digest!, mediaType: MediaTypes.layerGzip, data: gz };
  const imageConfig: ImageConfig['config'] = {};
  if (spec.entrypoint) imageConfig.Entrypoint = spec.entrypoint;
  if (spec.cmd) imageConfig.Cmd = spec.cmd;
  if (Object.keys(spec.env).length)
    imageConfig.Env = Object.entries(spec.env).map(([k, v]) => `${k}=${v}`);
  if (spec.workdir) imageConfig.WorkingDir = spec.workdir;
  if (Object.keys(spec.labels).length)
    imageConfig.Labels = Object.fromEntries(Object.entries(spec.labels).sort());
  const configData = json({
    created: EPOCH,
    architecture: spec.platform.architecture,
    os: spec.platform.os,
    config: imageConfig,
    rootfs: { type: 'layers', diff_ids: [diffId] },
    history: [{ created: EPOCH, created_by: 'wasm-containers build (daemonless)' }],
  });
  const config: Blob = {
    mediaType: MediaTypes.config,
    data: configData,
    digest: sha256(configData),
  };
  const manifestData = json({
    schemaVersion: 2,
    mediaType: MediaTypes.manifest,
    config: { mediaType: config.mediaType, digest: config.digest, size: config.data.length },
    layers: [{ mediaType: layer.mediaType, digest: layer.digest, size: layer.data.length }],
    // crun picks its Wasm handler from this annotation (compat: the entrypoint is a module)
    ...(isWasmPlatform(spec.platform)
      ? { annotations: { 'module.wasm.image/variant': 'compat' } }
      : {}),
  });
  const manifest: Blob = {
    mediaType: MediaTypes.manifest,
    data: manifestData,
    digest: sha256(manifestData),
  };
  return {
    platform: spec.platform,
    artifact: false,
    manifest,
    config,
    layers: [layer],
    layerTars: new Map([[layer.digest, tar]]),
    diffIds: [diffId],
    sizes: {
      compressed: manifest.data.length + config.data.length + gz.length,
      uncompressed: tar.reduce((n, t) => n + t.length, 0),
      modules: moduleBytes,
    },
  };
}
