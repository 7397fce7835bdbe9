import path from 'node:path';
import * as vscode from 'vscode';
import { ignoredSettings, readSettingsFile, type IgnoredSetting } from '../core/settings-file';

/** The settings a remote side does not take from the user's (local) settings: machine-scoped ones. */
const MACHINE_SETTINGS = ['node.path', 'runtime.paths', 'docker.host'] as const;

/**
 * The wasmContainers machine settings the user set in their User settings that this window does
 * not apply: in a remote window (SSH, containers, WSL, code-server) the extension runs on the
 * remote machine, which reads machine settings from its Remote settings, never from the User
 * settings. Read from the user settings file beside the extension's global storage (where
 * code-server and a local window keep it); empty in a local window.
 */
export function settingsIgnoredHere(
  context: vscode.ExtensionContext,
  log?: vscode.LogOutputChannel,
): IgnoredSetting[] {
  if (!vscode.env.remoteName) return [];
  // <user data>/User/globalStorage/<extension id> → <user data>/User/settings.json
  const userSettings = path.join(context.globalStorageUri.fsPath, '..', '..', 'settings.json');
  const config = vscode.workspace.getConfiguration('wasmContainers');
  const ignored = ignoredSettings(
    readSettingsFile(userSettings),
    MACHINE_SETTINGS.map((k) => `wasmContainers.${k}`),
    (key) => {
      const i = config.inspect(key.slice('wasmContainers.'.length));
      return i?.workspaceFolderValue ?? i?.workspaceValue ?? i?.globalValue;
    },
  );
  log?.info(
    `settings: ${userSettings} read in this remote window (${vscode.env.remoteName}); ignored here: ${ignored.map((i) => i.key).join(', ') || 'none'} (global storage ${context.globalStorageUri.toString()})`,
  );
  return ignored;
}

/** What the Runtimes view shows for one: the setting, why it is not applied, where to put it. */
export function describeIgnored(setting: IgnoredSetting): vscode.TreeItem {
  // short enough for a side bar: the tooltip says the rest
  const item = new vscode.TreeItem(
    `${setting.key.replace(/^wasmContainers\./, '')}: User value ignored here`,
  );
  item.description = 'put it in Remote settings';
  item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
  item.tooltip = new vscode.MarkdownString(
    `Your **User** settings set \`${setting.key}\` to \`${JSON.stringify(setting.value)}\`, but this is a remote window (${vscode.env.remoteName}): the extension runs on the remote machine, which takes machine settings such as this one from its **Remote** settings (or the workspace's), never from User settings.\n\nClick to open the Remote settings and put it there.`,
  );
  item.command = {
    command: 'workbench.action.openRemoteSettingsFile',
    title: 'Open Remote Settings (JSON)',
  };
  item.contextValue = 'ignoredSetting';
  return item;
}
