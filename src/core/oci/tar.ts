/**
 * A deterministic ustar writer: entries sorted by path, mtime 0, uid/gid 0, fixed modes, no user or
 * group names. The same files always give the same bytes, hence the same layer digest.
 */
export interface TarEntry {
  /** Path inside the archive, without a leading slash ("hello.wasm", "app/data/"). */
  path: string;
  type: 'file' | 'dir';
  /** The file's bytes, in one buffer or as consecutive pieces (a layer tar inside an archive). */
  data?: Buffer | readonly Buffer[];
  mode?: number;
}

const BLOCK = 512;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

/** ustar keeps 100 bytes of name and 155 of prefix, split at a slash; undefined when it cannot. */
function splitName(name: string): { name: string; prefix: string } | undefined {
  if (Buffer.byteLength(name) <= 100) return { name, prefix: '' };
  for (let i = name.lastIndexOf('/'); i > 0; i = name.lastIndexOf('/', i - 1)) {
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100)
      return { name: rest, prefix };
  }
  return undefined;
}

/** A PAX record "LEN path=VALUE\n", where LEN counts the whole record including itself. */
function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len)
    len = String(len).length + Buffer.byteLength(body);
  return Buffer.from(`${len}${body}`);
}

function header(entry: TarEntry, size: number, typeflag?: string, nameOverride?: string): Buffer {
  const h = Buffer.alloc(BLOCK, 0);
  const fullName =
    nameOverride ??
    (entry.type === 'dir' && !entry.path.endsWith('/') ? `${entry.path}/` : entry.path);
  // too long for ustar: the caller wrote a PAX header with the full path; keep a truncated one here
  const { name, prefix } = splitName(fullName) ?? {
    name: Buffer.from(fullName)
      .subarray(0, 100)
      .toString('utf8')
      .replace(/\uFFFD$/, ''),
    prefix: '',
  };
  h.write(name, 0, 100, 'utf8');
  h.write(octal(entry.mode ?? (entry.type === 'dir' ? 0o755 : 0o644), 8), 100, 8, 'ascii');
  h.write(octal(0, 8), 108, 8, 'ascii'); // uid
  h.write(octal(0, 8), 116, 8, 'ascii'); // gid
  h.write(octal(size, 12), 124, 12, 'ascii');
  h.write(octal(0, 12), 136, 12, 'ascii'); // mtime: fixed, for reproducible digests
  h.write('        ', 148, 8, 'ascii'); // checksum placeholder
  h.write(typeflag ?? (entry.type === 'dir' ? '5' : '0'), 156, 1, 'ascii');
  h.write('ustar\0', 257, 6, 'ascii');
  h.write('00', 263, 2, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(octal(sum, 7) + ' ', 148, 8, 'ascii');
  return h;
}

/**
 * The archive as the buffers it is made of, in order: headers, the entries' own data (not copied)
 * and padding. Writing or compressing these never needs the whole archive in one buffer, which
 * for a 14 MB module would be a second 14 MB copy (and the garbage collection after it).
 */
export function tarSegments(entries: TarEntry[]): Buffer[] {
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const seen = new Set<string>();
  const parts: Buffer[] = [];
  for (const entry of sorted) {
    if (seen.has(entry.path)) throw new Error(`duplicate path in archive: ${entry.path}`);
    seen.add(entry.path);
    const data = entry.type === 'file' ? toParts(entry.data) : [];
    const size = data.reduce((n, d) => n + d.length, 0);
    const fullName =
      entry.type === 'dir' && !entry.path.endsWith('/') ? `${entry.path}/` : entry.path;
    if (!splitName(fullName)) {
      // a PAX extended header carries the full path (POSIX.1-2001), read by every modern tar
      const pax = paxRecord('path', fullName);
      parts.push(
        header({ path: '', type: 'file', mode: 0o644 }, pax.length, 'x', 'PaxHeader'),
        pax,
        Buffer.alloc((BLOCK - (pax.length % BLOCK)) % BLOCK, 0),
      );
    }
    parts.push(header(entry, size), ...data.filter((d) => d.length > 0));
    const pad = (BLOCK - (size % BLOCK)) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad, 0));
  }
  parts.push(Buffer.alloc(BLOCK * 2, 0)); // end of archive
  return parts;
}

const toParts = (data: TarEntry['data']): readonly Buffer[] =>
  data === undefined ? [] : Buffer.isBuffer(data) ? [data] : data;

/** The archive in one buffer (small archives, tests); large ones go out as tarSegments. */
export function writeTar(entries: TarEntry[]): Buffer {
  return Buffer.concat(tarSegments(entries));
}

/** The files of a tar written by writeTar (or any plain ustar): for checks and tests. */
export function readTar(tar: Buffer): Array<{
  path: string;
  type: 'file' | 'dir';
  data: Buffer;
  mode: number;
  mtime: number;
  uid: number;
}> {
  const out = [];
  let paxPath: string | undefined;
  for (let off = 0; off + BLOCK <= tar.length;) {
    const h = tar.subarray(off, off + BLOCK);
    if (h.every((b) => b === 0)) break;
    const str = (start: number, len: number) =>
      h
        .subarray(start, start + len)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const num = (start: number, len: number) => parseInt(str(start, len).trim() || '0', 8);
    const prefix = str(345, 155);
    const name = prefix ? `${prefix}/${str(0, 100)}` : str(0, 100);
    const size = num(124, 12);
    const flag = str(156, 1);
    const data = tar.subarray(off + BLOCK, off + BLOCK + size);
    off += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (flag === 'x') {
      paxPath = /\d+ path=([^\n]*)\n/.exec(data.toString('utf8'))?.[1];
      continue;
    }
    out.push({
      path: paxPath ?? name,
      type: flag === '5' ? ('dir' as const) : ('file' as const),
      data,
      mode: num(100, 8),
      mtime: num(136, 12),
      uid: num(108, 8),
    });
    paxPath = undefined;
  }
  return out;
}
