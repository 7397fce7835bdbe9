import path from 'node:path';
import * as vscode from 'vscode';
import { buildProject, describeBuild, detectProject, watOutput } from '../../core/project-build';
import { createProject, NAME_PATTERN, TEMPLATES } from '../../core/scaffold';
import { watToWasm } from '../../core/wasm/wabt';
import { notify } from '../build-tasks';
import type { CommandContext } from '../command-context';

export interface NewProjectOptions {
  template?: string;
  /** The project folder (created; must be absent or empty). */
  dir?: string;
  name?: string;
}

/**
 * "New Wasm Container…": a ready project from a template (C, Rust, TinyGo, WAT) with a Wasm
 * Dockerfile, its native counterpart and build tasks. Options skip the questions (tests, scripts).
 */
export async function newProjectCommand(
  ctx: CommandContext,
  options: NewProjectOptions = {},
): Promise<{ status: 'created'; dir: string; files: string[] } | { status: 'cancelled' }> {
  const template =
    options.template ??
    (
      await vscode.window.showQuickPick(
        TEMPLATES.map((t) => ({
          label: t.label,
          description: t.description,
          detail: `Needs ${t.needs}`,
          id: t.id,
        })),
        { title: 'New Wasm Container: which language?' },
      )
    )?.id;
  if (!template) return { status: 'cancelled' };
  const name =
    options.name ??
    (await vscode.window.showInputBox({
      title: 'New Wasm Container: name',
      value: `hello-${template}`,
      validateInput: (v) =>
        NAME_PATTERN.test(v)
          ? undefined
          : 'lowercase letters, digits and -, starting with a letter',
    }));
  if (!name) return { status: 'cancelled' };
  let dir = options.dir;
  if (!dir) {
    const parent = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      title: `Where to create ${name}/`,
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      openLabel: 'Create here',
    });
    if (!parent?.[0]) return { status: 'cancelled' };
    dir = path.join(parent[0].fsPath, name);
  }
  const created = createProject(template, dir, name);
  ctx.log.info(`created ${dir} from the ${template} template: ${created.join(', ')}`);
  const files = [...created, ...(await buildNewProject(ctx, dir))].sort();
  if (!options.dir) {
    const inWorkspace = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(dir));
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(dir, 'README.md')));
    if (
      !inWorkspace &&
      (await vscode.window.showInformationMessage(`Created ${name}.`, 'Open Folder')) ===
        'Open Folder'
    ) {
      await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(dir), {
        forceNewWindow: true,
      });
    }
  }
  return { status: 'created', dir, files };
}

/**
 * Builds the module and the native twin right after creation, under cancellable progress, and says
 * plainly what is missing. Returns the files it built.
 */
async function buildNewProject(ctx: CommandContext, dir: string): Promise<string[]> {
  const project = detectProject(dir);
  if (!project) return [];
  const outcomes = await ctx.withProgress(`Building ${project.name}`, (report, signal) =>
    buildProject(project, {
      signal,
      onOutput: (text) => {
        for (const line of text.split('\n').filter(Boolean)) ctx.log.info(line);
        if (text.startsWith('$ ') || text.startsWith('compiling')) report(text.trim());
      },
    }),
  );
  notify(describeBuild(project, outcomes));
  return outcomes.filter((o) => o.status === 'built').map((o) => o.step.output);
}

/**
 * "Compile WAT to Wasm": the .wat (active or right-clicked) with wabt.js, into the module the
 * project's Dockerfile copies (a WAT project's main.wat → NAME.wasm) or the .wasm beside it.
 */
export async function compileWatCommand(
  ctx: CommandContext,
  uri?: vscode.Uri,
): Promise<{ status: 'compiled'; file: string; bytes: number } | { status: 'no-file' }> {
  const source = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
  if (!source?.path.endsWith('.wat')) {
    void vscode.window.showInformationMessage(
      'Compile WAT to Wasm: open or right-click a .wat file.',
    );
    return { status: 'no-file' };
  }
  const target = vscode.Uri.file(watOutput(source.fsPath));
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(source));
  const binary = await watToWasm(text, path.basename(source.fsPath));
  await vscode.workspace.fs.writeFile(target, binary);
  ctx.log.info(`compiled ${source.fsPath} → ${target.fsPath} (${binary.length} bytes)`);
  void vscode.window
    .showInformationMessage(
      `Compiled ${path.basename(source.fsPath)} → ${path.basename(target.fsPath)} (${binary.length} bytes).`,
      'Inspect',
    )
    .then((choice) =>
      choice ? vscode.commands.executeCommand('wasmContainers.module.inspect', target) : undefined,
    );
  return { status: 'compiled', file: target.fsPath, bytes: binary.length };
}
