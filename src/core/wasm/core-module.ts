import { ByteReader } from './byte-reader';
import { attachFunctionTable, FunctionTable, LazyFunctionNames } from './function-table';
import { readProducers, readTargetFeatures } from './custom-sections';
import { readWasmHeader, WasmFormatError } from './header';
import { skipConstExpr } from './instructions';
import type {
  CoreModuleInfo,
  ExternKind,
  LimitsInfo,
  SectionInfo,
  SegmentInfo,
  SegmentsInfo,
  TypeInfo,
} from './model';
import { CORE_SECTION_NAMES, CORE_SECTION_RANK, problemFrom, walkSections } from './sections';
import { readStorageType, readValType, readValTypes } from './value-types';

const EXTERN_KINDS: ExternKind[] = ['func', 'table', 'memory', 'global', 'tag'];

function emptyModule(offset: number, size: number): CoreModuleInfo {
  return {
    kind: 'core-module',
    offset,
    size,
    sections: [],
    types: [],
    imports: [],
    exports: [],
    functions: [],
    importedFunctionCount: 0,
    tables: [],
    memories: [],
    globals: [],
    tags: 0,
    elements: emptySegments(),
    data: emptySegments(),
    customSections: [],
    localNames: { functions: 0, bytes: 0 },
    problems: [],
  };
}

/**
 * Decodes the structure of a core module (never the instructions: function bodies are only
 * located, which keeps a 14 MB module in the tens of milliseconds). Problems are collected with
 * their offsets; everything decoded before and after a bad section is kept.
 */
export function decodeCoreModule(bytes: Uint8Array, start = 0, end = bytes.length): CoreModuleInfo {
  const m = emptyModule(start, end - start);
  try {
    const header = readWasmHeader(bytes.subarray(start, end));
    if (header.kind !== 'core-module')
      throw new WasmFormatError('expected a core module, found a component', 4);
  } catch (e) {
    const p = problemFrom(e);
    m.problems.push({ ...p, offset: p.offset + start });
    return m;
  }
  const buffer = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const state = new ModuleState(m, buffer);
  m.sections = walkSections(
    bytes,
    start + 8,
    end,
    CORE_SECTION_NAMES,
    m.problems,
    (id, r, section) => state.section(id, r, section),
  );
  state.finish();
  return m;
}

class ModuleState {
  private lastRank = 0;
  private lastSection = '';

  /** Type index of every imported function. */
  private readonly importTypes: number[] = [];
  /** Type index of every defined function (the function section). */
  private definedTypes = new Uint32Array(0);
  /** Where each body lies (the code section), and how many were read before any problem. */
  private bodyOffsets = new Uint32Array(0);
  private bodySizes = new Uint32Array(0);
  private bodies = 0;
  private names: LazyFunctionNames | undefined;
  private readonly globalNames = new Map<number, string>();

  constructor(
    private readonly m: CoreModuleInfo,
    private readonly buffer: Buffer,
  ) {}

  /** The type index of function `index` (imports first), -1 when no section declares it. */
  private funcType(index: number): number {
    const imported = this.importTypes.length;
    if (index < imported) return this.importTypes[index] ?? -1;
    return index - imported < this.definedTypes.length
      ? (this.definedTypes[index - imported] ?? -1)
      : -1;
  }

  section(id: number, r: ByteReader, section: SectionInfo): void {
    const m = this.m;
    if (id !== 0) {
      // a repeated or misplaced section is reported and not decoded: its entries would be counted twice
      const rank = CORE_SECTION_RANK[id];
      if (rank === undefined || rank <= this.lastRank) {
        r.pos = r.end;
        r.fail(
          section.name === this.lastSection
            ? `a second ${section.name} section: each section may appear once`
            : `the ${section.name} section comes after the ${this.lastSection} section, out of order`,
          section.offset,
        );
      }
      this.lastRank = rank;
      this.lastSection = section.name;
    }
    switch (id) {
      case 0:
        return this.custom(r, section);
      case 1:
        return this.vector(r, section, 'types', 1, () => this.typeEntry(r));
      case 2:
        return this.vector(r, section, 'imports', 4, () => this.importEntry(r));
      case 3:
        return this.functionSection(r, section);
      case 4:
        return this.vector(r, section, 'tables', 2, () => {
          let hasInit = false;
          if (r.peek() === 0x40) {
            r.pos++;
            if (r.u8('a reserved byte') !== 0)
              r.fail('expected 0x00 after 0x40 in a table with an initialiser', r.pos - 1);
            hasInit = true;
          }
          const elementType = readValType(r);
          m.tables.push({
            index: m.tables.length,
            imported: false,
            elementType,
            ...this.limits(r),
          });
          if (hasInit) this.constExpr(r);
        });
      case 5:
        return this.vector(r, section, 'memories', 2, () => {
          m.memories.push({ index: m.memories.length, imported: false, ...this.limits(r) });
        });
      case 6:
        return this.vector(r, section, 'globals', 3, () => {
          const type = readValType(r);
          const mutable = r.u8('a mutability flag') === 1;
          this.constExpr(r);
          m.globals.push({ index: m.globals.length, imported: false, type, mutable });
        });
      case 7:
        return this.vector(r, section, 'exports', 3, () => {
          const name = r.name('an export name');
          const at = r.pos;
          const kind = EXTERN_KINDS[r.u8('an export kind')] ?? r.fail('unknown export kind', at);
          const index = r.u32('an export index');
          m.exports.push({
            name,
            kind,
            index,
            ...(kind === 'func' ? { type: this.funcSignature(index) } : {}),
          });
        });
      case 8:
        m.start = r.u32('the start function index');
        return;
      case 9:
        return this.vector(r, section, 'element segments', 1, () => this.elementSegment(r));
      case 10:
        return this.code(r, section);
      case 11:
        return this.dataSection(r, section);
      case 12:
        m.dataCount = r.u32('the data count');
        return;
      case 13:
        return this.vector(r, section, 'tags', 2, () => {
          r.u8('a tag attribute');
          r.u32('a tag type index');
          m.tags++;
        });
    }
  }

  /** A constant expression, noting extended-const arithmetic (i32.add … in an initialiser). */
  private constExpr(r: ByteReader): void {
    if (skipConstExpr(r)) this.m.extendedConst = true;
  }

  private vector(
    r: ByteReader,
    section: SectionInfo,
    what: string,
    minBytes: number,
    entry: () => void,
  ): void {
    const n = r.count(what, minBytes);
    section.count = n;
    for (let i = 0; i < n; i++) entry();
  }

  private typeEntry(r: ByteReader): void {
    if (r.peek() === 0x4e) {
      r.pos++;
      const n = r.count('types in a recursion group');
      for (let i = 0; i < n; i++) this.subType(r);
    } else {
      this.subType(r);
    }
  }

  private subType(r: ByteReader): void {
    const b = r.peek();
    if (b === 0x50 || b === 0x4f) {
      r.pos++;
      const supers = r.count('supertypes');
      for (let i = 0; i < supers; i++) r.u32('a supertype index');
    }
    this.m.types.push(compositeType(r));
  }

  private importEntry(r: ByteReader): void {
    const m = this.m;
    const module = r.name('an import module name');
    const name = r.name('an import name');
    const at = r.pos;
    const kind = EXTERN_KINDS[r.u8('an import kind')] ?? r.fail('unknown import kind', at);
    let type: string;
    let index: number;
    switch (kind) {
      case 'func': {
        const typeIndex = r.u32('a type index');
        index = this.importTypes.length;
        this.importTypes.push(typeIndex);
        m.importedFunctionCount++;
        type = this.funcSignature(index) ?? `(type ${typeIndex})`;
        break;
      }
      case 'table': {
        const elementType = readValType(r);
        const limits = this.limits(r);
        index = m.tables.length;
        m.tables.push({ index, imported: true, elementType, ...limits });
        type = `table ${limitsText(limits)} ${elementType}`;
        break;
      }
      case 'memory': {
        const limits = this.limits(r);
        index = m.memories.length;
        m.memories.push({ index, imported: true, ...limits });
        type = `memory ${limitsText(limits)} pages`;
        break;
      }
      case 'global': {
        const valType = readValType(r);
        const mutable = r.u8('a mutability flag') === 1;
        index = m.globals.length;
        m.globals.push({ index, imported: true, type: valType, mutable });
        type = mutable ? `(mut ${valType})` : valType;
        break;
      }
      case 'tag':
        r.u8('a tag attribute');
        type = `tag (type ${r.u32('a type index')})`;
        index = m.tags++;
        break;
    }
    m.imports.push({ module, name, kind, index, type });
  }

  private limits(r: ByteReader): LimitsInfo {
    const at = r.pos;
    const flags = r.u8('limits flags');
    if (flags > 0x0f) r.fail(`unknown limits flags 0x${flags.toString(16)}`, at);
    const index64 = (flags & 4) !== 0;
    const read = () => (index64 ? r.u64('a 64-bit limit') : r.u32('a limit'));
    const min = read();
    const limits: LimitsInfo = { min, shared: (flags & 2) !== 0, index64 };
    if (flags & 1) limits.max = read();
    if (flags & 8) limits.pageSizeLog2 = r.u32('a page size');
    return limits;
  }

  private elementSegment(r: ByteReader): void {
    const at = r.pos;
    const flags = r.u32('element segment flags');
    if (flags > 7) r.fail(`unknown element segment flags ${flags}`, at);
    const usesExprs = (flags & 4) !== 0;
    if ((flags & 1) === 0) {
      if (flags & 2) r.u32('a table index');
      this.constExpr(r);
    }
    if (flags & 3) {
      if (usesExprs) readValType(r);
      else r.u8('an element kind');
    }
    const offset = r.pos;
    const count = r.count('elements');
    for (let i = 0; i < count; i++) {
      if (usesExprs) this.constExpr(r);
      else r.u32('a function index');
    }
    const mode = (flags & 1) === 0 ? 'active' : flags & 2 ? 'declarative' : 'passive';
    addSegment(this.m.elements, mode, offset, r.pos - offset, count);
  }

  /**
   * Data segments, the usual one (active in memory 0 at "i32.const N end") read inline: a debug
   * build has thousands. Anything else goes through dataSegment, which reads it the same way.
   */
  private dataSection(r: ByteReader, section: SectionInfo): void {
    const n = r.count('data segments', 1);
    section.count = n;
    const bytes = r.bytes;
    const end = r.end;
    const data = this.m.data;
    for (let i = 0; i < n; i++) {
      let p = r.pos;
      if (bytes[p] === 0 && bytes[p + 1] === 0x41) {
        p += 2;
        const leb = p;
        while (p < end && p - leb < 5 && (bytes[p] ?? 0) & 0x80) p++;
        if (p + 1 < end && p - leb < 5 && bytes[p + 1] === 0x0b) {
          r.pos = p + 2;
          const size = r.u32('a data segment size');
          addSegment(data, 'active', r.take(size, 'a data segment'), size);
          continue;
        }
      }
      this.dataSegment(r);
    }
  }

  private dataSegment(r: ByteReader): void {
    const at = r.pos;
    const flags = r.u32('data segment flags');
    if (flags > 2) r.fail(`unknown data segment flags ${flags}`, at);
    if (flags === 2) r.u32('a memory index');
    if (flags !== 1) this.constExpr(r);
    const size = r.u32('a data segment size');
    const offset = r.take(size, 'a data segment');
    addSegment(this.m.data, flags === 1 ? 'passive' : 'active', offset, size);
  }

  /** Type indices straight into an array: no call per function of a 20 000-function module. */
  private functionSection(r: ByteReader, section: SectionInfo): void {
    const n = r.count('functions', 1);
    section.count = n;
    const types = new Uint32Array(n);
    this.definedTypes = types;
    const bytes = r.bytes;
    const end = r.end;
    let pos = r.pos;
    for (let i = 0; i < n; i++) {
      const b = bytes[pos] ?? 0x80;
      if (b < 0x80 && pos < end) {
        types[i] = b;
        pos++;
      } else {
        r.pos = pos;
        types[i] = r.u32('a type index');
        pos = r.pos;
      }
    }
    r.pos = pos;
  }

  /** Locates the bodies (offsets and sizes into two arrays); nothing inside them is read. */
  private code(r: ByteReader, section: SectionInfo): void {
    const m = this.m;
    const n = r.count('function bodies');
    section.count = n;
    const defined = this.definedTypes.length;
    if (n !== defined)
      m.problems.push({
        offset: section.payloadOffset,
        message: `the code section has ${n} bodies but the function section declares ${defined}`,
        section: 'code',
      });
    const offsets = (this.bodyOffsets = new Uint32Array(n));
    const sizes = (this.bodySizes = new Uint32Array(n));
    const bytes = r.bytes;
    const end = r.end;
    let pos = r.pos;
    for (let i = 0; i < n; i++) {
      // body sizes of one or two bytes inline, longer ones through the checked reader
      const b0 = bytes[pos] ?? 0x80;
      const b1 = bytes[pos + 1] ?? 0x80;
      let size: number;
      if (b0 < 0x80 && pos < end) {
        size = b0;
        pos += 1;
      } else if (b1 < 0x80 && pos + 1 < end) {
        size = (b0 & 0x7f) | (b1 << 7);
        pos += 2;
      } else {
        r.pos = pos;
        size = r.u32('a function body size');
        pos = r.pos;
      }
      if (size > end - pos) {
        r.pos = pos;
        r.take(size, `the body of function ${m.importedFunctionCount + i}`);
      }
      offsets[i] = pos;
      sizes[i] = size;
      pos += size;
      this.bodies = i + 1;
    }
    r.pos = pos;
  }

  private custom(r: ByteReader, section: SectionInfo): void {
    const m = this.m;
    const name = r.name('a custom section name');
    section.name = `custom:${name}`;
    m.customSections.push({ name, offset: section.offset, size: section.totalSize });
    // a malformed custom section is reported but never invalidates the module
    try {
      switch (name) {
        case 'name':
          this.nameSection(r);
          break;
        case 'producers':
          m.producers = readProducers(r);
          break;
        case 'target_features':
          m.targetFeatures = readTargetFeatures(r);
          break;
        case 'sourceMappingURL':
          m.sourceMappingURL = r.name('the source map URL');
          break;
        case 'external_debug_info':
          m.externalDebugInfo = r.name('the external debug info URL');
          break;
      }
    } catch (e) {
      m.problems.push(problemFrom(e, section.name));
    }
    r.pos = r.end;
  }

  private nameSection(r: ByteReader): void {
    while (!r.atEnd) {
      const id = r.u8('a name subsection id');
      const size = r.u32('a name subsection size');
      const sub = new ByteReader(r.bytes, r.pos, r.pos + size);
      r.take(size, 'a name subsection');
      switch (id) {
        case 0:
          this.m.moduleName = sub.name('the module name');
          break;
        case 1:
          this.functionNames(sub);
          break;
        case 2:
          // a debug build names every local: counted by size, not decoded (the first screen does not need them)
          this.m.localNames = {
            functions: sub.u32('the number of functions with local names'),
            bytes: size,
          };
          break;
        case 7:
          readNameMap(sub, this.globalNames);
          break;
      }
    }
  }

  /**
   * Function names are located, not decoded: their offsets go into two arrays by function, and a
   * name becomes a string when something asks for it (a list, the largest functions, WAT).
   */
  private functionNames(r: ByteReader): void {
    const m = this.m;
    const imported = m.imports.filter((i) => i.kind === 'func');
    const first = m.importedFunctionCount;
    const n = r.count('function names', 2);
    const names = (this.names = new LazyFunctionNames(
      this.buffer,
      Math.max(this.definedTypes.length, this.bodyOffsets.length),
    ));
    const bytes = r.bytes;
    const end = r.end;
    let pos = r.pos;
    for (let i = 0; i < n; i++) {
      // index and length of one or two bytes inline, longer ones through the checked reader
      let index = bytes[pos] ?? 0x80;
      if (index < 0x80 && pos < end) pos++;
      else {
        r.pos = pos;
        index = r.u32('a function index');
        pos = r.pos;
      }
      let length = bytes[pos] ?? 0x80;
      if (length < 0x80 && pos < end) pos++;
      else {
        r.pos = pos;
        length = r.u32('the length of a function name');
        pos = r.pos;
      }
      if (length > end - pos) {
        r.pos = pos;
        r.take(length, 'a function name');
      }
      if (index >= first && index - first < names.count) names.set(index - first, pos, length);
      else if (index < imported.length) {
        const imp = imported[index];
        const name = this.buffer.toString('utf8', pos, pos + length);
        if (imp && name !== imp.name) imp.debugName = name;
      }
      pos += length;
    }
    r.pos = pos;
  }

  private funcSignature(index: number): string | undefined {
    const t = this.m.types[this.funcType(index)];
    return t?.kind === 'func' ? signatureText(t) : undefined;
  }

  finish(): void {
    attachFunctionTable(
      this.m,
      new FunctionTable(
        this.m.importedFunctionCount,
        this.bodies,
        this.definedTypes,
        this.bodyOffsets,
        this.bodySizes,
        this.names,
      ),
    );
    for (const g of this.m.globals) {
      const name = this.globalNames.get(g.index);
      if (name !== undefined) g.name = name;
    }
  }
}

const LARGEST_SEGMENTS = 20;

function emptySegments(): SegmentsInfo {
  return { count: 0, bytes: 0, passive: 0, largest: [] };
}

function addSegment(
  into: SegmentsInfo,
  mode: SegmentInfo['mode'],
  offset: number,
  size: number,
  count?: number,
): void {
  const index = into.count++;
  into.bytes += size;
  if (mode !== 'active') into.passive++;
  const largest = into.largest;
  if (largest.length === LARGEST_SEGMENTS && size <= (largest[LARGEST_SEGMENTS - 1]?.size ?? 0))
    return;
  const segment: SegmentInfo = {
    index,
    mode,
    offset,
    size,
    ...(count === undefined ? {} : { count }),
  };
  let i = largest.length;
  while (i > 0 && (largest[i - 1]?.size ?? 0) < size) i--;
  largest.splice(i, 0, segment);
  if (largest.length > LARGEST_SEGMENTS) largest.pop();
}

function readNameMap(r: ByteReader, into: Map<number, string>): void {
  const n = r.count('names', 2);
  for (let i = 0; i < n; i++) {
    const index = r.u32('an index');
    into.set(index, r.name('a name'));
  }
}

function compositeType(r: ByteReader): TypeInfo {
  const at = r.pos;
  const form = r.u8('a type form');
  switch (form) {
    case 0x60: {
      const params = readValTypes(r, 'parameters');
      const results = readValTypes(r, 'results');
      const t: TypeInfo = { kind: 'func', params, results, text: '' };
      t.text = `(func${signatureText(t) ? ` ${signatureText(t)}` : ''})`;
      return t;
    }
    case 0x5f: {
      const n = r.count('struct fields', 2);
      const fields: string[] = [];
      for (let i = 0; i < n; i++) fields.push(fieldType(r));
      return { kind: 'struct', text: `(struct${fields.map((f) => ` (field ${f})`).join('')})` };
    }
    case 0x5e:
      return { kind: 'array', text: `(array ${fieldType(r)})` };
  }
  return r.fail(`unknown type form 0x${form.toString(16)}`, at);
}

function fieldType(r: ByteReader): string {
  const t = readStorageType(r);
  return r.u8('a mutability flag') === 1 ? `(mut ${t})` : t;
}

export function signatureText(t: TypeInfo): string {
  const parts = [];
  if (t.params?.length) parts.push(`(param ${t.params.join(' ')})`);
  if (t.results?.length) parts.push(`(result ${t.results.join(' ')})`);
  return parts.join(' ');
}

export function limitsText(l: LimitsInfo): string {
  return `${l.min}${l.max === undefined ? '' : `..${l.max}`}${l.shared ? ' shared' : ''}${l.index64 ? ' i64' : ''}`;
}
