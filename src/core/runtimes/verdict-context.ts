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
    /** The file's bytes, when the caller has read them: V8 starts on them before this returns. */
    bytes?: Uint8Array;
  } = {},
  signal?: AbortSignal,
): Promise<VerdictContext & { notes: string[] }> {
  const notes: string[] = [];
  const versions: Record<string, string> = {};
  // Node's verdict first: in process it runs on V8's threads while the versions are read (and
  // while the caller decodes the module, if it has not awaited this yet)
  const nodeProbe = new NodeWasiRuntime({ nodePath: options.nodePath }).probe(file, signal, {
    inProcess: options.inProcessNode,
    bytes: options.bytes,
  });
  // handled below, after the versions: never an unhandled rejection meanwhile
  nodeProbe.catch(() => undefined);
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
    node = await nodeProbe;
  } catch (e) {
    notes.push(
      `Node was not asked (${errorMessage(e).split('\n')[0]}): its verdict is from the table`,
    );
  }
  return { versions, ...(node ? { node } : {}), notes };
}
