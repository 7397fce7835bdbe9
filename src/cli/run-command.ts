import { detectRuntimes } from '../core/runtimes/runtime-catalog';
import { isDockerfileName, resolveEntrypoint } from '../core/dockerfile/entrypoint';
import { catalogToJson, renderCatalog } from '../core/runtimes/runtime-report';
import { UsageError, type CliArgs, type RunArgs } from './args';
import { hintLines, runtimePaths } from './hints';
import { runtimeHints } from '../core/hints';
import { installTexts } from '../core/runtimes/runtime-report';
import { cliRuntimes } from './default-runtime';

/** wasm-containers run: the module under a Wasm runtime; exits with its exit code. */
export async function runCommand(opts: RunArgs, signal: AbortSignal): Promise<number> {
  const catalog = await detectRuntimes({ ...runtimePaths(opts.runtimePath), skipEngines: true });
  // without --runtime: the CLI's default (said only when it cannot be used: stderr is the module's)
  const chosen = cliRuntimes(catalog, opts.runtime ? [opts.runtime] : []);
  for (const note of chosen.notes) if (note.startsWith('Note:')) process.stderr.write(note + '\n');
  const id = chosen.ids[0];
  const runtime = catalog.runtimes.find((r) => r.id === id && r.runs === 'wasm');
  if (!runtime) {
    const ids = catalog.runtimes.filter((r) => r.runs === 'wasm').map((r) => r.id);
    throw new UsageError(`unknown Wasm runtime '${id}' (known: ${ids.join(', ')})`);
  }
  if (!runtime.available) {
    const hints = hintLines(runtimeHints(runtime, installTexts()), runtime.reason);
    throw new Error(
      [`${runtime.displayName} is not available: ${runtime.reason}`, ...hints].join('\n  '),
    );
  }
  // a Dockerfile runs what its FROM scratch image would: the module, with the entrypoint's arguments and environment
  let spec = { artifact: opts.module, args: opts.args, dirs: opts.dirs, env: opts.env };
  if (isDockerfileName(opts.module)) {
    const entry = resolveEntrypoint(opts.module);
    if (entry.kind !== 'wasm')
      throw new Error(
        `${opts.module} runs ${entry.guestPath}, a native executable, not a Wasm module.`,
      );
    spec = {
      artifact: entry.artifact,
      args: [...entry.args, ...opts.args],
      dirs: opts.dirs,
      env: { ...entry.env, ...opts.env },
    };
  }
  const outcome = await runtime.adapter.run(spec, {
    signal,
    // the module reads what this command reads: `echo hi | wasm-containers run cat.wasm` prints hi
    stdin: 'inherit',
    onStdout: (c) => process.stdout.write(c),
    onStderr: (c) => process.stderr.write(c),
  });
  return outcome.exitCode ?? 1;
}

/** wasm-containers runtimes: every runtime found, or why it is missing. */
export async function runtimesCommand(
  opts: Extract<CliArgs, { command: 'runtimes' }>,
): Promise<number> {
  const catalog = await detectRuntimes(runtimePaths(opts.runtimePath));
  process.stdout.write(
    (opts.json
      ? JSON.stringify(catalogToJson(catalog), null, 2)
      : renderCatalog(catalog, hintLines)) + '\n',
  );
  return 0;
}
