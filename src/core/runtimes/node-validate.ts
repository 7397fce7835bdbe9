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
    report.message = (e as Error).message.replace(/^WebAssembly\.Module\(\): /, '');
  }
  return report;
}
