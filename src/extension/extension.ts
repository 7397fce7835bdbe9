import * as vscode from 'vscode';
import { TOOL_VERSION } from '../core/version';
import { profileModuleCommand } from './commands/profile-module';
import { runModuleCommand } from './commands/run-module';
import { startLanguageClientWhenNeeded } from './language-client';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Wasm Containers', { log: true });
  context.subscriptions.push(log);
  log.info(`Wasm Containers ${TOOL_VERSION} activated (node ${process.versions.node}, ${vscode.env.remoteName ? `remote ${vscode.env.remoteName}` : 'local'}, trusted: ${vscode.workspace.isTrusted})`);

  context.subscriptions.push(
    vscode.commands.registerCommand('wasmContainers.module.run', (uri?: vscode.Uri) => runModuleCommand(log, uri)),
    vscode.commands.registerCommand('wasmContainers.profile.run', (uri?: vscode.Uri) => profileModuleCommand(log, uri)),
    vscode.commands.registerCommand('wasmContainers.log.show', () => log.show()),
  );
  startLanguageClientWhenNeeded(context, log);
}

export function deactivate(): void {
  // subscriptions dispose the log, the language client and running terminals
}
