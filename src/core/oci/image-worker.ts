// The worker thread that builds images (dist/image-worker.js, started by ./in-worker.ts): the
// reading, tar, gzip, hashing and writing of a 14 MB module happen on its event loop and in its
// heap, never the editor's. It answers one request; the client then terminates it.
import { parentPort } from 'node:worker_threads';
import type { ImageRequest, WorkerAnswer } from './in-worker';
import { scratchImageSize, stageLocalWasmImage } from './local-images';

function run(request: ImageRequest): Promise<unknown> {
  switch (request.op) {
    case 'stage-local':
      return stageLocalWasmImage(request.source, request.dir, request.staging, request);
    case 'scratch-size':
      return scratchImageSize(request.file, request.runs);
  }
}

parentPort?.once('message', (request: ImageRequest) => {
  run(request).then(
    (value) => parentPort?.postMessage({ ok: true, value } satisfies WorkerAnswer),
    (e: unknown) => {
      const error =
        e instanceof Error
          ? {
              name: e.name,
              message: e.message,
              stack: e.stack,
              code: (e as NodeJS.ErrnoException).code,
            }
          : { name: 'Error', message: String(e) };
      parentPort?.postMessage({ ok: false, error } satisfies WorkerAnswer);
    },
  );
});
