import * as vscode from 'vscode';
import { hintsOfError, type Hint } from '../core/hints';
import { errorMessage, isCancelled } from '../core/process/errors';
import { hintActions, hintedMessage, OPEN_SETTINGS } from './hints';

/**
 * The one place commands are registered through (as rust-analyzer's `Ctx.registerCommand` and
 * vscode-containers' `registerCommand`): Restricted Mode gating, cancellation, the failure path
 * (one log line with the stack, one notification with a Show Log action), the log channel and the
 * settings listeners live here, so that a command is only what it does.
 */

/** What a command answers when it did not do its work; callers and tests read `status`. */
export type CommandRefusal =
  | { status: 'untrusted'; message: string }
  | { status: 'cancelled'; message?: string }
  | { status: 'error'; message: string; hints?: Hint[] };

export interface CommandOptions {
  /**
   * The command executes something from the workspace (a module, a native binary, an engine
   * build): in Restricted Mode it answers 'untrusted' and says why. The words name the action,
   * e.g. "Profiling".
   */
  executes?: string;
}

/** How a long task tells the notification where it is. */
export type ProgressReport = (message: string, increment?: number) => void;

const PREFIX = 'wasmContainers.';

/** A Markdown tooltip of `lines` whose only command links open settings (hintMarkdown's links). */
export function settingsTooltip(lines: readonly string[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString(lines.join('\n\n'));
  md.isTrusted = { enabledCommands: [OPEN_SETTINGS] };
  return md;
}

/**
 * A notification that words `hints` after `message` and offers a button per setting they name
 * (the button opens it), then the caller's `extra` buttons: resolves to the extra one chosen.
 */
export async function notifyWithHints(
  level: 'error' | 'warning',
  message: string,
  hints: readonly Hint[],
  extra: readonly string[] = [],
): Promise<string | undefined> {
  const actions = hintActions(hints);
  const text = hintedMessage(message, hints);
  const buttons = [...actions.map((a) => a.title), ...extra];
  const choice =
    level === 'error'
      ? await vscode.window.showErrorMessage(text, ...buttons)
      : await vscode.window.showWarningMessage(text, ...buttons);
  const action = actions.find((a) => a.title === choice);
  if (!action) return choice;
  await vscode.commands.executeCommand(action.command, ...action.arguments);
  return undefined;
}

export class CommandContext {
  readonly log: vscode.LogOutputChannel;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.log = vscode.window.createOutputChannel('Wasm Containers', { log: true });
    extension.subscriptions.push(this.log);
  }

  /** Per-workspace memory (the last runtime chosen, approved executables). */
  get workspaceState(): vscode.Memento {
    return this.extension.workspaceState;
  }

  /** Keeps `disposable` until the extension is deactivated. */
  keep<T extends vscode.Disposable>(disposable: T): T {
    this.extension.subscriptions.push(disposable);
    return disposable;
  }

  /**
   * Registers `wasmContainers.<name>`. The handler's own answers pass through; what it throws is
   * reported once and answered as {status: 'error'} (or 'cancelled' for a cancellation).
   */
  register<A extends unknown[], R>(
    name: string,
    handler: (...args: A) => R | Thenable<R>,
    options: CommandOptions = {},
  ): void {
    const id = PREFIX + name;
    const title = this.titleOf(id);
    this.keep(
      vscode.commands.registerCommand(id, async (...args: A): Promise<R | CommandRefusal> => {
        if (options.executes && !vscode.workspace.isTrusted)
          return this.untrusted(options.executes);
        try {
          return await handler(...args);
        } catch (e) {
          return this.fail(title, e);
        }
      }),
    );
  }

  /**
   * A failure, said once: in the log with its stack, in a notification whose Show Log button opens
   * the log. A cancellation is logged, not shown.
   */
  fail(what: string, e: unknown): CommandRefusal {
    if (isCancelled(e)) {
      this.log.info(`${what}: cancelled`);
      return { status: 'cancelled' };
    }
    const message = errorMessage(e);
    const hints = hintsOfError(e);
    this.log.error(`${what} failed: ${e instanceof Error && e.stack ? e.stack : message}`);
    // a notification is one paragraph: the rest of a long message (wabt's listing…) is in the log
    this.showError(`${what} failed: ${message.split('\n').slice(0, 2).join(' ')}`, hints);
    return { status: 'error', message, ...(hints.length > 0 ? { hints: [...hints] } : {}) };
  }

  /** An error notification with a button per hint (opening its setting) and a Show Log action. */
  showError(message: string, hints: readonly Hint[] = []): void {
    void notifyWithHints('error', message, hints, ['Show Log']).then((choice) => {
      if (choice) this.log.show(true);
    });
  }

  /**
   * `task` under a cancellable notification: `signal` aborts when the user presses Cancel, and
   * `report` names the current step (with an optional increment of 100).
   */
  withProgress<T>(
    title: string,
    task: (report: ProgressReport, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    return Promise.resolve(
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title, cancellable: true },
        (progress, token) => {
          const controller = new AbortController();
          const cancel = token.onCancellationRequested(() => controller.abort());
          const report: ProgressReport = (message, increment) =>
            progress.report({ message, increment });
          return task(report, controller.signal).finally(() => {
            cancel.dispose();
          });
        },
      ),
    );
  }

  /**
   * Calls `listener` when one of the named wasmContainers.* settings changes, and when the
   * workspace becomes trusted (its restricted settings apply from then on).
   */
  onConfigurationChange(keys: readonly string[], listener: () => void): void {
    this.keep(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (keys.some((key) => e.affectsConfiguration(PREFIX + key))) listener();
      }),
    );
    this.keep(vscode.workspace.onDidGrantWorkspaceTrust(listener));
  }

  private untrusted(action: string): CommandRefusal {
    const message = `${action} is disabled in Restricted Mode: Wasm Containers executes nothing from a folder you have not trusted. Trust the folder to enable it.`;
    this.log.warn(message);
    void vscode.window.showWarningMessage(message, 'Manage Workspace Trust').then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
    });
    return { status: 'untrusted', message };
  }

  /** The command's title as package.json gives it to the palette ("Profile Against Native"). */
  private titleOf(id: string): string {
    const manifest = this.extension.extension.packageJSON as {
      contributes?: { commands?: Array<{ command: string; title: string }> };
    };
    return manifest.contributes?.commands?.find((c) => c.command === id)?.title ?? id;
  }
}
