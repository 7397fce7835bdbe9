import * as vscode from 'vscode';
import { formatMs } from '../core/format';
import { errorMessage, isCancelled } from '../core/process/errors';
import { TerminalInput } from '../core/process/terminal-input';
import type { RunOutcome, RunSpec, RuntimeAdapter } from '../core/runtimes/types';

/** A terminal writes \r\n; programs print \n. */
const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');

export interface TerminalRun {
  terminal: vscode.Terminal;
  /** Settles when the run ends: the outcome, or undefined if it was cancelled or failed to start. */
  done: Promise<RunOutcome | undefined>;
}

/**
 * Runs one artifact under a runtime in a Pseudoterminal: output streams in, the exit code and duration
 * close it. Closing the terminal cancels the run (the process tree is killed).
 */
export function runInTerminal(
  name: string,
  runtime: RuntimeAdapter,
  spec: RunSpec,
  log: vscode.LogOutputChannel,
): TerminalRun {
  const write = new vscode.EventEmitter<string>();
  const controller = new AbortController();
  // what is typed in the terminal is the module's stdin (line by line, Ctrl-D ends it)
  const input = new TerminalInput(
    (echo) => write.fire(echo),
    () => controller.abort(),
  );
  let resolveDone!: (outcome: RunOutcome | undefined) => void;
  const done = new Promise<RunOutcome | undefined>((r) => (resolveDone = r));

  const start = async () => {
    write.fire(
      `\x1b[2m$ ${runtime.displayName}: ${spec.artifact}${spec.args?.length ? ' ' + spec.args.join(' ') : ''}\x1b[0m\r\n`,
    );
    try {
      const outcome = await runtime.run(spec, {
        signal: controller.signal,
        stdin: input.stream,
        onStdout: (chunk) => write.fire(crlf(chunk.toString('utf8'))),
        onStderr: (chunk) => write.fire(`\x1b[31m${crlf(chunk.toString('utf8'))}\x1b[0m`),
      });
      const status =
        outcome.exitCode === null ? `killed by ${outcome.signal}` : `exit code ${outcome.exitCode}`;
      const colour = outcome.exitCode === 0 ? '32' : '31';
      write.fire(
        `\r\n\x1b[${colour}m[${status} · ${formatMs(outcome.durationMs)} · ${runtime.id}]\x1b[0m\r\n`,
      );
      log.info(
        `${spec.artifact} under ${runtime.id}: ${status} in ${formatMs(outcome.durationMs)}`,
      );
      resolveDone(outcome);
    } catch (e) {
      if (isCancelled(e)) {
        log.info(`${spec.artifact} under ${runtime.id}: cancelled`);
      } else {
        write.fire(`\r\n\x1b[31m${crlf(errorMessage(e))}\x1b[0m\r\n`);
        log.error(`${spec.artifact} under ${runtime.id}: ${errorMessage(e)}`);
      }
      resolveDone(undefined);
    } finally {
      input.end();
    }
  };

  const pty: vscode.Pseudoterminal = {
    onDidWrite: write.event,
    open: () => void start(),
    handleInput: (data) => input.write(data),
    close: () => {
      input.end();
      controller.abort();
    },
  };
  const terminal = vscode.window.createTerminal({
    name,
    pty,
    iconPath: new vscode.ThemeIcon('run'),
  });
  return { terminal, done };
}
