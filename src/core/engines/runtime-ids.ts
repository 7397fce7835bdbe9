/**
 * The runtimes an engine provides are named `<engine>-<OCI runtime or shim>` (docker-runc,
 * podman-crun-wasm, containerd-youki, containerd-io.containerd.wasmtime.v1). Every question about
 * such an id is answered here, so that a new engine is added in one place.
 */
export const ENGINES = ['docker', 'podman', 'containerd'] as const;
export type EngineName = (typeof ENGINES)[number];

const ENGINE_NAMES: Record<EngineName, string> = {
  docker: 'Docker',
  podman: 'Podman',
  containerd: 'containerd',
};
const ENGINE_RUNTIME_ID = new RegExp(`^(${ENGINES.join('|')})-(.+)$`);

/** The engine and the runtime inside it that an id names; undefined for a process runtime. */
export function parseEngineRuntimeId(
  id: string,
): { engine: EngineName; runtime: string; engineName: string } | undefined {
  const m = ENGINE_RUNTIME_ID.exec(id);
  if (!m?.[1] || !m[2]) return undefined;
  const engine = m[1] as EngineName;
  return { engine, runtime: m[2], engineName: ENGINE_NAMES[engine] };
}

/** Whether an id names a runtime of a container engine (its artifact is an image). */
export const isEngineRuntimeId = (id: string): boolean => parseEngineRuntimeId(id) !== undefined;

/** Whether any target needs the engines detected (they are skipped otherwise: it takes time). */
export const needsEngines = (targets: ReadonlyArray<{ runtime: string }>): boolean =>
  targets.some((t) => isEngineRuntimeId(t.runtime));
