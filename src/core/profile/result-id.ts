import type * as Crypto from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';

/**
 * A random (version 4) UUID, a result's id: 16 bytes of the kernel's random source, as
 * node:crypto's randomUUID draws them, without loading node:crypto, which a CLI profile otherwise
 * never needs and whose start cost it 3-5 ms (--cpu-prof, with or without NODE_EXTRA_CA_CERTS).
 * node:crypto's where there is no /dev/urandom.
 */
export function randomResultId(): string {
  const bytes = Buffer.alloc(16);
  try {
    const fd = openSync('/dev/urandom', 'r');
    try {
      if (readSync(fd, bytes, 0, 16, null) !== 16) throw new Error('short read');
    } finally {
      closeSync(fd);
    }
  } catch {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('node:crypto') as typeof Crypto).randomUUID();
  }
  bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
