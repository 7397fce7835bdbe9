import { existsSync, readFileSync } from 'node:fs';
import { inspectFile, verdictsFor } from '../core/wasm/inspect';
import { verdictContext } from '../core/runtimes/verdict-context';
import { renderInspectText } from '../core/wasm/inspect-text';
import { findFunction } from '../core/wasm/find-function';
import { functionWat } from '../core/wasm/wat';
import type { InspectArgs } from './args';

/** Exit codes: 0 decoded cleanly, 1 decoded with problems (printed with their offsets), 2 usage. */
export async function inspectCommand(args: InspectArgs): Promise<number> {
  if (!existsSync(args.file)) throw new Error(`${args.file}: no such file`);
  const report = inspectFile(args.file, { scanCode: args.scan && !args.wat });
  if (args.wat !== undefined) {
    const binary = report.binary;
    if (!binary) throw new Error(`${args.file}: ${report.problems[0]?.message ?? 'not decoded'}`);
    const { module, index } = findFunction(binary, args.wat);
    process.stdout.write(functionWat(readFileSync(args.file), module, index).text + '\n');
    return 0;
  }
  if (report.classification) {
    // judged by the runtimes installed here, at their versions, and by the Node that would run it
    const context = await verdictContext(args.file, { inProcessNode: true });
    report.runtimes = verdictsFor(report.classification, report.codeFeatures, context);
  }
  process.stdout.write(
    args.json ? JSON.stringify(report, null, 2) + '\n' : renderInspectText(report),
  );
  return report.problems.length ? 1 : 0;
}
