import * as vscode from 'vscode';
import { TOOL_VERSION } from '../core/version';
import { removeLiveContainers } from '../core/engines/docker/container';
import {
  createSpecCommand,
  profileModuleCommand,
  profileSpecCommand,
} from './commands/profile-module';
import { runModuleCommand, runNativeCommand, type RunModuleOptions } from './commands/run-module';
import { startLanguageClientWhenNeeded } from './language-client';
import { catalogToJson } from '../core/runtimes/runtime-report';
import { RuntimesView } from './runtimes-view';
import { ImagesView } from './images-view';
import {
  buildNativeCommand,
  buildWasmCommand,
  profileImageCommand,
  runImageCommand,
} from './commands/image-commands';
import { ProfilePanel } from './profile-panel';
import { runsDirectory } from '../core/profile/results-store';
import { inspectModuleCommand, WasmInspectorProvider } from './wasm-inspector';
import { pickWasmFile } from './commands/pick-wasm';
import {
  compileWatCommand,
  newProjectCommand,
  type NewProjectOptions,
} from './commands/project-commands';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Wasm Containers', { log: true });
  context.subscriptions.push(log);
  log.info(
    `Wasm Containers ${TOOL_VERSION} activated (node ${process.versions.node}, ${vscode.env.remoteName ? `remote ${vscode.env.remoteName}` : 'local'}, trusted: ${vscode.workspace.isTrusted})`,
  );

  const runtimesView = new RuntimesView(log);
  const imagesView = new ImagesView(log);
  context.subscriptions.push(
    vscode.window.registerTreeDataProvider('wasmContainers.images', imagesView),
    vscode.commands.registerCommand('wasmContainers.images.refresh', async () => {
      imagesView.refresh();
      return { engine: await imagesView.list().catch(() => []), local: imagesView.localImages() };
    }),
    vscode.commands.registerCommand('wasmContainers.image.buildNative', (uri?: vscode.Uri) =>
      buildNativeCommand(log, imagesView, uri),
    ),
    vscode.commands.registerCommand('wasmContainers.image.buildWasm', (uri?: vscode.Uri) =>
      buildWasmCommand(log, imagesView, uri),
    ),
    vscode.commands.registerCommand(
      'wasmContainers.image.run',
      (arg?: unknown, options?: { runtime?: string }) =>
        runImageCommand(log, imagesView, arg, options),
    ),
    vscode.commands.registerCommand('wasmContainers.image.profile', (arg?: unknown) =>
      profileImageCommand(context, log, imagesView, arg),
    ),
  );
  context.subscriptions.push(
    vscode.window.registerTreeDataProvider('wasmContainers.runtimes', runtimesView),
    vscode.commands.registerCommand('wasmContainers.runtimes.refresh', async () =>
      catalogToJson(await runtimesView.refresh()),
    ),
    vscode.commands.registerCommand(
      'wasmContainers.module.run',
      (uri?: vscode.Uri, options?: RunModuleOptions) =>
        runModuleCommand(log, context.workspaceState, uri, options),
    ),
    vscode.commands.registerCommand('wasmContainers.module.runWith', (uri?: vscode.Uri) =>
      runModuleCommand(log, context.workspaceState, uri, { ask: true }),
    ),
    vscode.commands.registerCommand('wasmContainers.native.run', (uri?: vscode.Uri) =>
      runNativeCommand(log, uri),
    ),
    vscode.commands.registerCommand('wasmContainers.profile.run', (uri?: vscode.Uri) =>
      profileModuleCommand(context, log, uri),
    ),
    vscode.commands.registerCommand('wasmContainers.profile.runSpec', (uri?: vscode.Uri) =>
      profileSpecCommand(context, log, uri),
    ),
    vscode.commands.registerCommand('wasmContainers.profile.showPanel', () => {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      const panel = ProfilePanel.open(context, log, folder ? runsDirectory(folder) : undefined);
      panel.show();
      return panel.shown;
    }),
    ProfilePanel.register(context, log),
    vscode.commands.registerCommand('wasmContainers.profile.createSpec', (uri?: vscode.Uri) =>
      createSpecCommand(uri),
    ),
    vscode.commands.registerCommand('wasmContainers.log.show', () => log.show()),
  );
  const inspector = WasmInspectorProvider.register(context, log);
  context.subscriptions.push(
    inspector.disposable,
    vscode.commands.registerCommand('wasmContainers.module.inspect', (uri?: vscode.Uri) =>
      inspectModuleCommand(inspector.provider, uri, pickWasmFile),
    ),
    vscode.commands.registerCommand('wasmContainers.project.new', (options?: NewProjectOptions) =>
      newProjectCommand(log, options),
    ),
    vscode.commands.registerCommand('wasmContainers.wat.compile', (uri?: vscode.Uri) =>
      compileWatCommand(log, uri),
    ),
  );
  startLanguageClientWhenNeeded(context, log);
}

/** The extension host is going away: remove every container still running for us. */
export async function deactivate(): Promise<void> {
  await removeLiveContainers();
}
