import type { CoreModuleInfo, FunctionInfo } from './model';

/**
 * A module's defined functions as columns (typed arrays) instead of one object per function: the
 * summary of a debug build with 20 000 named functions allocates a few arrays, and names are
 * decoded from the name section only when one is asked for. Position i is function index
 * `firstIndex + i`.
 */
export class FunctionTable {
  constructor(
    readonly firstIndex: number,
    readonly count: number,
    private readonly types: Column,
    private readonly offsets: Column,
    private readonly sizes: Column,
    private readonly names: FunctionNames | undefined,
    /** Explicit indices, for a list that is not numbered contiguously (hand-made). */
    private readonly indices?: Float64Array,
  ) {}

  index(i: number): number {
    return this.indices ? (this.indices[i] ?? -1) : this.firstIndex + i;
  }

  /** The type index the function section gives it; -1 when that section declares fewer functions. */
  typeIndex(i: number): number {
    return i < this.types.length ? (this.types[i] ?? -1) : -1;
  }

  bodyOffset(i: number): number {
    return this.offsets[i] ?? 0;
  }

  bodySize(i: number): number {
    return this.sizes[i] ?? 0;
  }

  name(i: number): string | undefined {
    return this.names?.name(i);
  }

  /** Names decoded into strings so far (undefined for a table made from objects). */
  get decodedNames(): number | undefined {
    return this.names instanceof LazyFunctionNames ? this.names.decodedCount : undefined;
  }

  /** The position of function `index`, or -1 when this module does not define it. */
  position(index: number): number {
    if (this.indices) return this.indices.indexOf(index);
    const i = index - this.firstIndex;
    return Number.isInteger(i) && i >= 0 && i < this.count ? i : -1;
  }

  info(i: number): FunctionInfo {
    const f: FunctionInfo = {
      index: this.index(i),
      typeIndex: this.typeIndex(i),
      bodyOffset: this.bodyOffset(i),
      bodySize: this.bodySize(i),
    };
    const name = this.name(i);
    if (name !== undefined) f.name = name;
    return f;
  }

  /** The objects of CoreModuleInfo.functions, made when something (JSON, a list) asks for them. */
  infos(): FunctionInfo[] {
    const list = new Array<FunctionInfo>(this.count);
    for (let i = 0; i < this.count; i++) list[i] = this.info(i);
    return list;
  }

  /** A table over objects (a module not decoded here: built by hand or parsed from JSON). */
  static of(m: CoreModuleInfo): FunctionTable {
    const fs = m.functions;
    const n = fs.length;
    const types = new Float64Array(n);
    const offsets = new Float64Array(n);
    const sizes = new Float64Array(n);
    const indices = new Float64Array(n);
    const names: (string | undefined)[] = new Array<string | undefined>(n);
    const first = fs[0]?.index ?? m.importedFunctionCount;
    let contiguous = true;
    for (let i = 0; i < n; i++) {
      const f = fs[i];
      if (!f) continue;
      types[i] = f.typeIndex;
      offsets[i] = f.bodyOffset;
      sizes[i] = f.bodySize;
      indices[i] = f.index;
      names[i] = f.name;
      if (f.index !== first + i) contiguous = false;
    }
    return new FunctionTable(
      first,
      n,
      types,
      offsets,
      sizes,
      { name: (i) => names[i] },
      contiguous ? undefined : indices,
    );
  }
}

/** Names by position: decoded on request. */
export interface FunctionNames {
  name(i: number): string | undefined;
}

/**
 * Where the name section's function names lie in the file: per position the offset of the name's
 * UTF-8 bytes (plus one; 0 for none) and their length. Decoded (and kept) when first asked for.
 */
export class LazyFunctionNames implements FunctionNames {
  private readonly starts: Uint32Array;
  private readonly lengths: Uint32Array;
  private decoded: (string | undefined)[] | undefined;
  /** How many names were decoded into strings so far (the work a summary did). */
  decodedCount = 0;

  constructor(
    private readonly buffer: Buffer,
    readonly count: number,
  ) {
    this.starts = new Uint32Array(count);
    this.lengths = new Uint32Array(count);
  }

  set(i: number, start: number, length: number): void {
    this.starts[i] = start + 1;
    this.lengths[i] = length;
    if (this.decoded) this.decoded[i] = undefined;
  }

  has(i: number): boolean {
    return (this.starts[i] ?? 0) !== 0;
  }

  name(i: number): string | undefined {
    const start = this.starts[i] ?? 0;
    if (start === 0) return undefined;
    this.decoded ??= new Array<string | undefined>(this.count);
    let name = this.decoded[i];
    if (name === undefined) {
      name = this.buffer.toString('utf8', start - 1, start - 1 + (this.lengths[i] ?? 0));
      this.decoded[i] = name;
      this.decodedCount++;
    }
    return name;
  }
}

/** The decoder's columns are Uint32Array (loads stay small integers); hand-made tables Float64Array. */
type Column = Uint32Array | Float64Array;

/** A decoded module's table, and the list it made for `functions` once something read it. */
const tables = new WeakMap<CoreModuleInfo, { table: FunctionTable; list?: FunctionInfo[] }>();

/**
 * Gives a decoded module its table, and `functions` as a property that makes the objects on first
 * read (JSON.stringify, a webview message, a list): the summary itself never makes them.
 */
export function attachFunctionTable(m: CoreModuleInfo, table: FunctionTable): void {
  const entry: { table: FunctionTable; list?: FunctionInfo[] } = { table };
  tables.set(m, entry);
  const settle = (value: FunctionInfo[]) => {
    Object.defineProperty(m, 'functions', {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
    return value;
  };
  Object.defineProperty(m, 'functions', {
    enumerable: true,
    configurable: true,
    get: () => settle((entry.list = table.infos())),
    set: settle,
  });
}

/**
 * The module's functions as columns: the decoder's own table while `functions` is the list it
 * describes (not yet made, or made by it), else one made from whatever list replaced it.
 */
export function functionTable(m: CoreModuleInfo): FunctionTable {
  const entry = tables.get(m);
  if (entry) {
    const d = Object.getOwnPropertyDescriptor(m, 'functions');
    if (d?.get || (d && d.value === entry.list)) return entry.table;
  }
  return FunctionTable.of(m);
}
