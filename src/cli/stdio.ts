import { writeSync } from 'node:fs';

/** Set once fd 1 said EAGAIN: from then on the stream's queue keeps the output in order. */
let viaStream = false;

/**
 * Writes a command's output to file descriptor 1 at once. process.stdout would load Node's stream
 * modules on first use (and for a pipe, net): ~3 ms of CPU in a start of 30–80 ms, for output
 * written once. A reader that went away (EPIPE: `| head`) ends the output quietly, as coreutils
 * do; a non-blocking pipe that is full (EAGAIN) gets the rest, and every later write, through
 * process.stdout, which queues them in order and is flushed before exit.
 */
export function writeStdout(text: string): void {
  if (viaStream) {
    process.stdout.write(text);
    return;
  }
  const bytes = Buffer.from(text);
  let at = 0;
  while (at < bytes.length) {
    try {
      at += writeSync(1, bytes, at);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return;
      if (code !== 'EAGAIN') throw e;
      viaStream = true;
      process.stdout.write(bytes.subarray(at));
      return;
    }
  }
}

/**
 * Records which of process.stdout and process.stderr get created from now on (Node makes each on
 * first access) and returns them when called: only a created stream can hold unwritten output, and
 * creating one at exit just to flush it would load the stream modules writeStdout avoids. Where the
 * property is not Node's lazy getter, the stream is reported as created (flushing it is harmless).
 */
export function watchStdio(): () => NodeJS.WriteStream[] {
  const created = new Set<NodeJS.WriteStream>();
  for (const name of ['stdout', 'stderr'] as const) {
    const d = Object.getOwnPropertyDescriptor(process, name);
    const get = d?.get?.bind(process);
    if (!d?.configurable || !get) {
      created.add(process[name]);
      continue;
    }
    Object.defineProperty(process, name, {
      ...d,
      get() {
        const stream = get() as NodeJS.WriteStream;
        created.add(stream);
        return stream;
      },
    });
  }
  return () => [...created];
}
