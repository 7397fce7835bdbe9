import { errorMessage } from '../process/errors';
import type { VerdictContext } from '../wasm/runtime-support';
import { NodeWasiRuntime } from './node-wasi';
import type { CatalogOptions } from './runtime-catalog';
import { wasmCliRuntimes } from './wasm-cli-runtimes';

/**
 * What the verdicts on a module rest on when the real things are at hand: the version of every
 * runtime CLI installed (so that each is judged by the row of its own version), and Node's own
 * answer from the Node that would run the module.
 */
export async function verdictContext(
  file: string,
  options: Pick<CatalogOptions, 'nodePath' | 'paths'> & {
    /** Validate in this process when it is the Node that would run the module (the CLI; never the editor). */
    inProcessNode?: boolean;
  } = {},
  signal?: AbortSignal,
): Promise<VerdictContext & { notes: string[] }> {
  const notes: string[] = [];
  const versions: Record<string, string> = {};
  // the plain CLIs only: their versions (cached answers), no AOT compiler probe
  const clis = wasmCliRuntimes(options).filter((r) => !r.aot);
  const detections = await Promise.all(clis.map((r) => r.detect()));
  clis.forEach((r, i) => {
    const d = detections[i];
    const v = d?.available ? /(\d+\.\d+\.\d+)/.exec(d.version ?? '')?.[1] : undefined;
    if (v) versions[r.id] = v;
  });
  let node;
  try {
    node = await new NodeWasiRuntime({ nodePath: options.nodePath }).probe(file, signal, {
      inProcess: options.inProcessNode,
    });
  } catch (e) {
    notes.push(
      `Node was not asked (${errorMessage(e).split('\n')[0]}): its verdict is from the table`,
    );
  }
  return { versions, ...(node ? { node } : {}), notes };
}
