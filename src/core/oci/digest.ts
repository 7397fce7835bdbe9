import { createHash } from 'node:crypto';

export const sha256 = (data: Buffer | string) =>
  `sha256:${createHash('sha256').update(data).digest('hex')}`;
export const hexOf = (digest: string) => digest.slice('sha256:'.length);
