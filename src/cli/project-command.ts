import { readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../core/atomic-write';
import { createProject } from '../core/scaffold';
import { buildProject, describeBuild, detectProject } from '../core/project-build';
import { watToWasm } from '../core/wasm/wabt';
import type { NewArgs, Wat2WasmArgs } from './args';

/** wasm-containers new TEMPLATE DIR: the project, then its first build where a toolchain is at hand. */
export async function newCommand(cli: NewArgs, signal: AbortSignal): Promise<number> {
  const files = createProject(cli.template, cli.dir, cli.name);
  process.stdout.write(`Created ${cli.dir} (${cli.template}): ${files.join(', ')}\n`);
  const project = detectProject(cli.dir);
  if (project) {
    const outcomes = await buildProject(project, {
      signal,
      onOutput: (text) => process.stderr.write(text),
    });
    process.stdout.write(`${describeBuild(project, outcomes).text}\n`);
  }
  return 0;
}

/** wasm-containers wat2wasm IN.wat [OUT.wasm] */
export async function wat2wasmCommand(cli: Wat2WasmArgs): Promise<number> {
  const binary = await watToWasm(readFileSync(cli.input, 'utf8'), path.basename(cli.input));
  writeFileAtomic(cli.output, Buffer.from(binary));
  process.stdout.write(`${cli.output}: ${binary.length} bytes\n`);
  return 0;
}
