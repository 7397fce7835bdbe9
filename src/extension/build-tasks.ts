/**
 * Build tasks for template projects, provided by the extension (type "wasm-containers"): found in
 * any folder of the workspace, run in process (no CLI needed), output in the task's terminal.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import {
  buildProject,
  describeBuild,
  detectProject,
  type BuildStep,
  type Project,
} from '../core/project-build';

export const TASK_TYPE = 'wasm-containers';

interface BuildTaskDefinition extends vscode.TaskDefinition {
  type: typeof TASK_TYPE;
  /** The project folder, relative to the workspace folder. */
  project: string;
  /** Only the module or only the native twin; both when absent. */
  step?: BuildStep['kind'];
}

/** A terminal that runs the build and shows what each step printed; closing it cancels. */
function buildTerminal(
  project: Project,
  only: BuildStep['kind'] | undefined,
  log: vscode.LogOutputChannel,
): vscode.Pseudoterminal {
  const write = new vscode.EventEmitter<string>();
  const close = new vscode.EventEmitter<number>();
  const controller = new AbortController();
  const out = (text: string) => write.fire(text.replace(/\r?\n/g, '\r\n'));
  return {
    onDidWrite: write.event,
    onDidClose: close.event,
    open: () => {
      void buildProject(project, { only, signal: controller.signal, onOutput: out }).then(
        (outcomes) => {
          const summary = describeBuild(project, outcomes);
          out(`\n${summary.text}\n`);
          log.info(`build task ${project.name}: ${summary.text}`);
          notify(summary);
          close.fire(summary.ok ? 0 : 1);
        },
      );
    },
    close: () => controller.abort(),
  };
}

/** Every build ends with a notification (the terminal may be hidden). */
export function notify(summary: { ok: boolean; text: string }): void {
  if (summary.ok) void vscode.window.showInformationMessage(summary.text);
  else void vscode.window.showWarningMessage(summary.text);
}

function taskFor(
  folder: vscode.WorkspaceFolder,
  project: Project,
  only: BuildStep['kind'] | undefined,
  log: vscode.LogOutputChannel,
  definition?: BuildTaskDefinition,
): vscode.Task {
  const rel = path.relative(folder.uri.fsPath, project.dir) || '.';
  const def: BuildTaskDefinition = definition ?? {
    type: TASK_TYPE,
    project: rel,
    ...(only ? { step: only } : {}),
  };
  const what =
    only === 'module'
      ? `${project.name}.wasm`
      : only === 'native'
        ? `${project.name} (native twin)`
        : project.name;
  const task = new vscode.Task(
    def,
    folder,
    `build ${what}`,
    'Wasm Containers',
    new vscode.CustomExecution(() => Promise.resolve(buildTerminal(project, only, log))),
  );
  task.detail = only
    ? `${rel}: the ${only === 'module' ? 'Wasm module' : 'native twin'} only`
    : `${rel}: the Wasm module and its native twin (${project.template} template)`;
  if (!only) task.group = vscode.TaskGroup.Build;
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, clear: true };
  return task;
}

/** The template projects of the workspace: folders whose Dockerfile copies a module built here. */
async function findProjects(): Promise<
  Array<{ folder: vscode.WorkspaceFolder; project: Project }>
> {
  const dockerfiles = await vscode.workspace.findFiles(
    '**/Dockerfile',
    '**/{node_modules,target,.git}/**',
    200,
  );
  const found: Array<{ folder: vscode.WorkspaceFolder; project: Project }> = [];
  for (const file of dockerfiles) {
    const folder = vscode.workspace.getWorkspaceFolder(file);
    const project = detectProject(path.dirname(file.fsPath));
    if (folder && project) found.push({ folder, project });
  }
  return found;
}

export function registerBuildTasks(log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.tasks.registerTaskProvider(TASK_TYPE, {
    provideTasks: async () =>
      (await findProjects()).flatMap(({ folder, project }) =>
        [undefined, 'module' as const, 'native' as const].map((only) =>
          taskFor(folder, project, only, log),
        ),
      ),
    // a task written in tasks.json: find its project and give it an execution
    resolveTask: (task) => {
      const def = task.definition as BuildTaskDefinition;
      const folder =
        task.scope && typeof task.scope === 'object'
          ? task.scope
          : vscode.workspace.workspaceFolders?.[0];
      if (!folder || typeof def.project !== 'string') return undefined;
      const project = detectProject(path.resolve(folder.uri.fsPath, def.project));
      return project ? taskFor(folder, project, def.step, log, def) : undefined;
    },
  });
}
