/** Checks shared by the message protocols: messages from a webview are untrusted input. */
export const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null;
export const str = (v: unknown, max = 4096): v is string =>
  typeof v === 'string' && v.length <= max;
export const index = (v: unknown, max = 2 ** 32): v is number =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) < max;
