import { Worker } from 'node:worker_threads';
import { bundledFile } from '../paths';
import { CancelledError } from '../process/errors';
import type { LocalImage, ScratchImageSize } from './local-images';

/** What the image worker (./image-worker.ts) is asked to do, and what each request answers. */
export type ImageRequest =
  | {
      op: 'stage-local';
      source: string;
      dir: string;
      staging: string;
      platform?: string;
      artifact?: boolean;
    }
  | { op: 'scratch-size'; file: string; runs: 'wasm' | 'native' };
export interface ImageAnswers {
  'stage-local': LocalImage;
  'scratch-size': ScratchImageSize | undefined;
}

/** The worker's one message back: the value, or the error as plain data (with its stack). */
export type WorkerAnswer =
  | { ok: true; value: unknown }
  | { ok: false; error: { name: string; message: string; stack?: string; code?: string } };

/**
 * Runs one image request in a fresh worker thread (dist/image-worker.js): only the request and
 * a small answer cross threads, so the caller's event loop and heap never see the files or the
 * layer. An error keeps the worker's message, name, code and stack. Aborting terminates the
 * worker at once and rejects with a CancelledError; the caller removes what it had staged.
 */
export function inImageWorker<R extends ImageRequest>(
  request: R,
  signal?: AbortSignal,
): Promise<ImageAnswers[R['op']]> {
  if (signal?.aborted) return Promise.reject(new CancelledError('building the image'));
  return new Promise((resolve, reject) => {
    const worker = new Worker(bundledFile('image-worker.js'));
    let settled = false;
    // resolves or rejects once the worker is gone, so nothing it writes can follow the answer
    const settle = (answer: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate().finally(answer);
    };
    const onAbort = () => settle(() => reject(new CancelledError('building the image')));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (answer: WorkerAnswer) => {
      if (answer.ok) settle(() => resolve(answer.value as ImageAnswers[R['op']]));
      else settle(() => reject(Object.assign(new Error(answer.error.message), answer.error)));
    });
    worker.once('error', (e) => settle(() => reject(e)));
    worker.once('exit', (code) =>
      settle(() =>
        reject(new Error(`the image worker stopped (exit code ${code}) without an answer`)),
      ),
    );
    worker.postMessage(request);
  });
}
