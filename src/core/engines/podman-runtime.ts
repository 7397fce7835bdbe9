import type Docker from 'dockerode';
import { runProcess } from '../process/run-process';
import { isExecutableFile } from '../runtimes/find-executable';

/**
 * The OCI runtime an engine's service really runs containers with: the binary it names, and the
 * features that binary reports (`<runtime> --version`: +SECCOMP, +WASM:wamr, …). Never a guess from
 * this process's PATH: the service may run another binary than the first `crun` found here.
 */
export interface ServiceRuntime {
  name: string;
  path?: string;
  /** The first line of `<runtime> --version` (crun version 1.8.1). */
  version?: string;
  /** +FEATURE tokens of `<runtime> --version`, without the plus. */
  features: string[];
  /** Wasm handlers compiled in (+WASM:wamr → wamr). */
  wasmHandlers: string[];
}

export function parseCrunWasmHandlers(versionOutput: string): string[] {
  return [...versionOutput.matchAll(/\+WASM:([A-Za-z0-9_-]+)/g)].map((m) => m[1].toLowerCase());
}

const featuresOf = (versionOutput: string): string[] =>
  [...versionOutput.matchAll(/(?:^|\s)\+([A-Za-z0-9_:-]+)/g)].map((m) => m[1]);

/** A runtime's facts from its `--version` text. */
export function serviceRuntimeFrom(name: string, path: string | undefined, versionOutput: string) {
  return {
    name,
    path,
    version: versionOutput.split('\n')[0]?.trim() || undefined,
    features: featuresOf(versionOutput),
    wasmHandlers: parseCrunWasmHandlers(versionOutput),
  } satisfies ServiceRuntime;
}

/** `<path> --version`, where `path` is a binary on this machine; '' when it cannot say. */
export async function runtimeVersionText(path: string | undefined): Promise<string> {
  if (!path || !path.startsWith('/') || !isExecutableFile(path)) return '';
  try {
    const r = await runProcess(path, ['--version'], { timeoutMs: 5000 });
    return `${r.stdout}\n${r.stderr}`;
  } catch {
    return ''; // an unusable binary reports nothing
  }
}

/** GET on the engine's socket, outside the Docker-compatible API (Podman's libpod endpoints). */
export function engineGet(docker: Docker, path: string): Promise<unknown> {
  return new Promise((resolve, reject) =>
    docker.modem.dial(
      { path, method: 'GET', statusCodes: { 200: true }, options: {} },
      (err: Error | null, data: unknown) => (err ? reject(err) : resolve(data)),
    ),
  );
}

interface LibpodInfo {
  host?: { ociRuntime?: { name?: string; path?: string; version?: string } };
}

/**
 * The runtime the Podman service runs (libpod's /info → host.ociRuntime: name, path, and the
 * binary's own --version text). `local`: the service runs on this machine, so when its answer
 * lacks the feature line the binary it names is asked directly.
 */
export async function podmanServiceRuntime(
  docker: Docker,
  local: boolean,
): Promise<ServiceRuntime | undefined> {
  const info = (await engineGet(docker, '/v4.0.0/libpod/info')) as LibpodInfo;
  const oci = info.host?.ociRuntime;
  if (!oci?.name) return undefined;
  let text = oci.version ?? '';
  if (!/(^|\s)\+/.test(text) && local) text = (await runtimeVersionText(oci.path)) || text;
  return serviceRuntimeFrom(oci.name, oci.path, text);
}
