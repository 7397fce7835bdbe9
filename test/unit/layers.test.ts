import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { repoRoot } from './helpers';

/**
 * The layers of CONTRIBUTING.md's architecture, read from the sources' own import statements
 * (type-only imports, re-exports and dynamic imports included, as TypeScript's pre-processor
 * lists them): core is pure Node and imports no other layer; the protocols of src/shared describe
 * core's data, so shared may import core and never the reverse.
 */
const LAYERS = ['src/core', 'src/shared', 'src/extension', 'src/cli', 'src/server', 'webview'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.ts$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => path.join(e.parentPath, e.name));
}

/** Every import of every source file under the layers: [file, what it names, layer it is in]. */
function imports(): Array<{ from: string; layer: string; target: string }> {
  const out = [];
  for (const layer of LAYERS)
    for (const file of sourceFiles(path.join(repoRoot, layer))) {
      const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
      for (const { fileName } of info.importedFiles) {
        const target = fileName.startsWith('.')
          ? path.relative(repoRoot, path.resolve(path.dirname(file), fileName))
          : fileName;
        out.push({ from: path.relative(repoRoot, file), layer, target });
      }
    }
  return out;
}

const layerOf = (target: string) =>
  LAYERS.find((l) => target === l || target.startsWith(`${l}/`)) ??
  (target === 'vscode' ? 'vscode' : undefined);

describe('layers: who imports whom', () => {
  const all = imports();

  it('reads the imports it judges (type-only ones too)', () => {
    // the two imports the rules below are about exist, so the scan sees them
    assert.ok(
      all.some((i) => i.layer === 'src/shared' && layerOf(i.target) === 'src/core'),
      'shared describes core types',
    );
    assert.ok(all.some((i) => i.layer === 'src/extension' && i.target === 'vscode'));
  });

  it('core imports nothing of shared, the front ends, the server, the webviews or vscode', () => {
    const outward = all.filter((i) => i.layer === 'src/core' && layerOf(i.target) !== undefined);
    assert.deepEqual(
      outward.filter((i) => layerOf(i.target) !== 'src/core'),
      [],
    );
  });

  it('shared imports only core and itself (no type cycle between core and shared)', () => {
    assert.deepEqual(
      all.filter(
        (i) =>
          i.layer === 'src/shared' &&
          layerOf(i.target) !== undefined &&
          !['src/core', 'src/shared'].includes(layerOf(i.target)!),
      ),
      [],
    );
  });

  it('only the extension uses the VS Code API', () => {
    assert.deepEqual(
      all.filter((i) => i.target === 'vscode' && i.layer !== 'src/extension').map((i) => i.from),
      [],
    );
  });

  it('the layers import each other without a cycle', () => {
    const edges = new Map<string, Set<string>>();
    for (const i of all) {
      const to = layerOf(i.target);
      if (!to || to === 'vscode' || to === i.layer) continue;
      edges.set(i.layer, (edges.get(i.layer) ?? new Set()).add(to));
    }
    const visiting: string[] = [];
    const done = new Set<string>();
    const visit = (layer: string): void => {
      if (done.has(layer)) return;
      assert.ok(
        !visiting.includes(layer),
        `a cycle: ${[...visiting.slice(visiting.indexOf(layer)), layer].join(' → ')}`,
      );
      visiting.push(layer);
      for (const next of edges.get(layer) ?? []) visit(next);
      visiting.pop();
      done.add(layer);
    };
    for (const layer of LAYERS) visit(layer);
  });
});
