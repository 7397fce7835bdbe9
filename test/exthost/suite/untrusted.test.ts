import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RenderedView } from '../../../src/extension/wasm-inspector';
import { waitFor } from './wait';
import { EXT_ID, extensionManifest } from './manifest';

const workspace = () => vscode.workspace.workspaceFolders![0].uri;
const hello = () => vscode.Uri.joinPath(workspace(), 'hello.wasm');

describe('Restricted Mode (an untrusted workspace)', () => {
  it('the workspace is not trusted, and the extension still activates (limited support)', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const ext = vscode.extensions.getExtension(EXT_ID)!;
    assert.equal(extensionManifest().capabilities.untrustedWorkspaces.supported, 'limited');
    await ext.activate();
    assert.ok(ext.isActive);
  });

  it('nothing runs, builds or profiles: every such command answers "untrusted" and starts nothing', async () => {
    const terminalsBefore = vscode.window.terminals.length;
    const results = {
      run: await vscode.commands.executeCommand<{ status: string }>(
        'wasmContainers.module.run',
        hello(),
      ),
      native: await vscode.commands.executeCommand<{ status: string }>(
        'wasmContainers.native.run',
        hello(),
      ),
      profile: await vscode.commands.executeCommand<{ status: string }>(
        'wasmContainers.profile.run',
        hello(),
      ),
      profileAcross: await vscode.commands.executeCommand<{ status: string }>(
        'wasmContainers.profile.runAcrossRuntimes',
        hello(),
      ),
      buildWasm: await vscode.commands.executeCommand<{ status: string }>(
        'wasmContainers.image.buildWasm',
        hello(),
      ),
      buildNative: await vscode.commands.executeCommand<{ status: string }>(
        'wasmContainers.image.buildNative',
        vscode.Uri.joinPath(workspace(), 'Dockerfile'),
      ),
      image: await vscode.commands.executeCommand<{ status: string }>(
        'wasmContainers.image.run',
        'any:image',
      ),
    };
    assert.deepEqual(Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.status])), {
      run: 'untrusted',
      native: 'untrusted',
      profile: 'untrusted',
      profileAcross: 'untrusted',
      buildWasm: 'untrusted',
      buildNative: 'untrusted',
      image: 'untrusted',
    });
    assert.equal(vscode.window.terminals.length, terminalsBefore, 'no terminal was opened');
  });

  it('settings that name executables or engines are restricted: the workspace value is ignored', async () => {
    const pkg = extensionManifest();
    assert.deepEqual(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations, [
      'wasmContainers.node.path',
      'wasmContainers.runtime.paths',
      'wasmContainers.docker.host',
    ]);
    // the workspace's settings file names an executable and sets an ordinary setting beside it
    const settings = vscode.Uri.joinPath(workspace(), '.vscode', 'settings.json');
    await vscode.workspace.fs.writeFile(
      settings,
      Buffer.from(
        JSON.stringify({
          'wasmContainers.node.path': '/bin/false',
          'wasmContainers.profile.runs': 7,
        }),
      ),
    );
    try {
      await waitFor('the workspace settings file to be read', () =>
        vscode.workspace.getConfiguration('wasmContainers').get('profile.runs') === 7
          ? true
          : undefined,
      );
      const config = vscode.workspace.getConfiguration('wasmContainers');
      assert.equal(config.get('profile.runs'), 7, 'the workspace settings file was read');
      assert.notEqual(config.get('node.path'), '/bin/false', 'the executable it names is not used');
      assert.equal(
        config.inspect('node.path')?.workspaceValue,
        undefined,
        'Restricted Mode hides the workspace value',
      );
    } finally {
      await vscode.workspace.fs.delete(settings);
    }
  });

  it('reading stays available: the inspector opens a module (it executes nothing)', async () => {
    const view = await vscode.commands.executeCommand<RenderedView>(
      'wasmContainers.module.inspect',
      hello(),
    );
    assert.equal(view?.kind, 'core-module');
    assert.match(view.heading, /hello\.wasm · core module · WASI preview1 · command/);
  });
});
