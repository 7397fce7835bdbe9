// A worker thread that validates a module with wabt.js (a 10 MB module takes over a second of
// synchronous WebAssembly: never on the extension host's thread).
import { parentPort } from 'node:worker_threads';
import { validateWithWabt } from './wabt';

parentPort?.on('message', (bytes: Uint8Array) => {
  void validateWithWabt(bytes).then((result) => parentPort!.postMessage(result));
});
