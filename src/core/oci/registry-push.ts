import { sha256 } from './digest';
import { MediaTypes, type Blob, type BuiltImage } from './image';
import { imageIndex } from './outputs';

/** registry/repository:tag, parsed. */
export interface ImageReference {
  /** http://host:port or https://host:port */
  baseUrl: string;
  registry: string;
  repository: string;
  /** A tag, or a digest (sha256:…) for REPO@DIGEST references. */
  tag: string;
}

/**
 * Parses REGISTRY/REPO[:TAG] or REGISTRY/REPO@DIGEST. Loopback registries are spoken to over plain HTTP (as Docker does
 * for 127.0.0.0/8 and localhost); others over HTTPS unless the reference starts with http://.
 */
export function parseReference(text: string): ImageReference {
  const explicit = /^(https?):\/\//.exec(text);
  const rest = explicit ? text.slice(explicit[0].length) : text;
  const slash = rest.indexOf('/');
  if (slash <= 0)
    throw new Error(
      `--push expects REGISTRY/REPOSITORY[:TAG] (e.g. 127.0.0.1:5000/hello:latest), got '${text}'`,
    );
  const registry = rest.slice(0, slash);
  let repository = rest.slice(slash + 1);
  let tag = 'latest';
  const at = repository.indexOf('@');
  const colon = repository.lastIndexOf(':');
  if (at > 0) {
    tag = repository.slice(at + 1);
    repository = repository.slice(0, at);
    if (!/^sha256:[0-9a-f]{64}$/.test(tag)) throw new Error(`'${tag}' is not a sha256 digest`);
  } else if (colon > repository.lastIndexOf('/')) {
    tag = repository.slice(colon + 1);
    repository = repository.slice(0, colon);
  }
  if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/.test(repository))
    throw new Error(
      `'${repository}' is not a valid repository name (lowercase letters, digits, separators . _ - and /)`,
    );
  if (at < 0 && !/^[\w][\w.-]{0,127}$/.test(tag)) throw new Error(`'${tag}' is not a valid tag`);
  const loopback = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/.test(registry);
  const scheme = explicit?.[1] ?? (loopback ? 'http' : 'https');
  return { baseUrl: `${scheme}://${registry}`, registry, repository, tag };
}

export interface PushResult {
  reference: string;
  /** What the tag points to: the manifest (one image) or the index (several). */
  digest: string;
  mediaType: string;
  /** Blobs uploaded, and blobs the registry already had. */
  uploaded: number;
  skipped: number;
  bytes: number;
}

export interface PushOptions {
  signal?: AbortSignal;
  /** Per request; a registry that stops answering fails the push instead of hanging it. */
  timeoutMs?: number;
  /** Basic credentials (or a token service's) for registries that ask. */
  credentials?: { username: string; password: string };
  onProgress?: (message: string) => void;
}

class RegistryClient {
  private token: string | undefined;

  constructor(
    private readonly ref: ImageReference,
    private readonly options: PushOptions,
  ) {}

  private url(path: string): string {
    return path.startsWith('http') ? path : `${this.ref.baseUrl}${path}`;
  }

  async request(
    method: string,
    path: string,
    init: { body?: Buffer; headers?: Record<string, string>; ok: number[] },
  ): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      const signals = [
        AbortSignal.timeout(this.options.timeoutMs ?? 60_000),
        ...(this.options.signal ? [this.options.signal] : []),
      ];
      let response: Response;
      try {
        response = await fetch(this.url(path), {
          method,
          body: init.body ? new Uint8Array(init.body) : undefined,
          headers: { ...init.headers, ...(this.token ? { Authorization: this.token } : {}) },
          signal: AbortSignal.any(signals),
          redirect: 'follow',
        });
      } catch (e) {
        if (this.options.signal?.aborted) throw e;
        const cause = (e as { cause?: { code?: string; message?: string } }).cause;
        throw new Error(
          `the registry ${this.ref.registry} did not answer ${method} ${path.split('?')[0]}: ${cause?.code ?? cause?.message ?? (e as Error).message}. Is it running, and reachable from here?`,
        );
      }
      if (init.ok.includes(response.status)) return response;
      if (response.status === 401 && attempt === 0 && (await this.authenticate(response))) continue;
      const text = (await response.text().catch(() => '')).slice(0, 400);
      throw new Error(
        `the registry ${this.ref.registry} refused ${method} ${path.split('?')[0]}: HTTP ${response.status}${text ? ` ${text.trim()}` : ''}${response.status === 401 ? ' (set WASM_CONTAINERS_REGISTRY_USER and WASM_CONTAINERS_REGISTRY_PASSWORD)' : ''}`,
      );
    }
  }

  /** Answers a 401 challenge: Basic with the credentials, or a Bearer token from the realm. */
  private async authenticate(response: Response): Promise<boolean> {
    const challenge = response.headers.get('www-authenticate') ?? '';
    const creds = this.options.credentials;
    const basic = creds
      ? `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`
      : undefined;
    if (/^basic/i.test(challenge)) {
      this.token = basic;
      return basic !== undefined;
    }
    const params = Object.fromEntries(
      [...challenge.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (!/^bearer/i.test(challenge) || !params.realm) return false;
    const url = new URL(params.realm);
    if (params.service) url.searchParams.set('service', params.service);
    if (params.scope) url.searchParams.set('scope', params.scope);
    const answer = await fetch(url, {
      headers: basic ? { Authorization: basic } : {},
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 60_000),
    });
    if (!answer.ok) return false;
    const body = (await answer.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    this.token = token ? `Bearer ${token}` : undefined;
    return token !== undefined;
  }
}

/**
 * Pushes the images with the distribution API: every blob (HEAD, then a monolithic upload when
 * absent), each manifest by digest, and the tag on the manifest, or on an index holding the Wasm
 * image beside its native twin. Nothing is tagged until every blob and manifest is in.
 */
export async function pushImages(
  images: BuiltImage[],
  reference: string,
  options: PushOptions = {},
): Promise<PushResult> {
  const ref = parseReference(reference);
  const client = new RegistryClient(ref, options);
  const repo = `/v2/${ref.repository}`;
  const result: PushResult = {
    reference: `${ref.registry}/${ref.repository}:${ref.tag}`,
    digest: '',
    mediaType: '',
    uploaded: 0,
    skipped: 0,
    bytes: 0,
  };
  const blobs = new Map<string, Blob>();
  for (const img of images) for (const b of [img.config, ...img.layers]) blobs.set(b.digest, b);
  await client.request('GET', '/v2/', { ok: [200] });
  for (const blob of blobs.values()) {
    const head = await client.request('HEAD', `${repo}/blobs/${blob.digest}`, { ok: [200, 404] });
    if (head.status === 200) {
      result.skipped++;
      continue;
    }
    options.onProgress?.(`uploading ${blob.digest.slice(0, 19)} (${blob.data.length} bytes)`);
    const start = await client.request('POST', `${repo}/blobs/uploads/`, { ok: [202] });
    const location = start.headers.get('location');
    if (!location)
      throw new Error(`the registry ${ref.registry} started an upload without a Location`);
    const target = new URL(location, ref.baseUrl);
    target.searchParams.set('digest', blob.digest);
    await client.request('PUT', target.toString(), {
      body: blob.data,
      headers: { 'Content-Type': 'application/octet-stream' },
      ok: [201, 204],
    });
    result.uploaded++;
    result.bytes += blob.data.length;
  }
  const putManifest = (where: string, data: Buffer, mediaType: string) =>
    client.request('PUT', `${repo}/manifests/${where}`, {
      body: data,
      headers: { 'Content-Type': mediaType },
      ok: [201, 202],
    });
  const [only] = images;
  if (only && images.length === 1) {
    await putManifest(ref.tag, only.manifest.data, MediaTypes.manifest);
    result.digest = only.manifest.digest;
    result.mediaType = MediaTypes.manifest;
  } else {
    for (const img of images)
      await putManifest(img.manifest.digest, img.manifest.data, MediaTypes.manifest);
    const index = imageIndex(images);
    await putManifest(ref.tag, index, MediaTypes.index);
    result.digest = sha256(index);
    result.mediaType = MediaTypes.index;
  }
  return result;
}

/** Reads a tag back: the digest the registry serves and the document itself. */
export async function fetchManifest(
  reference: string,
  options: PushOptions = {},
): Promise<{ digest: string; mediaType: string; body: Buffer }> {
  const ref = parseReference(reference);
  const response = await new RegistryClient(ref, options).request(
    'GET',
    `/v2/${ref.repository}/manifests/${ref.tag}`,
    {
      headers: {
        Accept: [
          MediaTypes.index,
          MediaTypes.manifest,
          'application/vnd.docker.distribution.manifest.v2+json',
        ].join(', '),
      },
      ok: [200],
    },
  );
  const body = Buffer.from(await response.arrayBuffer());
  return {
    digest: response.headers.get('docker-content-digest') ?? sha256(body),
    mediaType: response.headers.get('content-type') ?? '',
    body,
  };
}

export async function fetchBlob(
  reference: string,
  digest: string,
  options: PushOptions = {},
): Promise<Buffer> {
  const ref = parseReference(reference);
  const response = await new RegistryClient(ref, options).request(
    'GET',
    `/v2/${ref.repository}/blobs/${digest}`,
    { ok: [200] },
  );
  return Buffer.from(await response.arrayBuffer());
}

/** Credentials for `--push` from the environment, when set. */
export function credentialsFromEnv(env = process.env): PushOptions['credentials'] {
  const username = env.WASM_CONTAINERS_REGISTRY_USER;
  const password = env.WASM_CONTAINERS_REGISTRY_PASSWORD;
  return username && password ? { username, password } : undefined;
}
