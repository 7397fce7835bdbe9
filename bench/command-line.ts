// Prints, as JSON, the exact command line a process runtime of the catalog runs for a module, so
// that a reference tool can time the very same command (bench/fidelity.mjs, bench/runtimes.mjs).
// An ahead-of-time runtime compiles first (once per module, cached), as a profile does.
//   node --import tsx bench/command-line.ts RUNTIME_ID ARTIFACT
import { detectRuntimes } from '../src/core/runtimes/runtime-catalog';
import { isProcessRuntime } from '../src/core/runtimes/types';

async function main() {
  const [id, artifact] = process.argv.slice(2);
  const catalog = await detectRuntimes({ skipEngines: true });
  const runtime = catalog.runtimes.find((r) => r.id === id);
  if (!runtime?.available || !isProcessRuntime(runtime.adapter)) {
    console.log(JSON.stringify({ missing: runtime?.reason ?? `${id} is not in the catalog` }));
    return;
  }
  const spec = runtime.adapter.prepare
    ? await runtime.adapter.prepare({ artifact }, {})
    : { artifact };
  const cmd = runtime.adapter.commandLine(spec);
  console.log(JSON.stringify({ argv: [cmd.file, ...cmd.args] }));
}
void main();
