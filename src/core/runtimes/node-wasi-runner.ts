/**
 * Runs one WASI preview1 (or wasi_unstable) module under Node's built-in WASI, in its own process (so that the
 * extension host never executes guest code, and so that it can be timed and killed like any runtime).
 *
 *   node --no-warnings node-wasi-runner.js [--dir HOST::GUEST]... [--env K=V]... -- MODULE.wasm [ARGS...]
 *
 * The module's exit code becomes this process's exit code. When the module cannot be run at all
 * the runner prints why on stderr and exits 125 (as `docker run` does for its own failures).
 */
import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';
import { readWasmHeader } from '../wasm/header';
import { describeUnsupportedImports } from './node-wasi-imports';
import { nodeVerdict } from './node-validate';

export const RUNNER_FAILURE_EXIT = 125;

function fail(message: string): never {
  process.stderr.write(`node-wasi: ${message}\n`);
  process.exit(RUNNER_FAILURE_EXIT);
}

function parseArgs(argv: string[]) {
  const preopens: Record<string, string> = {};
  const env: Record<string, string> = {};
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      i++;
      break;
    }
    if (arg === '--dir' && i + 1 < argv.length) {
      const [host, guest] = argv[++i].split('::');
      preopens[guest ?? host] = host;
    } else if (arg === '--env' && i + 1 < argv.length) {
      const kv = argv[++i];
      const eq = kv.indexOf('=');
      if (eq <= 0) fail(`--env expects KEY=VALUE, got '${kv}'`);
      env[kv.slice(0, eq)] = kv.slice(eq + 1);
    } else {
      break;
    }
  }
  const modulePath = argv[i];
  if (!modulePath)
    fail('usage: node-wasi-runner [--dir HOST::GUEST]... [--env K=V]... -- MODULE.wasm [ARGS...]');
  return { preopens, env, modulePath, args: argv.slice(i + 1) };
}

/**
 * The WASI snapshot the module imports: Node names the import object after it (preview1 →
 * wasi_snapshot_preview1, unstable → wasi_unstable, the snapshot-0 ABI of early toolchains).
 */
function wasiVersionOf(
  imports: WebAssembly.ModuleImportDescriptor[],
  modulePath: string,
): 'preview1' | 'unstable' {
  const modules = new Set(imports.map((i) => i.module));
  if (modules.has('wasi_unstable') && modules.has('wasi_snapshot_preview1'))
    fail(
      `${modulePath} imports both wasi_unstable and wasi_snapshot_preview1: one WASI instance provides one snapshot, and two would not share file descriptors.`,
    );
  return modules.has('wasi_unstable') ? 'unstable' : 'preview1';
}

/**
 * `--validate FILE`: this Node's own verdict on the module, as one line of JSON — whether its V8
 * compiles it, and V8's message when not (which names the flag a proposal would need). The
 * inspector asks the Node that will run the module, not the one the editor runs on.
 */
function validate(file: string): void {
  const report = nodeVerdict(readFileSync(file));
  process.stdout.write(JSON.stringify(report) + '\n');
}

function main(): void {
  if (process.argv[2] === '--validate' && process.argv[3]) return validate(process.argv[3]);
  const { preopens, env, modulePath, args } = parseArgs(process.argv.slice(2));
  let bytes: Buffer;
  try {
    bytes = readFileSync(modulePath);
  } catch (e) {
    fail(`cannot read ${modulePath}: ${(e as Error).message}`);
  }
  let header;
  try {
    header = readWasmHeader(bytes);
  } catch (e) {
    fail(`${modulePath}: ${(e as Error).message}`);
  }
  if (header.kind === 'component') {
    fail(
      `${modulePath} is a WebAssembly component (WASI preview2); Node's WASI runs preview1 core modules only. Run it with wasmtime, or pick another runtime.`,
    );
  }
  let module: WebAssembly.Module;
  try {
    // readFileSync never returns a SharedArrayBuffer-backed Buffer
    module = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
  } catch (e) {
    fail(`${modulePath} does not compile: ${(e as Error).message}`);
  }
  const imports = WebAssembly.Module.imports(module);
  const unsupported = describeUnsupportedImports(imports);
  if (unsupported) fail(`${modulePath} ${unsupported}`);
  const wasi = new WASI({
    version: wasiVersionOf(imports, modulePath),
    args: [modulePath, ...args],
    env,
    preopens,
    returnOnExit: true,
  });
  let instance: WebAssembly.Instance;
  try {
    instance = new WebAssembly.Instance(module, wasi.getImportObject() as WebAssembly.Imports);
  } catch (e) {
    fail(`${modulePath} cannot be instantiated under Node's WASI: ${(e as Error).message}`);
  }
  const exports = WebAssembly.Module.exports(module).map((e) => e.name);
  if (!exports.includes('_start')) {
    fail(
      `${modulePath} exports no _start function: it is a library (reactor) module, not a command. Exports: ${exports.slice(0, 10).join(', ')}`,
    );
  }
  // Without assigning the result, the module's exit status is lost.
  process.exitCode = wasi.start(instance);
}

main();
