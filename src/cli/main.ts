import { detectRuntimes } from '../core/runtimes/runtime-catalog';
import { isDockerfileName, resolveEntrypoint } from '../core/dockerfile/entrypoint';
import { catalogToJson, renderCatalog } from '../core/runtimes/runtime-report';
import { errorMessage } from '../core/process/errors';
import { TOOL_VERSION } from '../core/version';
import { parseCli, USAGE, UsageError, type RunArgs } from './args';
import { initCommand, profileCommand } from './profile-command';
import { buildCommand } from './build-command';
import { inspectCommand } from './inspect-command';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createProject } from '../core/scaffold';
import { buildProject, describeBuild, detectProject } from '../core/project-build';
import { watToWasm } from '../core/wasm/wabt';
import { writeFileAtomic } from '../core/atomic-write';
import { validateBinary } from '../core/wasm/validate-binary';

async function run(opts: RunArgs, signal: AbortSignal): Promise<number> {
  const catalog = await detectRuntimes({ skipEngines: true });
  const runtime = catalog.runtimes.find((r) => r.id === opts.runtime && r.runs === 'wasm');
  if (!runtime) {
    const ids = catalog.runtimes.filter((r) => r.runs === 'wasm').map((r) => r.id);
    throw new UsageError(`unknown Wasm runtime '${opts.runtime}' (known: ${ids.join(', ')})`);
  }
  if (!runtime.available)
    throw new Error(`${runtime.displayName} is not available: ${runtime.reason}`);
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

async function runtimes(json: boolean): Promise<number> {
  const catalog = await detectRuntimes();
  process.stdout.write(
    (json ? JSON.stringify(catalogToJson(catalog), null, 2) : renderCatalog(catalog)) + '\n',
  );
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigint);
  try {
    const cli = parseCli(argv);
    switch (cli.command) {
      case 'help':
        process.stdout.write(USAGE + '\n');
        return 0;
      case 'version':
        process.stdout.write(`wasm-containers ${TOOL_VERSION}\n`);
        return 0;
      case 'run':
        return await run(cli, controller.signal);
      case 'build':
        return await buildCommand(cli, controller.signal);
      case 'inspect':
        return await inspectCommand(cli);
      case 'new': {
        const files = createProject(cli.template, cli.dir, cli.name);
        process.stdout.write(`Created ${cli.dir} (${cli.template}): ${files.join(', ')}\n`);
        const project = detectProject(cli.dir);
        if (project) {
          const outcomes = await buildProject(project, {
            signal: controller.signal,
            onOutput: (text) => process.stderr.write(text),
          });
          process.stdout.write(`${describeBuild(project, outcomes).text}\n`);
        }
        return 0;
      }
      case 'wat2wasm': {
        const binary = await watToWasm(readFileSync(cli.input, 'utf8'), path.basename(cli.input));
        writeFileAtomic(cli.output, Buffer.from(binary));
        process.stdout.write(`${cli.output}: ${binary.length} bytes\n`);
        return 0;
      }
      case 'validate': {
        const v = validateBinary(readFileSync(cli.file));
        process.stdout.write(
          cli.json
            ? JSON.stringify(v, null, 2) + '\n'
            : `${cli.file}: ${
                v.valid
                  ? `valid (${v.checked === 'full' ? 'every rule checked' : 'no problem found; parts were only decoded'})`
                  : `invalid at byte offset ${v.error!.offset} (0x${v.error!.offset.toString(16)}): ${v.error!.message}`
              }\n${v.notes.map((n) => `  note: ${n}\n`).join('')}  proposals accepted (this V8's): ${v.features.join(', ')}\n`,
        );
        return v.valid ? 0 : 1;
      }
      case 'runtimes':
        return await runtimes(cli.json);
      case 'profile':
        return await profileCommand(cli, controller.signal);
      case 'init':
        return initCommand(cli.dir);
    }
  } catch (e) {
    if (e instanceof UsageError) {
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
  // exit explicitly: an engine's keep-alive sockets must not hold the command open. Only after
  // stdout and stderr are flushed: a pipe takes 64 KiB at once, and process.exit drops the rest.
  void main(process.argv.slice(2)).then(async (code) => {
    await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
    process.exit(code);
  });
}
