import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RenderedView } from '../../../src/extension/wasm-inspector';
import { extensionManifest } from './manifest';

const workspace = () => vscode.workspace.workspaceFolders![0].uri;
const activeCustomEditor = () => {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputCustom ? input : undefined;
};

describe('Wasm inspector (custom editor)', () => {
  after(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('is the default editor for *.wasm', () => {
    const editor = extensionManifest().contributes.customEditors.find(
      (e) => e.viewType === 'wasmContainers.wasmInspector',
    );
    assert.deepEqual(editor?.selector, [{ filenamePattern: '*.wasm' }]);
    assert.equal(editor?.priority, 'default');
  });

  it('opens a real 10 MB module and shows its overview', async function () {
    const big = vscode.Uri.joinPath(workspace(), 'samples', 'starlingmonkey_embedding.wasm');
    try {
      await vscode.workspace.fs.stat(big);
    } catch {
      if (process.env.REQUIRE_WASM_SAMPLES === '1')
        throw new Error('samples/starlingmonkey_embedding.wasm missing from the test workspace');
      this.skip();
    }
    const t0 = Date.now();
    const view = await vscode.commands.executeCommand<RenderedView>(
      'wasmContainers.module.inspect',
      big,
    );
    console.log(
      `    rendered ${Date.now() - t0} ms after the command (page ${view?.pageMs.toFixed(0)} ms, render ${view?.renderMs.toFixed(0)} ms): ${view?.heading}`,
    );
    assert.ok(view, 'the page reported what it shows');
    assert.equal(activeCustomEditor()?.viewType, 'wasmContainers.wasmInspector');
    assert.equal(activeCustomEditor()?.uri.toString(), big.toString());
    assert.equal(view.kind, 'core-module');
    assert.equal(view.problems, 0);
    assert.match(
      view.heading,
      /^starlingmonkey_embedding\.wasm · core module · WASI preview1 · reactor · 10\.0 MiB/,
    );
    assert.deepEqual(
      view.tabs.map((t) => t.replace(/ \(\d+\)$/, '')),
      ['Overview', 'Sections', 'Imports & Exports', 'Size', 'Functions & WAT', 'Custom sections'],
    );
  });

  it('recognises a component instead of rejecting its version', async () => {
    const view = await vscode.commands.executeCommand<RenderedView>(
      'wasmContainers.module.inspect',
      vscode.Uri.joinPath(workspace(), 'hello.component.wasm'),
    );
    assert.equal(view?.kind, 'component');
    assert.match(view.heading, /component \(version 0xd\).*WASI preview2.*command/);
  });

  it('shows what decoded before a truncation, with the problem', async () => {
    const bytes = await vscode.workspace.fs.readFile(
      vscode.Uri.joinPath(workspace(), 'hello.wasm'),
    );
    const cut = vscode.Uri.joinPath(workspace(), 'truncated.wasm');
    await vscode.workspace.fs.writeFile(cut, bytes.subarray(0, 5000));
    const view = await vscode.commands.executeCommand<RenderedView>(
      'wasmContainers.module.inspect',
      cut,
    );
    // the cut section, and the function body the cut falls in
    assert.equal(view?.problems, 2);
    assert.match(
      view.heading,
      /Decoded with 2 problems; what decoded fine is shown\..*code section declares \d+ bytes but only \d+ remain.*the body of function \d+: \d+ bytes declared but only \d+ remain/,
    );
    assert.ok(
      view.tabs.some((t) => t.startsWith('Imports')),
      'the imports decoded before the cut are shown',
    );
  });
});
