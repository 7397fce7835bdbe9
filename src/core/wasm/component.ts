import type { ByteReader } from './byte-reader';
import { decodeCoreModule } from './core-module';
import { readProducers } from './custom-sections';
import { readWasmHeader } from './header';
import type { ComponentExternInfo, ComponentInfo } from './model';
import { COMPONENT_SECTION_NAMES, problemFrom, walkSections } from './sections';

/** Components nest; beyond this depth a hostile file is refused instead of recursing on. */
const MAX_NESTING = 32;

const CORE_SORTS: Record<number, string> = {
  0x00: 'core func',
  0x01: 'core table',
  0x02: 'core memory',
  0x03: 'core global',
  0x10: 'core type',
  0x11: 'core module',
  0x12: 'core instance',
};
const SORTS = ['', 'func', 'value', 'type', 'component', 'instance'];

/**
 * Decodes a component-model binary (layer 1): its sections, imports and exports by name, and the
 * core modules and components nested in it (each decoded in full, with absolute offsets). The
 * type, alias and canon sections are located and counted, not interpreted.
 */
export function decodeComponent(
  bytes: Uint8Array,
  start = 0,
  end = bytes.length,
  depth = 0,
): ComponentInfo {
  const c: ComponentInfo = {
    kind: 'component',
    offset: start,
    size: end - start,
    version: 0,
    sections: [],
    imports: [],
    exports: [],
    modules: [],
    components: [],
    customSections: [],
    problems: [],
  };
  try {
    c.version = readWasmHeader(bytes.subarray(start, end)).version;
  } catch (e) {
    const p = problemFrom(e);
    c.problems.push({ ...p, offset: p.offset + start });
    return c;
  }
  c.sections = walkSections(
    bytes,
    start + 8,
    end,
    COMPONENT_SECTION_NAMES,
    c.problems,
    (id, r, section) => {
      switch (id) {
        case 0: {
          const name = r.name('a custom section name');
          section.name = `custom:${name}`;
          c.customSections.push({ name, offset: section.offset, size: section.totalSize });
          if (name === 'producers') c.producers = readProducers(r);
          r.pos = r.end;
          return;
        }
        case 1:
          c.modules.push(decodeCoreModule(bytes, r.pos, r.end));
          r.pos = r.end;
          return;
        case 4:
          if (depth >= MAX_NESTING) r.fail(`components nested more than ${MAX_NESTING} deep`);
          c.components.push(decodeComponent(bytes, r.pos, r.end, depth + 1));
          r.pos = r.end;
          return;
        case 10: {
          const n = (section.count = r.count('imports', 3));
          for (let i = 0; i < n; i++) {
            const name = externName(r);
            c.imports.push({ ...name, kind: externDesc(r) });
          }
          return;
        }
        case 11: {
          const n = (section.count = r.count('exports', 3));
          for (let i = 0; i < n; i++) {
            const name = externName(r);
            const kind = sort(r);
            r.u32('an export index');
            const hasType = r.u8('an export type flag');
            if (hasType === 1) externDesc(r);
            else if (hasType !== 0) r.fail(`unexpected export type flag ${hasType}`, r.pos - 1);
            c.exports.push({ ...name, kind });
          }
          return;
        }
        case 9:
          r.pos = r.end; // a start function: its arguments are not described here
          return;
        default:
          section.count = r.u32('the number of entries');
          r.pos = r.end;
      }
    },
  );
  // nested problems carry their own offsets; surface them on the top level too
  for (const nested of [...c.modules, ...c.components])
    c.problems.push(
      ...nested.problems.map((p) => ({
        ...p,
        section: `nested ${nested.kind} at ${nested.offset}${p.section ? `: ${p.section}` : ''}`,
      })),
    );
  return c;
}

/** importname' / exportname': 0x00 name, or 0x01 name + version suffix. */
function externName(r: ByteReader): Pick<ComponentExternInfo, 'name' | 'version'> {
  const at = r.pos;
  const form = r.u8('a name form');
  if (form !== 0x00 && form !== 0x01) r.fail(`unknown extern name form 0x${form.toString(16)}`, at);
  const name = r.name('an import or export name');
  if (form === 0x01) return { name, version: r.name('a version suffix') };
  return { name };
}

function sort(r: ByteReader): string {
  const at = r.pos;
  const s = r.u8('a sort');
  if (s === 0x00) {
    const core = r.u8('a core sort');
    return CORE_SORTS[core] ?? r.fail(`unknown core sort 0x${core.toString(16)}`, at + 1);
  }
  return SORTS[s] || r.fail(`unknown sort 0x${s.toString(16)}`, at);
}

function externDesc(r: ByteReader): string {
  const at = r.pos;
  const s = r.u8('an extern description');
  switch (s) {
    case 0x00:
      if (r.u8('a core module marker') !== 0x11)
        r.fail('expected 0x11 (core module) in an extern description', r.pos - 1);
      r.u32('a core type index');
      return 'core module';
    case 0x02: {
      // a primitive value type is one byte with the s33 sign bit set; otherwise a type index
      const b = r.peek();
      if (b >= 0x40 && b < 0x80) r.pos++;
      else r.u32('a value type index');
      return 'value';
    }
    case 0x03: {
      const bound = r.u8('a type bound');
      if (bound === 0x00) r.u32('a type index');
      else if (bound !== 0x01) r.fail(`unknown type bound 0x${bound.toString(16)}`, r.pos - 1);
      return 'type';
    }
    case 0x01:
    case 0x04:
    case 0x05:
      r.u32('a type index');
      return SORTS[s] ?? 'unknown';
  }
  return r.fail(`unknown extern description 0x${s.toString(16)}`, at);
}
