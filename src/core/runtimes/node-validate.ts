import type { NodeProbe } from '../wasm/runtime-support';

/**
 * This Node's own verdict on a module: whether its V8 compiles it, and V8's message when not
 * (which names the flag a proposal would need). WebAssembly.validate first: it generates no code,
 * so a valid 14 MB module is judged in a fraction of a compile's time and memory; only a module it
 * rejects is compiled, for the message.
 */
export function nodeVerdict(bytes: Uint8Array<ArrayBuffer>): NodeProbe {
  const report: NodeProbe = { node: process.versions.node, valid: false };
  if (WebAssembly.validate(bytes)) {
    report.valid = true;
    return report;
  }
  try {
    new WebAssembly.Module(bytes);
    report.valid = true;
  } catch (e) {
    report.message = compileMessage(e);
  }
  return report;
}

/**
 * The same verdict from V8's asynchronous compile, for the Node running this code (≥ 20, where V8
 * compiles Wasm lazily: the compile validates every function, on V8's background threads, and
 * generates no code). This thread only copies the bytes (~10 ms for 12 MB) and is free meanwhile:
 * the CLI's inspect decodes and scans the module while V8 validates it (a 12 MB module:
 * WebAssembly.validate is 55–110 ms of this thread otherwise).
 */
export async function nodeVerdictInBackground(bytes: Uint8Array): Promise<NodeProbe> {
  const report: NodeProbe = { node: process.versions.node, valid: false };
  try {
    await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
    report.valid = true;
  } catch (e) {
    report.message = compileMessage(e);
  }
  return report;
}

const compileMessage = (e: unknown) =>
  (e as Error).message.replace(/^WebAssembly\.(Module|compile)\(\): /, '');
