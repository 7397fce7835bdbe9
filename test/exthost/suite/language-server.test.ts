import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

import { waitFor } from './wait';

describe('Dockerfile language server through vscode-languageclient', () => {
  let doc: vscode.TextDocument;

  before(async () => {
    doc = await vscode.workspace.openTextDocument(
      vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'Dockerfile'),
    );
    await vscode.window.showTextDocument(doc);
  });

  it('reports wasm32 in the platform, and the quick fix applied through the API fixes it', async () => {
    const diagnostic = await waitFor('the wasm32 diagnostic', () =>
      vscode.languages.getDiagnostics(doc.uri).find((d) => d.code === 'platform-wasm32'),
    );
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(diagnostic.source, 'wasm-containers');
    assert.equal(doc.getText(diagnostic.range), 'wasm32');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      doc.uri,
      diagnostic.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const fix = actions.find((a) => a.title === "Replace with 'wasm'");
    assert.ok(fix?.edit, `no fix among: ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(doc.lineAt(0).text, 'FROM --platform=wasi/wasm scratch');
    await waitFor('the diagnostic to clear', () =>
      vscode.languages.getDiagnostics(doc.uri).some((d) => d.code === 'platform-wasm32')
        ? undefined
        : true,
    );
  });

  it('hovers the module named by COPY with what it is', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      doc.uri,
      new vscode.Position(1, 8),
    );
    const text = hovers
      .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)))
      .join('\n');
    assert.match(text, /\*\*hello\.wasm\*\*: WebAssembly core module, [\d.]+ KiB/);
  });

  it('a Wasm Dockerfile with RUN, EXPOSE and a missing source: the diagnostics, a quick fix through the API, the lenses', async () => {
    const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'lsp', 'Dockerfile');
    await vscode.workspace.fs.writeFile(
      vscode.Uri.joinPath(uri, '..', 'hello.wasm'),
      await vscode.workspace.fs.readFile(vscode.Uri.joinPath(uri, '..', '..', 'hello.wasm')),
    );
    await vscode.workspace.fs.writeFile(
      uri,
      Buffer.from(
        'FROM --platform=wasi/wasm scratch\nCOPY hello.wasm /hello.wasm\nCOPY config.json /etc/\nRUN chmod +x /hello.wasm\nEXPOSE 8080\nENTRYPOINT ["/hello.wasm"]\n',
      ),
    );
    const file = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(file);
    const all = await waitFor('three diagnostics', () => {
      const d = vscode.languages.getDiagnostics(uri);
      return d.length >= 3 ? d : undefined;
    });
    assert.deepEqual(all.map((d) => d.code).sort(), [
      'expose-preview1',
      'missing-source',
      'unsupported-in-wasm',
    ]);
    const run = all.find((d) => d.code === 'unsupported-in-wasm')!;
    assert.equal(run.range.start.line, 3);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      run.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const remove = actions.find((a) => a.title === 'Remove RUN');
    assert.ok(remove?.edit, actions.map((a) => a.title).join(', '));
    assert.ok(await vscode.workspace.applyEdit(remove.edit));
    assert.doesNotMatch(file.getText(), /RUN/);
    await file.save();
    await waitFor('the RUN diagnostic to clear', () =>
      vscode.languages.getDiagnostics(uri).some((d) => d.code === 'unsupported-in-wasm')
        ? undefined
        : true,
    );
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      uri,
    );
    assert.deepEqual(
      lenses.map((l) => l.command?.title),
      [
        '$(package) Build',
        '$(play) Run',
        '$(graph) Profile against native',
        '$(graph) Profile across Wasm runtimes',
      ],
    );
    // the lens's argument reaches the command as a Uri: Build builds the image (daemonless here)
    const lens = lenses[0].command!;
    await vscode.workspace.fs.writeFile(
      uri,
      Buffer.from(
        'FROM --platform=wasi/wasm scratch\nCOPY hello.wasm /hello.wasm\nENTRYPOINT ["/hello.wasm"]\n',
      ),
    );
    const built = await vscode.commands.executeCommand<{ status: string; message?: string }>(
      lens.command,
      ...((lens.arguments ?? []) as unknown[]),
    );
    assert.equal(built.status, 'built', built.message);
  });

  it("a .wat file gets wabt's errors at their line, stack-effect hovers and symbols", async () => {
    const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'lsp', 'bad.wat');
    await vscode.workspace.fs.writeFile(
      uri,
      Buffer.from(
        '(module\n  (func $add (param i32 i32) (result i32)\n    local.get 0\n    i64.const 1\n    i32.add))\n',
      ),
    );
    const wat = await vscode.workspace.openTextDocument(uri);
    assert.equal(wat.languageId, 'wat');
    const [error] = await waitFor('a wabt diagnostic', () => {
      const d = vscode.languages.getDiagnostics(uri);
      return d.length ? d : undefined;
    });
    assert.match(error.message, /type mismatch in i32\.add/);
    assert.equal(error.range.start.line, 4);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      uri,
      new vscode.Position(4, 6),
    );
    assert.match(
      hovers
        .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)))
        .join('\n'),
      /\[i32 i32\] → \[i32\]/,
    );
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
      'vscode.executeDocumentSymbolProvider',
      uri,
    );
    assert.deepEqual(
      symbols.map((s) => s.name),
      ['$add'],
    );
    const compiled = await vscode.commands.executeCommand<{ status: string; message?: string }>(
      'wasmContainers.wat.compile',
      uri,
    );
    assert.equal(compiled.status, 'error');
    assert.match(compiled.message ?? '', /type mismatch/);
  });

  it('a file added to the build context clears the diagnostic that named it missing', async () => {
    const dir = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'lsp-context');
    const dockerfile = vscode.Uri.joinPath(dir, 'Dockerfile');
    await vscode.workspace.fs.writeFile(
      dockerfile,
      Buffer.from(
        'FROM --platform=wasi/wasm scratch\nCOPY app.wasm /app.wasm\nENTRYPOINT ["/app.wasm"]\n',
      ),
    );
    const opened = await vscode.workspace.openTextDocument(dockerfile);
    await vscode.window.showTextDocument(opened);
    const missing = () =>
      vscode.languages.getDiagnostics(dockerfile).some((d) => d.code === 'missing-source');
    await waitFor('app.wasm reported missing', () => (missing() ? true : undefined));
    // written on disk, not in an editor: only the file watcher tells the server
    await vscode.workspace.fs.copy(
      vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'hello.wasm'),
      vscode.Uri.joinPath(dir, 'app.wasm'),
    );
    await waitFor('the diagnostic to clear', () => (missing() ? undefined : true));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});

describe('New Wasm Container', () => {
  it('creates the WAT project (no toolchain), whose module runs and whose Dockerfile is clean', async () => {
    const dir = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'scaffolded');
    const created = await vscode.commands.executeCommand<{
      status: string;
      files: string[];
      message?: string;
    }>('wasmContainers.project.new', { template: 'wat', dir: dir.fsPath, name: 'scaffolded' });
    assert.equal(created.status, 'created', created.message);
    assert.ok(
      created.files.includes('scaffolded.wasm') && created.files.includes('Dockerfile.native'),
    );
    const run = await vscode.commands.executeCommand<{
      status: string;
      outcome: { stdout: string; exitCode: number };
    }>('wasmContainers.module.run', vscode.Uri.joinPath(dir, 'scaffolded.wasm'));
    assert.equal(run.outcome.stdout, 'Hello from scaffolded!\n');
    const dockerfile = await vscode.workspace.openTextDocument(
      vscode.Uri.joinPath(dir, 'Dockerfile'),
    );
    await vscode.window.showTextDocument(dockerfile);
    // the server publishes a document's diagnostics before it answers the next request on it:
    // once the lenses are back, an empty list means "nothing to say", not "not analysed yet"
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      dockerfile.uri,
    );
    assert.equal(
      lenses.length,
      4,
      'Build, Run, Profile against native, Profile across Wasm runtimes',
    );
    assert.deepEqual(vscode.languages.getDiagnostics(dockerfile.uri), []);
  });
});
