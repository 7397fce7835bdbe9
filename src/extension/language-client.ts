import * as vscode from 'vscode';
import type * as LanguageClientLibrary from 'vscode-languageclient/node';
import type {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from 'vscode-languageclient/node';
import { requireVendor } from '../core/paths';
import { SERVED_LANGUAGES } from '../shared/lsp-protocol';

/**
 * Starts the Dockerfile language server the first time a served document is open, not at
 * activation: most activations (a command on a .wasm) never need it.
 */
export function startLanguageClientWhenNeeded(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
): void {
  let client: LanguageClient | undefined;
  const served = (doc: vscode.TextDocument) =>
    (SERVED_LANGUAGES as readonly string[]).includes(doc.languageId);
  const start = () => {
    if (client) return;
    // the client library is loaded with the first served document, not at activation
    const { LanguageClient, TransportKind } =
      requireVendor<typeof LanguageClientLibrary>('languageclient');
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    context.subscriptions.push(watcher);
    const module = context.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: {
        module,
        transport: TransportKind.ipc,
        options: { execArgv: ['--nolazy', '--inspect=6019'] },
      },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: SERVED_LANGUAGES.flatMap((language) => [
        { scheme: 'file', language },
        { scheme: 'untitled', language },
      ]),
      outputChannel: log,
      // a Dockerfile's diagnostics depend on the files of its build context (COPY sources)
      synchronize: { fileEvents: watcher },
      middleware: {
        // the server names documents by URI string; the commands behind the lenses take a vscode.Uri
        provideCodeLenses: async (document, token, next) => {
          const lenses = await next(document, token);
          for (const lens of lenses ?? []) {
            if (lens.command?.arguments)
              lens.command.arguments = lens.command.arguments.map((a: unknown) =>
                typeof a === 'string' && /^(file|untitled):/.test(a) ? vscode.Uri.parse(a) : a,
              );
          }
          return lenses;
        },
      },
    };
    client = new LanguageClient(
      'wasmContainers',
      'Wasm Containers Language Server',
      serverOptions,
      clientOptions,
    );
    context.subscriptions.push({ dispose: () => void client?.stop() });
    client.start().then(
      () => log.info('language server started'),
      (e: unknown) => log.error(`language server failed to start: ${String(e)}`),
    );
  };
  if (vscode.workspace.textDocuments.some(served)) start();
  else {
    const listener = vscode.workspace.onDidOpenTextDocument((doc) => {
      if (!served(doc)) return;
      listener.dispose();
      start();
    });
    context.subscriptions.push(listener);
  }
}
