/** Errors the core raises; each message says what failed and what to do next. */

export class CancelledError extends Error {
  readonly cancelled = true;
  constructor(what: string) {
    super(`${what} was cancelled`);
    this.name = 'CancelledError';
  }
}

export class ProcessError extends Error {
  constructor(
    message: string,
    readonly details: {
      command: string;
      exitCode?: number | null;
      signal?: NodeJS.Signals | null;
      stderr?: string;
      code?: string;
      timedOut?: boolean;
    },
  ) {
    super(message);
    this.name = 'ProcessError';
  }
}

export function isCancelled(e: unknown): e is CancelledError {
  return e instanceof Error && (e as Partial<CancelledError>).cancelled === true;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
