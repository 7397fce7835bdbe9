/**
 * Adding a scenario a profile lacks to a spec: the spec the profile came from, or one written from
 * the profile's own targets. Works on the spec's JSON so that every field it has is kept.
 */
import path from 'node:path';
import type { ProfileResult } from './result-schema';
import type { ScenarioName } from './scenario-names';
import { isEngineRuntimeId as isContainer } from '../engines/runtime-ids';

export interface ScenarioValues {
  /** markers: the lines the program prints when it starts and stops its work. */
  markers?: [string, string];
  /** density: arguments that keep the program alive, and the line it prints once ready. */
  densityArgs?: string[];
  readyMarker?: string;
}

type Json = Record<string, unknown>;

/** A spec (JSON) with the profile's targets, their paths relative to the spec's folder. */
export function specFromResult(result: ProfileResult, specDir: string): Json {
  const targets = result.targets.map((t) => ({
    id: t.id,
    label: t.label,
    runtime: t.runtime,
    artifact:
      isContainer(t.runtime) || !path.isAbsolute(t.artifact)
        ? t.artifact
        : path.relative(specDir, t.artifact) || '.',
    ...(t.args.length ? { args: t.args } : {}),
  }));
  const reference = result.comparisons[0]?.reference;
  return {
    name: result.settings.name ?? 'Profile',
    runs: result.settings.runs,
    warmup: result.settings.warmup,
    order: result.settings.order,
    timeoutSeconds: Math.round(result.settings.timeoutMs / 1000),
    ...(reference ? { reference } : {}),
    targets,
    scenarios: { coldStart: result.settings.coldStart },
  };
}

/** The spec with the scenario added (replacing one of the same kind). */
export function withScenario(
  spec: Json,
  scenario: ScenarioName,
  values: ScenarioValues = {},
): Json {
  const scenarios: Json =
    typeof spec.scenarios === 'object' && spec.scenarios !== null && !Array.isArray(spec.scenarios)
      ? { ...(spec.scenarios as Json) }
      : { coldStart: true };
  switch (scenario) {
    case 'markers':
      return { ...spec, markers: values.markers ?? ['Starting', 'Stopped'] };
    case 'startStorm':
      scenarios.startStorm = { counts: [1, 10, 100] };
      break;
    case 'memoryTimeline':
      scenarios.memoryTimeline = { intervalMs: 100 };
      break;
    case 'density':
      scenarios.density = {
        instances: [10, 100],
        args: values.densityArgs ?? ['sleep', '10'],
        readyMarker: values.readyMarker ?? 'Starting',
      };
      break;
  }
  return { ...spec, scenarios };
}

/** Where a spec for this profile lives: the one it was run from, else beside its module. */
export function specLocation(result: ProfileResult, workspaceFolder: string): string {
  const source = result.settings.source;
  if (source?.endsWith('.json')) return source;
  const file = result.targets.find(
    (t) => !isContainer(t.runtime) && path.isAbsolute(t.artifact) && t.runs === 'wasm',
  )?.artifact;
  const dir = file
    ? path.dirname(file)
    : source && path.isAbsolute(source)
      ? path.dirname(source)
      : workspaceFolder;
  return path.join(dir, 'wasm-containers.profile.json');
}
