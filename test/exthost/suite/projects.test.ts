// Template projects in the real extension host: the extension's task provider finds them in any
// folder of the workspace and builds them in process; Compile WAT writes the module the project's
// Dockerfile copies.
import * as assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import * as vscode from 'vscode';

const folder = () => vscode.workspace.workspaceFolders![0].uri;

/** Runs a task and resolves once it has ended (a custom execution has no process to wait for). */
function runTask(task: vscode.Task): Promise<void> {
  return new Promise((resolve, reject) => {
    const ended = vscode.tasks.onDidEndTask((e) => {
      if (e.execution.task.name !== task.name) return;
      ended.dispose();
      resolve();
    });
    vscode.tasks.executeTask(task).then(undefined, reject);
  });
}

describe('template projects and their build tasks', () => {
  it('the task provider finds a project in a nested folder and its build task builds both artifacts', async () => {
    const dir = vscode.Uri.joinPath(folder(), 'nested', 'deeper', 'tasks-demo');
    const created = await vscode.commands.executeCommand<{ status: string; message?: string }>(
      'wasmContainers.project.new',
      { template: 'wat', dir: dir.fsPath, name: 'tasks-demo' },
    );
    assert.equal(created.status, 'created', created.message);
    rmSync(vscode.Uri.joinPath(dir, 'tasks-demo.wasm').fsPath, { force: true });
    const tasks = await vscode.tasks.fetchTasks({ type: 'wasm-containers' });
    const names = tasks.map((t) => t.name);
    for (const name of [
      'build tasks-demo',
      'build tasks-demo.wasm',
      'build tasks-demo (native twin)',
    ])
      assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
    const build = tasks.find((t) => t.name === 'build tasks-demo')!;
    assert.equal(build.group?.id, vscode.TaskGroup.Build.id);
    assert.equal(build.source, 'Wasm Containers');
    assert.equal((build.definition as { project?: string }).project, 'nested/deeper/tasks-demo');
    await runTask(build);
    assert.ok(
      existsSync(vscode.Uri.joinPath(dir, 'tasks-demo.wasm').fsPath),
      'the module was built',
    );
  });

  it("Compile WAT to Wasm writes the module the project's Dockerfile copies", async () => {
    const dir = vscode.Uri.joinPath(folder(), 'compile-demo');
    await vscode.commands.executeCommand('wasmContainers.project.new', {
      template: 'wat',
      dir: dir.fsPath,
      name: 'compile-demo',
    });
    rmSync(vscode.Uri.joinPath(dir, 'compile-demo.wasm').fsPath, { force: true });
    const compiled = await vscode.commands.executeCommand<{ status: string; file?: string }>(
      'wasmContainers.wat.compile',
      vscode.Uri.joinPath(dir, 'main.wat'),
    );
    assert.equal(compiled.status, 'compiled');
    assert.equal(compiled.file, vscode.Uri.joinPath(dir, 'compile-demo.wasm').fsPath);
    assert.ok(!existsSync(vscode.Uri.joinPath(dir, 'main.wasm').fsPath), 'no main.wasm beside it');
  });
});
