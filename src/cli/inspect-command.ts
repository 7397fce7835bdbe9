import { existsSync, readFileSync } from 'node:fs';
import { inspectFile } from '../core/wasm/inspect';
import { renderInspectText } from '../core/wasm/inspect-text';
import { findFunction } from '../core/wasm/find-function';
import { functionWat } from '../core/wasm/wat';
import type { InspectArgs } from './args';

/** Exit codes: 0 decoded cleanly, 1 decoded with problems (printed with their offsets), 2 usage. */
export function inspectCommand(args: InspectArgs): number {
  if (!existsSync(args.file)) throw new Error(`${args.file}: no such file`);
  const report = inspectFile(args.file, { scanCode: args.scan && !args.wat });
  if (args.wat !== undefined) {
    const binary = report.binary;
    if (!binary) throw new Error(`${args.file}: ${report.problems[0]?.message ?? 'not decoded'}`);
    const { module, index } = findFunction(binary, args.wat);
    process.stdout.write(functionWat(readFileSync(args.file), module, index).text + '\n');
    return 0;
  }
  process.stdout.write(
    args.json ? JSON.stringify(report, null, 2) + '\n' : renderInspectText(report),
  );
  return report.problems.length ? 1 : 0;
}
