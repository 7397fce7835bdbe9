import { existsSync, readFileSync, statSync } from 'node:fs';
import { FULL_DECODE_LIMIT, inspectBytes, inspectFile, verdictsFor } from '../core/wasm/inspect';
import { verdictContext } from '../core/runtimes/verdict-context';
import { renderInspectText } from '../core/wasm/inspect-text';
import { findFunction } from '../core/wasm/find-function';
import { functionWat } from '../core/wasm/wat';
import type { InspectArgs } from './args';
import { writeStdout } from './stdio';

/** Exit codes: 0 decoded cleanly, 1 decoded with problems (printed with their offsets), 2 usage. */
export async function inspectCommand(args: InspectArgs): Promise<number> {
  if (!existsSync(args.file)) throw new Error(`${args.file}: no such file`);
  // read once, for the decoder and for V8; a file over the limit gets its layout only (inspectFile)
  const bytes = statSync(args.file).size <= FULL_DECODE_LIMIT ? readFileSync(args.file) : undefined;
  // judged by the runtimes installed here, at their versions, and by the Node that would run it:
  // started first, so that V8 validates the module on its own threads while this one decodes it
  const context =
    bytes && args.wat === undefined
      ? verdictContext(args.file, { inProcessNode: true, bytes })
      : undefined;
  const options = { scanCode: args.scan && args.wat === undefined, file: args.file };
  const report = bytes ? inspectBytes(bytes, options) : inspectFile(args.file, options);
  if (args.wat !== undefined) {
    const binary = report.binary;
    if (!binary || !bytes)
      throw new Error(`${args.file}: ${report.problems[0]?.message ?? 'not decoded'}`);
    const { module, index } = findFunction(binary, args.wat);
    writeStdout(functionWat(bytes, module, index).text + '\n');
    return 0;
  }
  if (report.classification && context)
    report.runtimes = verdictsFor(report.classification, report.codeFeatures, await context);
  writeStdout(args.json ? JSON.stringify(report, null, 2) + '\n' : renderInspectText(report));
  return report.problems.length ? 1 : 0;
}
