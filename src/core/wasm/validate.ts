/**
 * A WebAssembly validator: what a runtime checks before it compiles a core module — the binary
 * encoding (LEB128s, flags, UTF-8 names, section order and sizes), limits, every index (types,
 * functions, tables, memories, globals, locals, labels, data, elements, tags) and the typing of
 * every instruction of every body (the operand-stack algorithm of the spec's appendix). It stops at
 * the first problem and names its byte offset, as V8 and wabt do.
 *
 * Proposals are judged by the feature set given: `v8Features()` describes the V8 of the running
 * Node (probed, not assumed), `WASM2` the 2.0 core. GC and typed function references are decoded
 * but not type-checked: a module that uses them gets `checked: 'decoded-only'`.
 */
import { ByteReader } from './byte-reader';
import { WasmFormatError } from './header';
import { CORE_OPS, PREFIXED, type OpInfo } from './opcodes';
import { CORE_SECTION_NAMES, CORE_SECTION_RANK } from './sections';

export interface ValidationFeatures {
  simd: boolean;
  'relaxed-simd': boolean;
  threads: boolean;
  'tail-call': boolean;
  /** legacy try/catch, tags and throw */
  exceptions: boolean;
  exnref: boolean;
  'extended-const': boolean;
  'multi-memory': boolean;
  memory64: boolean;
  gc: boolean;
}

/** WebAssembly 2.0: sign extension, saturating truncation, bulk memory, reference types, multi-value, SIMD. */
export const WASM2: ValidationFeatures = {
  simd: true,
  'relaxed-simd': false,
  threads: false,
  'tail-call': false,
  exceptions: false,
  exnref: false,
  'extended-const': false,
  'multi-memory': false,
  memory64: false,
  gc: false,
};

export interface ValidationResult {
  valid: boolean;
  /** The first problem, with the byte offset where a validator stops. */
  error?: { offset: number; message: string };
  /** 'full': every rule was checked; 'decoded-only': it uses proposals this validator only decodes. */
  checked: 'full' | 'decoded-only';
  /** Why only decoding was possible. */
  note?: string;
}

class Invalid extends WasmFormatError {}
/** A construct this validator decodes but does not type-check: checking stops, nothing is claimed. */
class StopChecking extends Error {}

// value types as their binary codes; ANY is the bottom type of an unreachable stack
const I32 = 0x7f;
const I64 = 0x7e;
const F32 = 0x7d;
const F64 = 0x7c;
const V128 = 0x7b;
const FUNCREF = 0x70;
const EXTERNREF = 0x6f;
const EXNREF = 0x69;
const ANY = -1;
const TYPE_NAMES: Record<number, string> = {
  [I32]: 'i32',
  [I64]: 'i64',
  [F32]: 'f32',
  [F64]: 'f64',
  [V128]: 'v128',
  [FUNCREF]: 'funcref',
  [EXTERNREF]: 'externref',
  [EXNREF]: 'exnref',
  [ANY]: 'any',
};
const typeName = (t: number) => TYPE_NAMES[t] ?? `0x${t.toString(16)}`;
const NUM: Record<string, number> = { i32: I32, i64: I64, f32: F32, f64: F64, v128: V128 };

interface FuncType {
  params: number[];
  results: number[];
}
interface Limits {
  min: number;
  max?: number;
  shared: boolean;
  i64: boolean;
}
interface Global {
  type: number;
  mutable: boolean;
  imported: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A signed LEB128 of `bits` bits read strictly, as V8 and the spec require: at most ceil(bits/7)
 * bytes, and the unused bits of the last byte must repeat the sign.
 */
function signedLeb(r: ByteReader, bits: 32 | 33 | 64, what: string): void {
  const start = r.pos;
  const max = Math.ceil(bits / 7);
  for (let i = 0; i < max; i++) {
    const b = r.u8(what);
    if ((b & 0x80) === 0) {
      if (i === max - 1) {
        const used = bits - 7 * (max - 1); // value bits in the last byte, sign included
        const rest = b >> (used - 1); // the sign bit and the unused bits above it
        if (rest !== 0 && rest !== 0x7f >> (used - 1))
          throw new Invalid(
            `${what}: the unused bits of the last byte do not extend the sign`,
            start,
          );
      }
      return;
    }
  }
  throw new Invalid(`${what} is longer than ${max} bytes`, start);
}
const MAX_PAGES = 65536;
const MAX_TABLE = 10_000_000;
const MAX_LOCALS = 50_000;
const MAX_BODY = 7_654_321;

/** The first problem of a core module, or none. */
export function validateWasm(
  bytes: Uint8Array,
  features: ValidationFeatures = WASM2,
): ValidationResult {
  const v = new ModuleValidator(bytes, features);
  try {
    v.module();
    return v.decodedOnly
      ? { valid: true, checked: 'decoded-only', note: v.decodedOnly }
      : { valid: true, checked: 'full' };
  } catch (e) {
    if (e instanceof StopChecking)
      return { valid: true, checked: 'decoded-only', note: v.decodedOnly ?? e.message };
    if (!(e instanceof WasmFormatError)) throw e;
    return {
      valid: false,
      error: { offset: e.offset, message: e.reason },
      checked: v.decodedOnly ? 'decoded-only' : 'full',
      ...(v.decodedOnly ? { note: v.decodedOnly } : {}),
    };
  }
}

/** Section names as the validator's messages say them ("the data count section …"). */
const SECTION_NAMES = CORE_SECTION_NAMES.map(
  (name) => ({ elem: 'element', datacount: 'data count' })[name] ?? name,
);

class ModuleValidator {
  decodedOnly: string | undefined;
  private readonly types: (FuncType | undefined)[] = [];
  /** type index of every function, imports first */
  private readonly funcs: number[] = [];
  private importedFuncs = 0;
  private readonly tables: { type: number; limits: Limits }[] = [];
  private readonly memories: Limits[] = [];
  private readonly globals: Global[] = [];
  private readonly tags: number[] = [];
  private readonly elemTypes: number[] = [];
  private dataCount: number | undefined;
  /** functions ref.func may name in bodies: exported, in element segments or global initialisers */
  private readonly declared = new Set<number>();
  private codeSeen = false;

  constructor(
    private readonly bytes: Uint8Array,
    readonly f: ValidationFeatures,
  ) {}

  private fail(r: ByteReader | number, message: string): never {
    throw new Invalid(message, typeof r === 'number' ? r : r.pos);
  }

  module(): void {
    const b = this.bytes;
    const magic = [0x00, 0x61, 0x73, 0x6d];
    for (let i = 0; i < 4; i++)
      if (b[i] !== magic[i]) this.fail(i, 'expected the magic number \\0asm');
    if (b.length < 8) this.fail(b.length, 'the file ends inside the version field');
    if (b[4] !== 1 || b[5] || b[6] || b[7])
      this.fail(
        4,
        `unsupported version (a core module has version 1): this validator checks core modules, not components`,
      );
    let lastRank = 0;
    const r = new ByteReader(b, 8, b.length);
    let functionsDeclared: number | undefined;
    while (!r.atEnd) {
      const at = r.pos;
      const id = r.u8('a section id');
      const size = r.u32('a section size');
      if (size > r.remaining)
        this.fail(at, `the section is ${size} bytes long but only ${r.remaining} remain`);
      const s = new ByteReader(b, r.pos, r.pos + size);
      r.pos += size;
      if (id === 0) {
        this.name(s, 'a custom section name');
        continue;
      }
      const rank = CORE_SECTION_RANK[id];
      if (rank === undefined || (id === 13 && !this.f.exceptions && !this.f.exnref))
        this.fail(at, `unknown section id ${id}`);
      if (rank <= lastRank)
        this.fail(at, `the ${SECTION_NAMES[id]} section is repeated or out of order`);
      lastRank = rank;
      this.section(id, s);
      if (id === 3) functionsDeclared = this.funcs.length - this.importedFuncs;
      if (!s.atEnd) this.fail(s, `the ${SECTION_NAMES[id]} section has bytes left over`);
    }
    const defined = this.funcs.length - this.importedFuncs;
    if (!this.codeSeen && defined > 0)
      this.fail(b.length, `${defined} functions are declared but there is no code section`);
    void functionsDeclared;
    if (this.dataCount !== undefined && this.dataCount > 0 && !this.dataSeen)
      this.fail(
        b.length,
        `the data count section announces ${this.dataCount} segments but there is no data section`,
      );
  }

  private dataSeen = false;

  private section(id: number, r: ByteReader): void {
    switch (id) {
      case 1:
        return this.vector(r, 'types', () => this.typeEntry(r));
      case 2:
        return this.vector(r, 'imports', () => this.importEntry(r));
      case 3:
        return this.vector(r, 'functions', () => {
          const at = r.pos;
          this.funcs.push(this.funcTypeIndex(r, at));
        });
      case 4:
        return this.vector(r, 'tables', () => this.tableType(r));
      case 5:
        return this.vector(r, 'memories', () => this.memoryType(r));
      case 13:
        return this.vector(r, 'tags', () => this.tagType(r));
      case 6:
        return this.vector(r, 'globals', () => {
          const type = this.valType(r);
          const mutable = this.mutability(r);
          this.constExpr(r, type);
          this.globals.push({ type, mutable, imported: false });
        });
      case 7:
        return this.exports(r);
      case 8: {
        const at = r.pos;
        const index = r.u32('the start function index');
        if (index >= this.funcs.length) this.fail(at, `start function ${index} does not exist`);
        const t = this.types[this.funcs[index]]!;
        if (t.params.length || t.results.length)
          this.fail(at, `the start function ${index} must take and return nothing`);
        return;
      }
      case 9:
        return this.vector(r, 'element segments', () => this.elementSegment(r));
      case 12:
        this.dataCount = r.u32('the data count');
        return;
      case 10:
        return this.code(r);
      case 11:
        this.dataSeen = true;
        return this.data(r);
    }
  }

  private vector(r: ByteReader, what: string, entry: () => void): void {
    const n = r.count(what, 1);
    for (let i = 0; i < n; i++) entry();
  }

  private name(r: ByteReader, what: string): string {
    const len = r.u32(`the length of ${what}`);
    const at = r.pos;
    const bytes = r.slice(len, what);
    try {
      return utf8.decode(bytes);
    } catch {
      return this.fail(at, `${what} is not valid UTF-8`);
    }
  }

  private typeEntry(r: ByteReader): void {
    const at = r.pos;
    const form = r.u8('a type form');
    if (form !== 0x60) {
      if (this.f.gc && [0x4e, 0x50, 0x4f, 0x5e, 0x5f].includes(form)) {
        this.decodedOnly = 'it uses GC types, which this validator decodes but does not type-check';
        r.pos = r.end; // GC types are not modelled further: the section is taken as it is
        return;
      }
      this.fail(at, `unknown type form 0x${form.toString(16)} (expected a function type, 0x60)`);
    }
    const params = this.valTypes(r, 'parameters');
    const results = this.valTypes(r, 'results');
    this.types.push({ params, results });
  }

  private valTypes(r: ByteReader, what: string): number[] {
    const n = r.count(what, 1);
    if (n > 1000) this.fail(r, `${n} ${what}: at most 1000 are allowed`);
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(this.valType(r));
    return out;
  }

  valType(r: ByteReader): number {
    const at = r.pos;
    const t = r.u8('a value type');
    if (t === I32 || t === I64 || t === F32 || t === F64) return t;
    if (t === V128 && this.f.simd) return t;
    if (t === FUNCREF || t === EXTERNREF) return t;
    if (t === EXNREF && this.f.exnref) return t;
    if ((t === 0x63 || t === 0x64) && this.f.gc) {
      this.decodedOnly = 'it uses typed references, which this validator does not type-check';
      r.s33('a heap type');
      return ANY;
    }
    return this.fail(at, `invalid value type 0x${t.toString(16)}`);
  }

  private refType(r: ByteReader): number {
    const at = r.pos;
    const t = this.valType(r);
    if (t !== FUNCREF && t !== EXTERNREF && t !== EXNREF && t !== ANY)
      this.fail(at, `${typeName(t)} is not a reference type`);
    return t;
  }

  private mutability(r: ByteReader): boolean {
    const at = r.pos;
    const m = r.u8('a mutability flag');
    if (m > 1) this.fail(at, `invalid mutability flag 0x${m.toString(16)} (expected 0 or 1)`);
    return m === 1;
  }

  private funcTypeIndex(r: ByteReader, at: number): number {
    const index = r.u32('a type index');
    if (index >= this.types.length || !this.types[index])
      this.fail(at, `type index ${index} is out of range (${this.types.length} types)`);
    return index;
  }

  private importEntry(r: ByteReader): void {
    this.name(r, 'an import module name');
    this.name(r, 'an import name');
    const at = r.pos;
    const kind = r.u8('an import kind');
    switch (kind) {
      case 0:
        this.funcs.push(this.funcTypeIndex(r, r.pos));
        this.importedFuncs++;
        return;
      case 1:
        return this.tableType(r);
      case 2:
        return this.memoryType(r);
      case 3: {
        const type = this.valType(r);
        this.globals.push({ type, mutable: this.mutability(r), imported: true });
        return;
      }
      case 4:
        if (this.f.exceptions || this.f.exnref) return this.tagType(r);
    }
    this.fail(at, `invalid import kind ${kind}`);
  }

  private tagType(r: ByteReader): void {
    const at = r.pos;
    const attribute = r.u8('a tag attribute');
    if (attribute !== 0) this.fail(at, `invalid tag attribute ${attribute}`);
    const index = this.funcTypeIndex(r, r.pos);
    if (this.types[index]!.results.length) this.fail(at, `the type of a tag must have no results`);
    this.tags.push(index);
  }

  private limits(r: ByteReader, what: 'memory' | 'table'): Limits {
    const at = r.pos;
    const flags = r.u8('limits flags');
    const allowed = what === 'memory' ? (this.f.threads ? 3 : 1) | (this.f.memory64 ? 5 : 0) : 1;
    if ((flags & ~allowed) !== 0 || flags > 7)
      this.fail(at, `invalid ${what} limits flags 0x${flags.toString(16)}`);
    const i64 = (flags & 4) !== 0;
    const read = () => (i64 ? r.u64('a 64-bit limit') : r.u32('a limit'));
    const min = read();
    const limits: Limits = { min, shared: (flags & 2) !== 0, i64 };
    if (flags & 1) limits.max = read();
    if (limits.shared && limits.max === undefined)
      this.fail(at, 'a shared memory must have a maximum size');
    const bound = what === 'memory' ? MAX_PAGES : MAX_TABLE;
    const unit = what === 'memory' ? 'pages' : 'elements';
    if (what === 'memory' && min > bound)
      this.fail(at, `initial memory size ${min} ${unit} is over the limit of ${bound}`);
    if (what === 'table' && min > bound)
      this.fail(at, `initial table size ${min} is over the limit of ${bound}`);
    if (limits.max !== undefined) {
      if (what === 'memory' && limits.max > bound)
        this.fail(at, `maximum memory size ${limits.max} ${unit} is over the limit of ${bound}`);
      if (limits.max < min)
        this.fail(at, `the maximum size ${limits.max} is below the initial size ${min}`);
    }
    return limits;
  }

  private tableType(r: ByteReader): void {
    const type = this.refType(r);
    this.tables.push({ type, limits: this.limits(r, 'table') });
  }

  private memoryType(r: ByteReader): void {
    const at = r.pos;
    if (this.memories.length >= 1 && !this.f['multi-memory'])
      this.fail(at, 'more than one memory (the multi-memory proposal)');
    this.memories.push(this.limits(r, 'memory'));
  }

  private exports(r: ByteReader): void {
    const names = new Set<string>();
    this.vector(r, 'exports', () => {
      const at = r.pos;
      const name = this.name(r, 'an export name');
      if (names.has(name)) this.fail(at, `duplicate export name "${name}"`);
      names.add(name);
      const kindAt = r.pos;
      const kind = r.u8('an export kind');
      const index = r.u32('an export index');
      const count = [
        this.funcs.length,
        this.tables.length,
        this.memories.length,
        this.globals.length,
        this.f.exceptions || this.f.exnref ? this.tags.length : -1,
      ][kind];
      if (count === undefined || count < 0) this.fail(kindAt, `invalid export kind ${kind}`);
      if (index >= count)
        this.fail(
          kindAt,
          `export "${name}" refers to ${['function', 'table', 'memory', 'global', 'tag'][kind]} ${index}, which does not exist`,
        );
      if (kind === 0) this.declared.add(index);
    });
  }

  private elementSegment(r: ByteReader): void {
    const at = r.pos;
    const flags = r.u32('element segment flags');
    if (flags > 7) this.fail(at, `invalid element segment flags ${flags}`);
    const passiveOrDeclarative = (flags & 1) !== 0;
    const explicitTable = (flags & 2) !== 0;
    const usesExprs = (flags & 4) !== 0;
    let tableType: number | undefined;
    if (!passiveOrDeclarative) {
      const table = explicitTable ? r.u32('a table index') : 0;
      if (table >= this.tables.length)
        this.fail(at, `element segment for table ${table}, which does not exist`);
      this.constExpr(r, I32);
      tableType = this.tables[table].type;
    }
    let type = FUNCREF;
    if (passiveOrDeclarative || explicitTable) {
      if (usesExprs) type = this.refType(r);
      else {
        const kindAt = r.pos;
        const kind = r.u8('an element kind');
        if (kind !== 0) this.fail(kindAt, `invalid element kind ${kind}`);
      }
    }
    if (tableType !== undefined && tableType !== type && type !== ANY)
      this.fail(at, `elements of type ${typeName(type)} for a table of ${typeName(tableType)}`);
    const n = r.count('elements', 1);
    for (let i = 0; i < n; i++) {
      if (usesExprs) this.constExpr(r, type);
      else {
        const fat = r.pos;
        const index = r.u32('a function index');
        if (index >= this.funcs.length) this.fail(fat, `function ${index} does not exist`);
        this.declared.add(index);
      }
    }
    this.elemTypes.push(type);
  }

  /** i32, or i64 for a memory64 memory/table index (element offsets use the table's; kept i32 here). */
  private memoryAddrType(memory: number | undefined): number {
    return memory !== undefined && this.memories[memory]?.i64 ? I64 : I32;
  }

  private data(r: ByteReader): void {
    const countAt = r.pos;
    const n = r.count('data segments', 1);
    if (this.dataCount !== undefined && n !== this.dataCount)
      this.fail(countAt, `${n} data segments but the data count section says ${this.dataCount}`);
    for (let i = 0; i < n; i++) {
      const at = r.pos;
      const flags = r.u32('data segment flags');
      if (flags > 2) this.fail(at, `invalid data segment flags ${flags}`);
      if (flags !== 1) {
        const memory = flags === 2 ? r.u32('a memory index') : 0;
        if (memory >= this.memories.length)
          this.fail(at, `data segment for memory ${memory}, which does not exist`);
        this.constExpr(r, this.memoryAddrType(memory));
      }
      const size = r.u32('a data segment size');
      r.take(size, 'a data segment');
    }
  }

  private code(r: ByteReader): void {
    this.codeSeen = true;
    const at = r.pos;
    const n = r.count('function bodies', 1);
    const defined = this.funcs.length - this.importedFuncs;
    if (n !== defined) this.fail(at, `${n} function bodies but ${defined} functions were declared`);
    for (let i = 0; i < n; i++) {
      const sizeAt = r.pos;
      const size = r.u32('a function body size');
      if (size > MAX_BODY) this.fail(sizeAt, `a function body of ${size} bytes is over the limit`);
      const start = r.take(size, 'a function body');
      const body = new ByteReader(this.bytes, start, start + size);
      new FunctionValidator(this, body, this.importedFuncs + i).run();
    }
  }

  // ---- facts the function validator needs
  type(index: number, at: number): FuncType {
    const t = this.types[index];
    if (!t) this.fail(at, `type index ${index} is out of range (${this.types.length} types)`);
    return t;
  }
  funcType(index: number, at: number): FuncType {
    if (index >= this.funcs.length)
      this.fail(at, `function ${index} does not exist (${this.funcs.length} functions)`);
    return this.types[this.funcs[index]]!;
  }
  global(index: number, at: number): Global {
    const g = this.globals[index];
    if (!g) this.fail(at, `global ${index} does not exist (${this.globals.length} globals)`);
    return g;
  }
  table(index: number, at: number): { type: number; limits: Limits } {
    const t = this.tables[index];
    if (!t) this.fail(at, `table ${index} does not exist (${this.tables.length} tables)`);
    return t;
  }
  memory(index: number, at: number): Limits {
    const m = this.memories[index];
    if (!m) this.fail(at, `memory ${index} does not exist (${this.memories.length} memories)`);
    return m;
  }
  tag(index: number, at: number): FuncType {
    const t = this.tags[index];
    if (t === undefined) this.fail(at, `tag ${index} does not exist`);
    return this.types[t]!;
  }
  elem(index: number, at: number): number {
    const t = this.elemTypes[index];
    if (t === undefined) this.fail(at, `element segment ${index} does not exist`);
    return t;
  }
  dataSegment(index: number, at: number): void {
    if (this.dataCount === undefined)
      this.fail(at, 'memory.init and data.drop need a data count section');
    if (index >= this.dataCount) this.fail(at, `data segment ${index} does not exist`);
  }
  isDeclared(index: number): boolean {
    return this.declared.has(index);
  }

  /** A constant expression producing `type`. */
  private constExpr(r: ByteReader, type: number): void {
    const stack: number[] = [];
    for (;;) {
      const at = r.pos;
      const op = r.u8('an opcode');
      switch (op) {
        case 0x0b: {
          if (stack.length !== 1 || (stack[0] !== type && stack[0] !== ANY && type !== ANY))
            this.fail(
              at,
              `the constant expression gives [${stack.map(typeName).join(' ')}], expected ${typeName(type)}`,
            );
          return;
        }
        case 0x41:
          signedLeb(r, 32, 'an i32 constant');
          stack.push(I32);
          break;
        case 0x42:
          signedLeb(r, 64, 'an i64 constant');
          stack.push(I64);
          break;
        case 0x43:
          r.take(4, 'an f32');
          stack.push(F32);
          break;
        case 0x44:
          r.take(8, 'an f64');
          stack.push(F64);
          break;
        case 0x23: {
          const index = r.u32('a global index');
          const g = this.globals[index];
          if (!g) this.fail(at, `global ${index} does not exist`);
          if (!g.imported && !this.f.gc)
            this.fail(at, `a constant expression may only read imported globals`);
          if (g.mutable)
            this.fail(at, `a constant expression may not read the mutable global ${index}`);
          stack.push(g.type);
          break;
        }
        case 0xd0: {
          const ht = r.u8('a heap type');
          if (ht !== FUNCREF && ht !== EXTERNREF && !(ht === EXNREF && this.f.exnref))
            this.fail(at + 1, `invalid heap type 0x${ht.toString(16)}`);
          stack.push(ht);
          break;
        }
        case 0xd2: {
          const index = r.u32('a function index');
          if (index >= this.funcs.length) this.fail(at, `function ${index} does not exist`);
          this.declared.add(index);
          stack.push(FUNCREF);
          break;
        }
        case 0xfd: {
          const sub = r.u32('a SIMD opcode');
          if (sub !== 12 || !this.f.simd)
            this.fail(at, 'this instruction is not allowed in a constant expression');
          r.take(16, 'a v128');
          stack.push(V128);
          break;
        }
        case 0x6a:
        case 0x6b:
        case 0x6c:
        case 0x7c:
        case 0x7d:
        case 0x7e: {
          if (!this.f['extended-const'])
            this.fail(
              at,
              'this instruction is not allowed in a constant expression (extended-const)',
            );
          const t = op <= 0x6c ? I32 : I64;
          const b = stack.pop();
          const a = stack.pop();
          if (a !== t || b !== t) this.fail(at, `type mismatch in a constant expression`);
          stack.push(t);
          break;
        }
        default:
          this.fail(at, `opcode 0x${op.toString(16)} is not allowed in a constant expression`);
      }
    }
  }
}

interface Frame {
  opcode: 'block' | 'loop' | 'if' | 'else' | 'try' | 'catch' | 'try_table' | 'func';
  params: number[];
  results: number[];
  height: number;
  unreachable: boolean;
}

/** The natural alignment (bytes) of a memory access, from its name. */
function naturalAlign(name: string): number {
  if (name.startsWith('v128.')) {
    const narrow = /(load|store)(8|16|32|64)_(splat|lane|zero)/.exec(name);
    if (narrow) return Number(narrow[2]) / 8;
    return /load\d+x\d+/.test(name) ? 8 : 16;
  }
  const sized = /(?:load|store|rmw)(8|16|32)/.exec(name);
  if (sized) return Number(sized[1]) / 8;
  if (name.startsWith('memory.atomic.')) return name.endsWith('64') ? 8 : 4;
  return name.startsWith('i64') || name.startsWith('f64') ? 8 : 4;
}

class FunctionValidator {
  private readonly stack: number[] = [];
  private readonly frames: Frame[] = [];
  private readonly locals: number[] = [];

  constructor(
    private readonly m: ModuleValidator,
    private readonly r: ByteReader,
    private readonly index: number,
  ) {}

  private fail(at: number, message: string): never {
    throw new Invalid(`function ${this.index}: ${message}`, at);
  }

  run(): void {
    const r = this.r;
    const type = this.m.funcType(this.index, r.pos);
    this.locals.push(...type.params);
    const groups = r.count('local declarations', 2);
    let total = 0;
    for (let i = 0; i < groups; i++) {
      const at = r.pos;
      const n = r.u32('a local count');
      total += n;
      if (total > MAX_LOCALS) this.fail(at, `more than ${MAX_LOCALS} locals`);
      const t = this.m.valType(r);
      for (let k = 0; k < n; k++) this.locals.push(t);
    }
    this.frames.push({
      opcode: 'func',
      params: [],
      results: type.results,
      height: 0,
      unreachable: false,
    });
    while (this.frames.length) {
      if (r.atEnd) this.fail(r.pos, 'the body ends before its final end');
      this.instruction();
    }
    if (!r.atEnd) this.fail(r.pos, 'bytes after the final end of the body');
  }

  // ---- the operand stack
  private push(t: number): void {
    this.stack.push(t);
  }
  private pop(expect: number | undefined, at: number): number {
    const frame = this.frames.at(-1)!;
    if (this.stack.length === frame.height) {
      if (frame.unreachable) return expect ?? ANY;
      this.fail(
        at,
        `expected ${expect === undefined ? 'a value' : typeName(expect)} but the stack is empty`,
      );
    }
    const t = this.stack.pop()!;
    if (expect !== undefined && t !== expect && t !== ANY && expect !== ANY)
      this.fail(at, `type mismatch: expected ${typeName(expect)}, found ${typeName(t)}`);
    return t;
  }
  private popAll(types: number[], at: number): void {
    for (let i = types.length - 1; i >= 0; i--) this.pop(types[i], at);
  }
  private pushAll(types: number[]): void {
    for (const t of types) this.push(t);
  }
  private unreachable(): void {
    const frame = this.frames.at(-1)!;
    this.stack.length = frame.height;
    frame.unreachable = true;
  }
  private labelTypes(f: Frame): number[] {
    return f.opcode === 'loop' ? f.params : f.results;
  }
  private label(depth: number, at: number): Frame {
    if (depth >= this.frames.length) this.fail(at, `branch depth ${depth} is out of range`);
    return this.frames[this.frames.length - 1 - depth];
  }
  private open(opcode: Frame['opcode'], params: number[], results: number[]): void {
    this.frames.push({ opcode, params, results, height: this.stack.length, unreachable: false });
    this.pushAll(params);
  }
  private close(at: number): Frame {
    const f = this.frames.at(-1)!;
    this.popAll(f.results, at);
    if (this.stack.length !== f.height)
      this.fail(
        at,
        `${this.stack.length - f.height} values left on the stack at the end of a block`,
      );
    this.frames.pop();
    return f;
  }

  private blockType(): { params: number[]; results: number[] } {
    const r = this.r;
    const at = r.pos;
    const b = r.peek();
    if (b === 0x40) {
      r.pos++;
      return { params: [], results: [] };
    }
    if (b >= 0x60 && b <= 0x7f) return { params: [], results: [this.m.valType(r)] };
    const index = r.s33('a block type');
    if (index < 0) this.fail(at, `invalid block type`);
    const t = this.m.type(index, at);
    return { params: t.params, results: t.results };
  }

  private memarg(name: string, at: number): number {
    const r = this.r;
    let align = r.u32('an alignment');
    let memory = 0;
    if (align & 0x40 && this.m.f['multi-memory']) {
      align &= ~0x40;
      memory = r.u32('a memory index');
    }
    const limits = this.m.memory(memory, at);
    if (limits.i64) r.u64('an offset');
    else r.u32('an offset');
    const natural = naturalAlign(name);
    if (align >= 32 || 2 ** align > natural)
      this.fail(at, `alignment 2^${align} is larger than natural (${natural})`);
    if (name.includes('atomic') && 2 ** align !== natural)
      this.fail(at, `atomic accesses must be naturally aligned`);
    return limits.i64 ? I64 : I32;
  }

  private needs(feature: keyof ValidationFeatures, at: number, what: string): void {
    if (!this.m.f[feature]) this.fail(at, `${what} needs the ${feature} proposal`);
  }

  private instruction(): void {
    const r = this.r;
    const at = r.pos;
    const code = r.u8('an opcode');
    let info: OpInfo | undefined;
    let sub = -1;
    const prefixed = PREFIXED[code];
    if (prefixed) {
      sub = r.u32('an opcode');
      info = prefixed[sub];
    } else info = CORE_OPS[code];
    if (!info) this.fail(at, `invalid opcode 0x${code.toString(16)}${sub >= 0 ? ` ${sub}` : ''}`);
    // return_call_ref is a tail call through a typed function reference
    const feature = code === 0x15 ? 'function-references' : info.feature;
    if (feature === 'gc' || feature === 'function-references') this.needs('gc', at, info.name);
    if (feature === 'simd') this.needs('simd', at, info.name);
    if (feature === 'relaxed-simd') this.needs('relaxed-simd', at, info.name);
    if (feature === 'threads') this.needs('threads', at, info.name);
    if (feature === 'tail-call') this.needs('tail-call', at, info.name);
    if (feature === 'legacy-exceptions') this.needs('exceptions', at, info.name);
    if (feature === 'exnref') this.needs('exnref', at, info.name);
    if (feature === 'exceptions' && !this.m.f.exceptions && !this.m.f.exnref)
      this.needs('exceptions', at, info.name);
    if (feature === 'gc' || feature === 'function-references' || feature === 'exnref') {
      this.m.decodedOnly = `it uses ${info.name} (${feature}), which this validator decodes but does not type-check`;
      throw new StopChecking(this.m.decodedOnly);
    }
    if (code === 0xfd) return this.simd(info.name, sub, at);
    if (code === 0xfe) return this.atomic(info.name, sub, at);
    if (code === 0xfc) return this.misc(sub, at);
    this.core(code, info.name, at);
  }

  private core(code: number, name: string, at: number): void {
    const r = this.r;
    switch (code) {
      case 0x00:
        return this.unreachable();
      case 0x01:
        return;
      case 0x02:
      case 0x03: {
        const bt = this.blockType();
        this.popAll(bt.params, at);
        return this.open(code === 0x02 ? 'block' : 'loop', bt.params, bt.results);
      }
      case 0x04: {
        const bt = this.blockType();
        this.pop(I32, at);
        this.popAll(bt.params, at);
        return this.open('if', bt.params, bt.results);
      }
      case 0x05: {
        const f = this.frames.at(-1)!;
        if (f.opcode !== 'if') this.fail(at, 'else without if');
        this.close(at);
        return this.open('else', f.params, f.results);
      }
      case 0x0b: {
        const f = this.close(at);
        if (f.opcode === 'if' && f.params.join() !== f.results.join())
          this.fail(at, 'an if without else must leave what it took');
        if (f.opcode !== 'func') this.pushAll(f.results);
        return;
      }
      case 0x0c: {
        const f = this.label(r.u32('a label'), at);
        this.popAll(this.labelTypes(f), at);
        return this.unreachable();
      }
      case 0x0d: {
        const f = this.label(r.u32('a label'), at);
        this.pop(I32, at);
        const t = this.labelTypes(f);
        this.popAll(t, at);
        return this.pushAll(t);
      }
      case 0x0e: {
        const n = r.count('br_table targets', 1);
        if (n > 65520) this.fail(at, `br_table with ${n} targets: at most 65520`);
        const targets: number[] = [];
        for (let i = 0; i <= n; i++) targets.push(r.u32('a label'));
        this.pop(I32, at);
        const arity = this.labelTypes(this.label(targets[n], at)).length;
        for (const depth of targets) {
          const t = this.labelTypes(this.label(depth, at));
          if (t.length !== arity) this.fail(at, 'br_table targets of different arity');
          // check each target against the stack without consuming it
          const saved = this.stack.slice();
          this.popAll(t, at);
          this.stack.splice(0, this.stack.length, ...saved);
        }
        this.popAll(this.labelTypes(this.label(targets[n], at)), at);
        return this.unreachable();
      }
      case 0x0f:
        this.popAll(this.frames[0].results, at);
        return this.unreachable();
      case 0x10: {
        const t = this.m.funcType(r.u32('a function index'), at);
        this.popAll(t.params, at);
        return this.pushAll(t.results);
      }
      case 0x11: {
        const t = this.m.type(r.u32('a type index'), at);
        const table = this.m.table(r.u32('a table index'), at);
        if (table.type !== FUNCREF)
          this.fail(at, 'call_indirect through a table that does not hold funcref');
        this.pop(I32, at);
        this.popAll(t.params, at);
        return this.pushAll(t.results);
      }
      case 0x12:
      case 0x13: {
        const t =
          code === 0x12
            ? this.m.funcType(r.u32('a function index'), at)
            : this.m.type(r.u32('a type index'), at);
        if (code === 0x13) {
          const table = this.m.table(r.u32('a table index'), at);
          if (table.type !== FUNCREF)
            this.fail(at, 'return_call_indirect through a table that does not hold funcref');
          this.pop(I32, at);
        }
        if (t.results.join() !== this.frames[0].results.join())
          this.fail(at, `a tail call must return what the function returns`);
        this.popAll(t.params, at);
        return this.unreachable();
      }
      case 0x06: {
        const bt = this.blockType();
        this.popAll(bt.params, at);
        return this.open('try', bt.params, bt.results);
      }
      case 0x07:
      case 0x19: {
        const f = this.frames.at(-1)!;
        if (f.opcode !== 'try' && f.opcode !== 'catch') this.fail(at, `${name} outside try`);
        const tagType = code === 0x07 ? this.m.tag(r.u32('a tag index'), at) : undefined;
        this.close(at);
        this.open('catch', [], f.results);
        if (tagType) this.pushAll(tagType.params);
        return;
      }
      case 0x08: {
        const t = this.m.tag(r.u32('a tag index'), at);
        this.popAll(t.params, at);
        return this.unreachable();
      }
      case 0x09: {
        const depth = r.u32('a label');
        const f = this.label(depth, at);
        if (f.opcode !== 'catch') this.fail(at, 'rethrow must target a catch');
        return this.unreachable();
      }
      case 0x18: {
        const depth = r.u32('a label');
        const f = this.frames.at(-1)!;
        if (f.opcode !== 'try') this.fail(at, 'delegate outside try');
        if (depth + 1 >= this.frames.length) this.label(depth + 1, at);
        const closed = this.close(at);
        return this.pushAll(closed.results);
      }
      case 0x1a:
        this.pop(undefined, at);
        return;
      case 0x1b: {
        this.pop(I32, at);
        const a = this.pop(undefined, at);
        const b = this.pop(undefined, at);
        const isNum = (t: number) =>
          t === I32 || t === I64 || t === F32 || t === F64 || t === V128 || t === ANY;
        if (!isNum(a) || !isNum(b)) this.fail(at, 'select without a type needs numeric operands');
        if (a !== b && a !== ANY && b !== ANY)
          this.fail(at, `select of ${typeName(b)} and ${typeName(a)}`);
        return this.push(a === ANY ? b : a);
      }
      case 0x1c: {
        const n = r.u32('select types');
        if (n !== 1) this.fail(at, 'select must name exactly one type');
        const t = this.m.valType(r);
        this.pop(I32, at);
        this.pop(t, at);
        this.pop(t, at);
        return this.push(t);
      }
      case 0x20:
      case 0x21:
      case 0x22: {
        const index = r.u32('a local index');
        const t = this.locals[index];
        if (t === undefined)
          this.fail(at, `local ${index} does not exist (${this.locals.length} locals)`);
        if (code === 0x20) return this.push(t);
        this.pop(t, at);
        if (code === 0x22) this.push(t);
        return;
      }
      case 0x23:
      case 0x24: {
        const g = this.m.global(r.u32('a global index'), at);
        if (code === 0x23) return this.push(g.type);
        if (!g.mutable) this.fail(at, 'global.set of an immutable global');
        this.pop(g.type, at);
        return;
      }
      case 0x25:
      case 0x26: {
        const table = this.m.table(r.u32('a table index'), at);
        if (code === 0x25) {
          this.pop(I32, at);
          return this.push(table.type);
        }
        this.pop(table.type, at);
        this.pop(I32, at);
        return;
      }
      case 0x3f:
      case 0x40: {
        const idxAt = r.pos;
        const memory = r.u32('a memory index');
        if (memory !== 0 && !this.m.f['multi-memory'])
          this.fail(idxAt, 'expected 0 (a reserved byte)');
        const addr = this.m.memory(memory, at).i64 ? I64 : I32;
        if (code === 0x40) this.pop(addr, at);
        return this.push(addr);
      }
      case 0x41:
        signedLeb(r, 32, 'an i32 constant');
        return this.push(I32);
      case 0x42:
        signedLeb(r, 64, 'an i64 constant');
        return this.push(I64);
      case 0x43:
        r.take(4, 'an f32');
        return this.push(F32);
      case 0x44:
        r.take(8, 'an f64');
        return this.push(F64);
      case 0xd0: {
        const hat = r.pos;
        const ht = r.u8('a heap type');
        if (ht !== FUNCREF && ht !== EXTERNREF && !(ht === EXNREF && this.m.f.exnref))
          this.fail(hat, `invalid heap type 0x${ht.toString(16)}`);
        return this.push(ht);
      }
      case 0xd1: {
        const t = this.pop(undefined, at);
        if (t !== FUNCREF && t !== EXTERNREF && t !== EXNREF && t !== ANY)
          this.fail(at, `ref.is_null of ${typeName(t)}`);
        return this.push(I32);
      }
      case 0xd2: {
        const index = r.u32('a function index');
        this.m.funcType(index, at);
        if (!this.m.isDeclared(index))
          this.fail(
            at,
            `ref.func of function ${index}, which is not declared (exported, in an element segment or a global)`,
          );
        return this.push(FUNCREF);
      }
    }
    if (code >= 0x28 && code <= 0x3e) {
      const addr = this.memarg(name, at);
      const t = NUM[name.slice(0, 3)];
      if (name.includes('load')) {
        this.pop(addr, at);
        return this.push(t);
      }
      this.pop(t, at);
      this.pop(addr, at);
      return;
    }
    this.numeric(name, at);
  }

  /** Numeric instructions, typed from their names (i32.add, f64.convert_i32_s, i64.extend8_s …). */
  private numeric(name: string, at: number): void {
    const t = NUM[name.slice(0, 3)];
    if (t === undefined) this.fail(at, `${name} is not validated here`);
    const op = name.slice(4);
    const conv = /_(i32|i64|f32|f64)(_[su])?$/.exec(op);
    if (conv && !/^extend\d/.test(op)) {
      this.pop(NUM[conv[1]], at);
      return this.push(t);
    }
    if (op === 'eqz') {
      this.pop(t, at);
      return this.push(I32);
    }
    if (/^(eq|ne|lt|gt|le|ge)(_[su])?$/.test(op)) {
      this.pop(t, at);
      this.pop(t, at);
      return this.push(I32);
    }
    if (/^(clz|ctz|popcnt|abs|neg|ceil|floor|trunc|nearest|sqrt|extend\d+_s)$/.test(op)) {
      this.pop(t, at);
      return this.push(t);
    }
    this.pop(t, at);
    this.pop(t, at);
    this.push(t);
  }

  private misc(sub: number, at: number): void {
    const r = this.r;
    if (sub <= 7) {
      const to = sub < 4 ? I32 : I64;
      this.pop([F32, F64][(sub >> 1) & 1], at);
      return this.push(to);
    }
    switch (sub) {
      case 8: {
        const seg = r.u32('a data index');
        const mem = r.u32('a memory index');
        this.m.dataSegment(seg, at);
        const addr = this.m.memory(mem, at).i64 ? I64 : I32;
        this.pop(I32, at);
        this.pop(I32, at);
        this.pop(addr, at);
        return;
      }
      case 9:
        this.m.dataSegment(r.u32('a data index'), at);
        return;
      case 10: {
        const a = this.m.memory(r.u32('a memory index'), at);
        const b = this.m.memory(r.u32('a memory index'), at);
        this.pop(a.i64 && b.i64 ? I64 : I32, at);
        this.pop(b.i64 ? I64 : I32, at);
        this.pop(a.i64 ? I64 : I32, at);
        return;
      }
      case 11: {
        const m = this.m.memory(r.u32('a memory index'), at);
        const addr = m.i64 ? I64 : I32;
        this.pop(addr, at);
        this.pop(I32, at);
        this.pop(addr, at);
        return;
      }
      case 12: {
        const seg = this.m.elem(r.u32('an element index'), at);
        const table = this.m.table(r.u32('a table index'), at);
        if (seg !== table.type) this.fail(at, 'table.init of a segment of another type');
        this.popAll([I32, I32, I32], at);
        return;
      }
      case 13:
        this.m.elem(r.u32('an element index'), at);
        return;
      case 14: {
        const dst = this.m.table(r.u32('a table index'), at);
        const src = this.m.table(r.u32('a table index'), at);
        if (dst.type !== src.type) this.fail(at, 'table.copy between tables of different types');
        this.popAll([I32, I32, I32], at);
        return;
      }
      case 15: {
        const t = this.m.table(r.u32('a table index'), at);
        this.pop(I32, at);
        this.pop(t.type, at);
        return this.push(I32);
      }
      case 16:
        this.m.table(r.u32('a table index'), at);
        return this.push(I32);
      case 17: {
        const t = this.m.table(r.u32('a table index'), at);
        this.pop(I32, at);
        this.pop(t.type, at);
        this.pop(I32, at);
        return;
      }
    }
    this.fail(at, `invalid opcode 0xfc ${sub}`);
  }

  private atomic(name: string, sub: number, at: number): void {
    if (sub === 3) {
      const b = this.r.u8('a reserved byte');
      if (b !== 0) this.fail(at, 'atomic.fence: expected a zero byte');
      return;
    }
    const addr = this.memarg(name, at);
    const t = name.startsWith('i64') ? I64 : I32;
    if (name === 'memory.atomic.notify') {
      this.pop(I32, at);
      this.pop(addr, at);
      return this.push(I32);
    }
    if (name.startsWith('memory.atomic.wait')) {
      this.pop(I64, at);
      this.pop(name.endsWith('64') ? I64 : I32, at);
      this.pop(addr, at);
      return this.push(I32);
    }
    if (name.includes('.load')) {
      this.pop(addr, at);
      return this.push(t);
    }
    if (name.includes('.store')) {
      this.pop(t, at);
      this.pop(addr, at);
      return;
    }
    if (name.includes('cmpxchg')) this.pop(t, at);
    this.pop(t, at);
    this.pop(addr, at);
    this.push(t);
  }

  private simd(name: string, sub: number, at: number): void {
    const r = this.r;
    const lane = /^(i8x16|i16x8|i32x4|i64x2|f32x4|f64x2)\./.exec(name)?.[1];
    const scalar = lane
      ? (
          { i8x16: I32, i16x8: I32, i32x4: I32, i64x2: I64, f32x4: F32, f64x2: F64 } as Record<
            string,
            number
          >
        )[lane]
      : I32;
    const lanes = lane ? Number(lane.split('x')[1]) : 16;
    if (name.startsWith('v128.load') || name.startsWith('v128.store')) {
      const addr = this.memarg(name, at);
      if (/_lane$/.test(name)) {
        const l = r.u8('a lane index');
        if (l >= 16 / naturalAlign(name)) this.fail(at, `lane ${l} is out of range`);
        this.pop(V128, at);
        this.pop(addr, at);
        if (name.startsWith('v128.load')) this.push(V128);
        return;
      }
      if (name.startsWith('v128.store')) {
        this.pop(V128, at);
        this.pop(addr, at);
        return;
      }
      this.pop(addr, at);
      return this.push(V128);
    }
    switch (sub) {
      case 12:
        r.take(16, 'a v128');
        return this.push(V128);
      case 13: {
        const lanesBytes = r.slice(16, 'shuffle lanes');
        if (lanesBytes.some((l) => l >= 32)) this.fail(at, 'a shuffle lane index is over 31');
        this.pop(V128, at);
        this.pop(V128, at);
        return this.push(V128);
      }
    }
    if (/extract_lane|replace_lane/.test(name)) {
      const l = r.u8('a lane index');
      if (l >= lanes) this.fail(at, `lane ${l} is out of range for ${lane}`);
      if (name.includes('replace')) {
        this.pop(scalar, at);
        this.pop(V128, at);
        return this.push(V128);
      }
      this.pop(V128, at);
      return this.push(scalar);
    }
    if (name.endsWith('.splat')) {
      this.pop(scalar, at);
      return this.push(V128);
    }
    if (/all_true|bitmask|any_true/.test(name)) {
      this.pop(V128, at);
      return this.push(I32);
    }
    if (/\.(shl|shr_s|shr_u)$/.test(name)) {
      this.pop(I32, at);
      this.pop(V128, at);
      return this.push(V128);
    }
    const ternary = /bitselect|laneselect|relaxed_n?madd|dot_i8x16_i7x16_add/.test(name);
    const unary =
      /\.(not|abs|neg|popcnt|sqrt|ceil|floor|trunc|nearest)$|extend_(low|high)|convert|demote|promote|trunc_sat|extadd_pairwise|relaxed_trunc/.test(
        name,
      );
    const n = ternary ? 3 : unary ? 1 : 2;
    for (let i = 0; i < n; i++) this.pop(V128, at);
    this.push(V128);
  }
}
