// A worker thread that validates a module — with this project's validator (the rules V8 applies,
// with the proposals of the V8 it runs on) and with wabt.js beside it — off the extension host's
// thread: a 10 MB module takes over a second of synchronous work.
import { parentPort } from 'node:worker_threads';
import { validateBinary } from './validate-binary';
import { validateWithWabt } from './wabt';

parentPort?.on('message', (bytes: Uint8Array) => {
  const ours = validateBinary(bytes);
  void validateWithWabt(bytes).then(
    (wabt) => parentPort!.postMessage({ ...ours, wabt }),
    (e: unknown) =>
      parentPort!.postMessage({ ...ours, wabt: { valid: false, message: String(e), ms: 0 } }),
  );
});
