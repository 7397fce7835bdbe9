import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DirMapping } from '../runtimes/types';
import { NATIVE_PROCESS, specTarget, targetId } from './targets';

/** wasm-containers.profile.json: what to compare, how often, and which scenarios. Paths are relative to the file. */
export interface ProfileSpec {
  name?: string;
  runs: number;
  warmup: number;
  order: 'interleaved' | 'sequential';
  timeoutSeconds: number;
  markers?: [string, string];
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

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses and validates a spec; every error names the JSON path and what was expected. */
export function parseProfileSpec(text: string, file: string): ProfileSpec {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new SpecError(file, '(file)', `not valid JSON: ${(e as Error).message}`);
  }
  const fail = (where: string, message: string): never => {
    throw new SpecError(file, where, message);
  };
  if (!isObject(data)) fail('(root)', 'expected an object');
  const root = data as Json;
  const int = (where: string, v: unknown, fallback: number, min: number): number => {
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
      fail(where, `expected a whole number ≥ ${min}, got ${JSON.stringify(v)}`);
    return v as number;
  };
  const strings = (where: string, v: unknown): string[] | undefined => {
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
      fail(where, 'expected an array of strings');
    return v as string[];
  };
  if (!Array.isArray(root.targets) || root.targets.length === 0)
    fail('targets', 'expected a non-empty array of targets');
  const ids = new Set<string>();
  const targets = (root.targets as unknown[]).map((t, i): TargetSpec => {
    const where = `targets[${i}]`;
    if (!isObject(t)) fail(where, 'expected an object');
    const o = t as Json;
    if (typeof o.id !== 'string' || !/^[\w.-]+$/.test(o.id))
      fail(`${where}.id`, 'expected an identifier (letters, digits, . _ -)');
    const id = o.id as string;
    if (ids.has(id)) fail(`${where}.id`, `'${id}' is used twice`);
    ids.add(id);
    if (typeof o.runtime !== 'string')
      fail(
        `${where}.runtime`,
        'expected a runtime id such as node-wasi, wasmtime, process or docker-runc',
      );
    if (typeof o.artifact !== 'string' || o.artifact === '')
      fail(`${where}.artifact`, 'expected the module, executable or image to run');
    if (
      o.env !== undefined &&
      (!isObject(o.env) || Object.values(o.env).some((v) => typeof v !== 'string'))
    )
      fail(`${where}.env`, 'expected an object of strings');
    if (
      o.annotations !== undefined &&
      (!isObject(o.annotations) || Object.values(o.annotations).some((v) => typeof v !== 'string'))
    )
      fail(`${where}.annotations`, 'expected an object of strings');
    if (o.ociRuntime !== undefined && (typeof o.ociRuntime !== 'string' || o.ociRuntime === ''))
      fail(`${where}.ociRuntime`, "expected a runtime path or the engine's name for it");
    const dirs =
      o.dirs === undefined
        ? undefined
        : ((Array.isArray(o.dirs)
            ? o.dirs
            : fail(`${where}.dirs`, 'expected an array')) as unknown[]);
    const build =
      o.build === undefined
        ? undefined
        : isObject(o.build) && typeof o.build.context === 'string'
          ? o.build
          : fail(`${where}.build`, 'expected { "context": DIR, "dockerfile"?: FILE }');
    return {
      id: o.id as string,
      label: typeof o.label === 'string' ? o.label : undefined,
      runtime: o.runtime as string,
      artifact: o.artifact as string,
      args: strings(`${where}.args`, o.args),
      env: o.env as Record<string, string> | undefined,
      dirs: dirs?.map((d, j) => {
        if (typeof d === 'string') {
          const [host, guest] = d.split('::');
          return { host, guest: guest ?? host };
        }
        if (isObject(d) && typeof d.host === 'string' && typeof d.guest === 'string')
          return { host: d.host, guest: d.guest };
        return fail(`${where}.dirs[${j}]`, 'expected "HOST::GUEST" or { "host", "guest" }');
      }),
      build: build as TargetSpec['build'],
      ...(o.ociRuntime !== undefined ? { ociRuntime: o.ociRuntime as string } : {}),
      ...(o.annotations !== undefined
        ? { annotations: o.annotations as Record<string, string> }
        : {}),
    };
  });
  const order = root.order ?? 'interleaved';
  if (order !== 'interleaved' && order !== 'sequential')
    fail('order', 'expected "interleaved" or "sequential"');
  let markers: [string, string] | undefined;
  if (root.markers !== undefined) {
    const m = strings('markers', root.markers);
    if (!m || m.length !== 2) fail('markers', 'expected [START, STOP]');
    markers = [m![0], m![1]];
  }
  if (root.reference !== undefined && !ids.has(root.reference as string))
    fail('reference', `no target has the id ${JSON.stringify(root.reference)}`);
  const sc =
    root.scenarios === undefined
      ? {}
      : isObject(root.scenarios)
        ? root.scenarios
        : fail('scenarios', 'expected an object');
  const scenarios: ScenarioSpec = {
    coldStart: sc.coldStart === undefined ? true : sc.coldStart === true,
  };
  if (sc.startStorm !== undefined) {
    const counts =
      isObject(sc.startStorm) && Array.isArray(sc.startStorm.counts)
        ? sc.startStorm.counts
        : fail('scenarios.startStorm', 'expected { "counts": [1, 10, 100] }');
    scenarios.startStorm = {
      counts: (counts as unknown[]).map((c, i) =>
        int(`scenarios.startStorm.counts[${i}]`, c, 1, 1),
      ),
    };
  }
  if (sc.density !== undefined) {
    const d = isObject(sc.density) ? sc.density : fail('scenarios.density', 'expected an object');
    const instances = Array.isArray(d.instances)
      ? d.instances
      : fail('scenarios.density.instances', 'expected an array such as [10, 100, 400]');
    scenarios.density = {
      instances: (instances as unknown[]).map((c, i) =>
        int(`scenarios.density.instances[${i}]`, c, 1, 1),
      ),
      args: strings('scenarios.density.args', d.args) ?? ['sleep', '10'],
      readyMarker: typeof d.readyMarker === 'string' ? d.readyMarker : 'Starting',
      settleMs: int('scenarios.density.settleMs', d.settleMs, 500, 0),
    };
  }
  if (sc.memoryTimeline !== undefined) {
    const m = isObject(sc.memoryTimeline)
      ? sc.memoryTimeline
      : fail('scenarios.memoryTimeline', 'expected an object');
    scenarios.memoryTimeline = {
      intervalMs: int('scenarios.memoryTimeline.intervalMs', m.intervalMs, 100, 1),
      args: strings('scenarios.memoryTimeline.args', m.args),
    };
  }
  return {
    name: typeof root.name === 'string' ? root.name : undefined,
    runs: int('runs', root.runs, 10, 1),
    warmup: int('warmup', root.warmup, 2, 0),
    order: order as ProfileSpec['order'],
    timeoutSeconds: int('timeoutSeconds', root.timeoutSeconds, 60, 1),
    markers,
    reference: root.reference as string | undefined,
    targets,
    scenarios,
  };
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
    if (!/^(docker|podman|containerd)-/.test(t.runtime) || /\.tar$/.test(t.artifact))
      t.artifact = resolve(t.artifact);
    // a runtime given as a relative path is relative to the spec too; a bare name is the engine's
    if (t.ociRuntime?.includes('/')) t.ociRuntime = resolve(t.ociRuntime);
    t.dirs = t.dirs?.map((d) => ({ host: resolve(d.host), guest: d.guest }));
    if (t.build) t.build = { context: resolve(t.build.context), dockerfile: t.build.dockerfile };
  }
  return spec;
}

/** The spec `wasm-containers init` writes for a module and its native twin. */
export function defaultSpecFor(moduleRel: string, nativeRel: string | undefined): object {
  const targets = [specTarget({ runs: 'wasm', runtime: 'node-wasi' }, moduleRel)];
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
