import type { RunSpec, RuntimeAdapter } from '../runtimes/types';
import type { ProfileTarget } from './profiler';
import type { TargetDescription } from './result-schema';
import type { TargetSpec } from './spec';

/**
 * What a target is, whatever entry point made it (the CLI, Profile Against Native, a spec, a
 * Dockerfile, an image): what it runs — the Wasm module or its native counterpart — and under which
 * runtime. Stored results have always kept both (`runs`, `runtime`), so runs from before ids were
 * minted here compare by role too.
 */
export interface TargetRole {
  runs: 'wasm' | 'native';
  /** A runtime id: node-wasi, wasmtime, process, docker-runc, … */
  runtime: string;
}

/** The one id scheme: `wasm-node-wasi`, `wasm-wasmtime-aot`, `native-process`, `native-docker-runc`. */
export const targetId = (role: TargetRole): string => `${role.runs}-${role.runtime}`;

/** The one label scheme: "wasm · node-wasi", "native · docker-runc". */
export const targetLabel = (role: TargetRole): string => `${role.runs} · ${role.runtime}`;

/** The baseline of every comparison: the native counterpart run directly as a process. */
export const NATIVE_PROCESS: TargetRole = { runs: 'native', runtime: 'process' };

export const roleOf = (runtime: Pick<RuntimeAdapter, 'id' | 'runs'>): TargetRole => ({
  runs: runtime.runs,
  runtime: runtime.id,
});

/** The target that runs `spec` under `runtime`, named from its role. */
export function profileTarget(runtime: RuntimeAdapter, spec: RunSpec): ProfileTarget {
  const role = roleOf(runtime);
  return { id: targetId(role), label: targetLabel(role), runtime, spec };
}

/** A spec's target (as `init` writes it, or the CLI builds it), named from its role. */
export function specTarget(role: TargetRole, artifact: string, args?: string[]): TargetSpec {
  return { id: targetId(role), label: targetLabel(role), runtime: role.runtime, artifact, args };
}

export const sameRole = (a: TargetRole, b: TargetRole): boolean =>
  a.runs === b.runs && a.runtime === b.runtime;

/**
 * The target of `candidates` that plays the same part as `target`: the one with its role (by id
 * among several of that role, as a spec may compare one runtime with different arguments). Stored
 * runs whose ids came from other schemes (`wasm`, `native-runc`, `docker-runc`) match as well.
 */
export function counterpartOf<T extends Pick<TargetDescription, 'id' | 'runs' | 'runtime'>>(
  target: Pick<TargetDescription, 'id' | 'runs' | 'runtime'>,
  candidates: readonly T[],
): T | undefined {
  const ofRole = candidates.filter((c) => sameRole(c, target));
  return ofRole.length <= 1 ? ofRole[0] : ofRole.find((c) => c.id === target.id);
}
