import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DirMapping } from '../runtimes/types';
import { NATIVE_PROCESS, specTarget, targetId } from './targets';
import { SchemaMismatch, schemaValidator } from '../schema-validate';
import profileSchema from '../../../schemas/profile.schema.json';
import { isEngineRuntimeId } from '../engines/runtime-ids';

/** wasm-containers.profile.json: what to compare, how often, and which scenarios. Paths are relative to the file. */
export interface ProfileSpec {
  name?: string;
  runs: number;
  warmup: number;
  order: 'interleaved' | 'sequential';
  timeoutSeconds: number;
  /** [START, STOP] marker lines (the schema's default: Starting, Stopped). */
  markers: [string, string];
  reference?: string;
  targets: TargetSpec[];
  scenarios: ScenarioSpec;
}

export interface TargetSpec {
  id: string;
  label?: string;
  /** node-wasi, wasmtime, wasmedge, wasmer, iwasm, process, docker-runc, docker-crun, docker-runsc, podman-runc, … */
  runtime: string;
  /** A .wasm module or native executable (process runtimes), or an image reference (container runtimes). */
  artifact: string;
  args?: string[];
  env?: Record<string, string>;
  dirs?: DirMapping[];
  /** Container targets: build the image from this Dockerfile first (classic builder, never pulls). */
  build?: { context: string; dockerfile?: string };
  /** Container targets: the OCI runtime to run under, as a path or the engine's name for it. */
  ociRuntime?: string;
  /** Container targets: OCI annotations (run.oci.handler=wasm, module.wasm.image/variant=compat). */
  annotations?: Record<string, string>;
}

export interface ScenarioSpec {
  /** Repeated cold starts with statistics (default on). */
  coldStart: boolean;
  /** N sequential starts for each N: total and per-start time. */
  startStorm?: { counts: number[] };
  /** N concurrent long-lived instances: time to bring all up, total and per-instance memory. */
  density?: { instances: number[]; args: string[]; readyMarker: string; settleMs: number };
  /** Resident memory sampled at a fixed interval during one run. */
  memoryTimeline?: { intervalMs: number; args?: string[] };
}

/** A spec as written in its file: what is left out takes the schema's default. */
export type ProfileSpecFile = Partial<Omit<ProfileSpec, 'targets' | 'scenarios'>> & {
  targets: TargetSpec[];
  scenarios?: Partial<ScenarioSpec>;
};

export class SpecError extends Error {
  constructor(file: string, where: string, message: string) {
    super(`${file}: ${where}: ${message}`);
    this.name = 'SpecError';
  }
}

/** A spec as the schema checks it (defaults filled in), before directories are parsed. */
type CheckedSpec = Omit<ProfileSpec, 'targets'> & {
  targets: Array<Omit<TargetSpec, 'dirs'> & { dirs?: Array<string | DirMapping> }>;
};

const checkSpec = schemaValidator<CheckedSpec>('profile', profileSchema);

/**
 * Parses a spec and checks it against schemas/profile.schema.json (the file editors validate it
 * with), filling in the schema's defaults; then what a schema cannot say: ids used once, and a
 * reference that names one of them. Every error names the JSON path and what was expected.
 */
export function parseProfileSpec(text: string, file: string): ProfileSpec {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new SpecError(file, '(file)', `not valid JSON: ${(e as Error).message}`);
  }
  let spec: CheckedSpec;
  try {
    spec = checkSpec(data);
  } catch (e) {
    if (e instanceof SchemaMismatch) throw new SpecError(file, e.where, e.expected);
    throw e;
  }
  const ids = new Set<string>();
  spec.targets.forEach((t, i) => {
    if (ids.has(t.id)) throw new SpecError(file, `targets[${i}].id`, `'${t.id}' is used twice`);
    ids.add(t.id);
  });
  if (spec.reference !== undefined && !ids.has(spec.reference))
    throw new SpecError(
      file,
      'reference',
      `no target has the id ${JSON.stringify(spec.reference)}`,
    );
  const { $schema: _schema, ...rest } = spec as CheckedSpec & { $schema?: string };
  return {
    ...rest,
    targets: spec.targets.map((t) => ({ ...t, dirs: t.dirs?.map(dirMapping) })),
  };
}

/**
 * The schema's defaults for everything but the targets: what a spec naming only its targets gets
 * (the CLI's module and Dockerfile profiles start from them).
 */
export function specDefaults(): Omit<ProfileSpec, 'targets'> {
  const { targets: _targets, ...defaults } = parseProfileSpec(
    JSON.stringify({ targets: [{ id: 'defaults', runtime: 'process', artifact: 'none' }] }),
    'schemas/profile.schema.json',
  );
  return defaults;
}

/** "HOST::GUEST" (or just HOST, the same path inside) or { host, guest }. */
function dirMapping(d: string | DirMapping): DirMapping {
  if (typeof d !== 'string') return { host: d.host, guest: d.guest };
  const [host = d, guest] = d.split('::');
  return { host, guest: guest ?? host };
}

export function loadProfileSpec(file: string): ProfileSpec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`Cannot read the profile spec ${file}: ${(e as Error).message}`);
  }
  const spec = parseProfileSpec(text, file);
  // paths in the spec are relative to its folder
  const base = path.dirname(path.resolve(file));
  const resolve = (p: string) => (path.isAbsolute(p) ? p : path.join(base, p));
  for (const t of spec.targets) {
    // image references are not paths; an image archive (containerd imports it) is
    if (!isEngineRuntimeId(t.runtime) || /\.tar$/.test(t.artifact))
      t.artifact = resolve(t.artifact);
    // a runtime given as a relative path is relative to the spec too; a bare name is the engine's
    if (t.ociRuntime?.includes('/')) t.ociRuntime = resolve(t.ociRuntime);
    t.dirs = t.dirs?.map((d) => ({ host: resolve(d.host), guest: d.guest }));
    if (t.build) t.build = { context: resolve(t.build.context), dockerfile: t.build.dockerfile };
  }
  return spec;
}

/**
 * The spec `wasm-containers init` and Create Profile Spec write for a module and its native twin:
 * the module under each of `wasmRuntimes` (the runtimes detected; default Node WASI alone).
 */
export function defaultSpecFor(
  moduleRel: string,
  nativeRel: string | undefined,
  wasmRuntimes: readonly string[] = ['node-wasi'],
): object {
  const targets = wasmRuntimes.map((runtime) => specTarget({ runs: 'wasm', runtime }, moduleRel));
  if (nativeRel) targets.push(specTarget(NATIVE_PROCESS, nativeRel));
  return {
    name: `${path.basename(moduleRel)} against its native twin`,
    runs: 20,
    warmup: 3,
    order: 'interleaved',
    timeoutSeconds: 60,
    ...(nativeRel ? { reference: targetId(NATIVE_PROCESS) } : {}),
    targets,
    scenarios: { coldStart: true, startStorm: { counts: [1, 10, 100] } },
  };
}
