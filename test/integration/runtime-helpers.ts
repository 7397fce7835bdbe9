import assert from 'node:assert/strict';
import { wasmCliRuntimes } from '../../src/core/runtimes/runtime-catalog';
import type { WasmCliRuntime } from '../../src/core/runtimes/wasm-cli-runtimes';

/** The runtime CLIs CI builds from their registries (scripts/setup-runtimes.sh). */
export const BUILT_BY_CI = ['wasmtime', 'wazero', 'wasmer'];

export interface RealRuntime {
  runtime: WasmCliRuntime;
  /** Why the tests of this runtime are skipped (undefined: it is there and works). */
  skip?: string;
}

/**
 * The CLIs CI builds, plain and ahead-of-time, each detected for real with its AOT artifacts in
 * `aotCacheDir`. A missing one is a skip with its reason, or an error under REQUIRE_RUNTIMES=1.
 */
export async function realRuntimes(aotCacheDir: string): Promise<RealRuntime[]> {
  const all = wasmCliRuntimes({ aotCacheDir }).filter((r) => BUILT_BY_CI.includes(r.definition.id));
  return Promise.all(
    all.map(async (runtime) => {
      const d = await runtime.detect();
      if (d.available) return { runtime };
      if (process.env.REQUIRE_RUNTIMES === '1')
        assert.fail(`REQUIRE_RUNTIMES=1 but ${runtime.id} is not available: ${d.reason}`);
      return { runtime, skip: `${runtime.displayName}: ${d.reason}` };
    }),
  );
}

/** No process of the group `pid` leads is left (runs start detached, each in its own group). */
export async function groupGone(pid: number, watchdogMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + watchdogMs;
  for (;;) {
    try {
      process.kill(-pid, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') return true;
      throw e;
    }
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
}
