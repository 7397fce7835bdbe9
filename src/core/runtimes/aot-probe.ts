import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { errorMessage } from '../process/errors';
import { compileOnce, type AotCompiler } from './aot-cache';
import { cachedCheck } from '../process/version-cache';

const section = (id: number, body: number[]) => [id, body.length, ...body];
/** The smallest WASI command: an empty exported _start. Every ahead-of-time compiler accepts it. */
export const PROBE_MODULE = Buffer.from([
  ...[0, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
  ...section(1, [1, 0x60, 0, 0]),
  ...section(3, [1, 0]),
  ...section(7, [1, 6, ...Buffer.from('_start'), 0, 0]),
  ...section(10, [1, 2, 0, 0x0b]),
]);

const probes = new Map<string, Promise<string | undefined>>();

/**
 * Whether this compiler really compiles (a WasmEdge built without LLVM answers "Compilation is
 * not supported!"): it compiles the probe module into a scratch cache. Undefined when it works,
 * else what it answered. Asked once per compiler (path and version) per process.
 */
export function probeCompiler(c: AotCompiler): Promise<string | undefined> {
  const key = [c.runtimeId, c.file, c.version].join('\0');
  let probe = probes.get(key);
  if (!probe) {
    probe = cachedCheck(c.file, ['aot-probe', c.runtimeId, c.version ?? ''], () => runProbe(c));
    probes.set(key, probe);
  }
  return probe;
}

async function runProbe(c: AotCompiler): Promise<string | undefined> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wc-aot-probe-'));
  try {
    const module = path.join(dir, 'probe.wasm');
    writeFileSync(module, PROBE_MODULE);
    await compileOnce(path.join(dir, 'cache'), c, module, { timeoutMs: 120_000 });
    return undefined;
  } catch (e) {
    return errorMessage(e);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
