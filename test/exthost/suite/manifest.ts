import * as vscode from 'vscode';

export const EXT_ID = 'wasm-containers.wasm-containers';

interface MenuItem {
  command: string;
  when?: string;
  group?: string;
}

/** The parts of package.json the tests read, as VS Code loaded them (packageJSON is untyped). */
export interface ExtensionManifest {
  capabilities: {
    untrustedWorkspaces: { supported: boolean | 'limited'; restrictedConfigurations?: string[] };
  };
  contributes: {
    commands: Array<{ command: string; title: string; category?: string }>;
    menus: Record<string, MenuItem[]>;
    jsonValidation: Array<{ fileMatch: string[]; url: string }>;
    customEditors: Array<{
      viewType: string;
      selector: Array<{ filenamePattern: string }>;
      priority?: string;
    }>;
  };
}

export function extensionManifest(): ExtensionManifest {
  const ext = vscode.extensions.getExtension(EXT_ID);
  if (!ext) throw new Error(`${EXT_ID} is not installed`);
  return ext.packageJSON as ExtensionManifest;
}
