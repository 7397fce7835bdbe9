/**
 * Decoding of BuildKit's progress ("moby.buildkit.trace" events: a base64 StatusResponse protobuf)
 * into lines for the log: each step when it starts, completes, is cached or fails, and the
 * step's own output. Only the fields needed are read; unknown fields are skipped by wire type.
 */

interface Field {
  no: number;
  wire: number;
  value: number | Buffer;
}

function* fields(buf: Buffer): Generator<Field> {
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= buf.length) throw new Error('truncated varint');
      const b = buf[pos++];
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return result;
      scale *= 128;
    }
    throw new Error('varint too long');
  };
  while (pos < buf.length) {
    const key = varint();
    const no = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) yield { no, wire, value: varint() };
    else if (wire === 2) {
      const len = varint();
      if (pos + len > buf.length) throw new Error('truncated field');
      yield { no, wire, value: buf.subarray(pos, pos + len) };
      pos += len;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

interface VertexState {
  name: string;
  started: boolean;
  completed: boolean;
  cached: boolean;
  error: string;
}

/** Turns successive trace events into new log lines (state kept across events, as steps progress). */
export class BuildkitTraceDecoder {
  private readonly vertexes = new Map<string, VertexState>();

  lines(base64: string): string[] {
    const out: string[] = [];
    let response: Buffer;
    try {
      response = Buffer.from(base64, 'base64');
      for (const f of fields(response)) {
        if (f.wire !== 2) continue;
        if (f.no === 1) this.vertex(f.value as Buffer, out);
        else if (f.no === 3) this.log(f.value as Buffer, out);
      }
    } catch (e) {
      out.push(`(unreadable BuildKit progress: ${(e as Error).message})`);
    }
    return out;
  }

  private vertex(buf: Buffer, out: string[]): void {
    let digest = '';
    const next: Partial<VertexState> = {};
    for (const f of fields(buf)) {
      if (f.no === 1 && f.wire === 2) digest = (f.value as Buffer).toString();
      else if (f.no === 3 && f.wire === 2) next.name = (f.value as Buffer).toString();
      else if (f.no === 4 && f.wire === 0) next.cached = f.value !== 0;
      else if (f.no === 5 && f.wire === 2) next.started = true;
      else if (f.no === 6 && f.wire === 2) next.completed = true;
      else if (f.no === 7 && f.wire === 2) next.error = (f.value as Buffer).toString();
    }
    const prev = this.vertexes.get(digest) ?? {
      name: next.name ?? digest,
      started: false,
      completed: false,
      cached: false,
      error: '',
    };
    const cur = {
      ...prev,
      ...Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined && v !== '')),
    };
    this.vertexes.set(digest, cur);
    if (cur.error && !prev.error) out.push(`${cur.name}: ERROR ${cur.error}`);
    else if (cur.cached && !prev.cached) out.push(`${cur.name}: CACHED`);
    else if (cur.completed && !prev.completed) out.push(`${cur.name}: done`);
    else if (cur.started && !prev.started) out.push(cur.name);
  }

  private log(buf: Buffer, out: string[]): void {
    let vertex = '';
    let msg = '';
    for (const f of fields(buf)) {
      if (f.no === 1 && f.wire === 2) vertex = (f.value as Buffer).toString();
      else if (f.no === 4 && f.wire === 2) msg = (f.value as Buffer).toString();
    }
    const name = this.vertexes.get(vertex)?.name;
    for (const line of msg.split('\n').filter((l) => l.trim())) out.push(name ? `  ${line}` : line);
  }
}
