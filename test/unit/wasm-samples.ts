import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { repoRoot, tempDir } from './helpers';

/** Real modules fetched from npm by scripts/fetch-wasm-samples.mjs (test-all does it first). */
export const samplesDir = path.join(repoRoot, '.cache', 'wasm-samples');

/** A sample's path; skips the test when it is absent, unless REQUIRE_WASM_SAMPLES=1 (CI), which fails. */
export function sample(t: TestContext, name: string): string | undefined {
  const file = path.join(samplesDir, name);
  if (existsSync(file)) return file;
  if (process.env.REQUIRE_WASM_SAMPLES === '1')
    throw new Error(`${file} is missing: run node scripts/fetch-wasm-samples.mjs`);
  t.skip(`${name} not fetched (node scripts/fetch-wasm-samples.mjs)`);
  return undefined;
}

/**
 * Debian's WABT by absolute path: under `npm run`, node_modules/.bin (where the wabt npm package
 * puts its own wasm-objdump and wasm2wat) comes first on PATH, and the cross-check must use an
 * implementation independent of the one the extension bundles.
 */
export const debianTool = (tool: string): string =>
  existsSync(`/usr/bin/${tool}`) ? `/usr/bin/${tool}` : tool;

export function hasTool(tool: string): boolean {
  try {
    execFileSync(debianTool(tool), ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A WASI module compiled from C with clang-14 (cached per test process), or undefined without the toolchain. */
export function compileC(name: string, source: string, flags: string[] = []): string | undefined {
  if (!hasTool('clang-14')) return undefined;
  const dir = path.join(tempDir('wc-cc-'));
  mkdirSync(dir, { recursive: true });
  const src = path.join(dir, `${name}.c`);
  const out = path.join(dir, `${name}.wasm`);
  writeFileSync(src, source);
  execFileSync('clang-14', ['--target=wasm32-wasi', '-O2', ...flags, src, '-o', out], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return out;
}

export interface ObjdumpSection {
  name: string;
  start: number;
  end: number;
  size: number;
  count?: number;
}

const OBJDUMP_NAMES: Record<string, string> = { DataCount: 'datacount' };

/** `wasm-objdump -h`: every section with payload start, end, size and count. */
export function objdumpSections(file: string): ObjdumpSection[] {
  const out = execFileSync(debianTool('wasm-objdump'), ['-h', file], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  return [
    ...out.matchAll(
      /^\s*(\w+) start=0x([0-9a-f]+) end=0x([0-9a-f]+) \(size=0x([0-9a-f]+)\)(?: count: (\d+)| "(.*)")?/gm,
    ),
  ].map((m) => ({
    name: m[1] === 'Custom' ? `custom:${m[6]}` : (OBJDUMP_NAMES[m[1]] ?? m[1].toLowerCase()),
    start: parseInt(m[2], 16),
    end: parseInt(m[3], 16),
    size: parseInt(m[4], 16),
    ...(m[5] ? { count: Number(m[5]) } : {}),
  }));
}

/** `wasm-objdump -x -j Import/Export`: "kind[index] module.name" and "kind[index] name" lines. */
export function objdumpImportsExports(file: string): { imports: string[]; exports: string[] } {
  const details = (section: string) => {
    try {
      return execFileSync(debianTool('wasm-objdump'), ['-x', '-j', section, file], {
        encoding: 'utf8',
        maxBuffer: 1 << 26,
      });
    } catch {
      return ''; // wasm-objdump exits non-zero when the section is absent
    }
  };
  const imports = [...details('Import').matchAll(/^ - (\w+)\[(\d+)\].* <- (.*)$/gm)].map(
    (m) => `${m[1]}[${m[2]}] ${m[3]}`,
  );
  const exports = [...details('Export').matchAll(/^ - (\w+)\[(\d+)\].* -> "(.*)"$/gm)].map(
    (m) => `${m[1]}[${m[2]}] ${m[3]}`,
  );
  return { imports, exports };
}
