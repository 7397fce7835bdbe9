import { errorMessage } from '../core/process/errors';
import { TOOL_VERSION } from '../core/version';
import { isUsageError, parseCli, USAGE } from './args';
import { saveCodeCaches } from './code-cache';
import { watchStdio, writeStdout } from './stdio';

// Each command is imported when it runs: the build makes every one a bundle of its own
// (dist/cli-*.js, loaded with V8's code cache by ./code-cache), so `inspect` never loads the
// engines' clients and `--version` loads nothing.

export async function main(argv: string[]): Promise<number> {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigint);
  try {
    const cli = parseCli(argv);
    switch (cli.command) {
      case 'help':
        writeStdout(USAGE + '\n');
        return 0;
      case 'version':
        writeStdout(`wasm-containers ${TOOL_VERSION}\n`);
        return 0;
      case 'run':
        return await (await import('./run-command')).runCommand(cli, controller.signal);
      case 'runtimes':
        return await (await import('./run-command')).runtimesCommand(cli);
      case 'build':
        return await (await import('./build-command')).buildCommand(cli, controller.signal);
      case 'inspect':
        return await (await import('./inspect-command')).inspectCommand(cli);
      case 'new':
        return await (await import('./project-command')).newCommand(cli, controller.signal);
      case 'wat2wasm':
        return await (await import('./project-command')).wat2wasmCommand(cli);
      case 'validate':
        return (await import('./validate-command')).validateCommand(cli);
      case 'profile':
        return await (await import('./profile-command')).profileCommand(cli, controller.signal);
      case 'init':
        return await (await import('./profile-command')).initCommand(cli.dir);
    }
  } catch (e) {
    if (isUsageError(e)) {
      process.stderr.write(`wasm-containers: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`wasm-containers: ${errorMessage(e)}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}

/** Resolves once everything written to the stream so far has been handed to the OS. */
const flushed = (stream: NodeJS.WriteStream) =>
  new Promise<void>((resolve) => stream.write('', () => resolve()));

if (require.main === module) {
  const createdStdio = watchStdio();
  // exit explicitly: an engine's keep-alive sockets must not hold the command open. Only after
  // the streams the command used are flushed: a pipe takes 64 KiB at once, and process.exit
  // drops the rest.
  void main(process.argv.slice(2)).then(async (code) => {
    saveCodeCaches();
    await Promise.all(createdStdio().map(flushed));
    process.exit(code);
  });
}
