import { functionTable, type FunctionTable } from './function-table';
import type { ComponentInfo, CoreModuleInfo, WasmBinaryInfo } from './model';

export interface SizeItem {
  name: string;
  bytes: number;
  /** Share of the whole file, 0..1. */
  share: number;
}

export interface FunctionSize extends SizeItem {
  index: number;
  /** Which core module (in the order of allModules: 0 for a core module) defines it. */
  module: number;
}

export interface SizeBreakdown {
  fileSize: number;
  /** Every section (header included), plus the 8-byte preamble. */
  bySection: SizeItem[];
  code: { bytes: number; functions: number; largest: FunctionSize[] };
  data: { bytes: number; segments: number };
  /** DWARF (.debug_*) and other debug-only sections. */
  debug: SizeItem[];
  custom: SizeItem[];
  /** Components: the nested core modules and components. */
  nested: SizeItem[];
  /** Custom sections nothing needs to load or run the binary (debug info, names, producers …): what stripping would save. */
  strippable: { bytes: number; share: number; sections: string[] };
}

const TOP_FUNCTIONS = 25;

/**
 * Custom sections something still reads after stripping, never counted as strippable: the
 * component-type data wit-component reads, dylink.0 (and the older dylink) that a dynamic loader
 * (Emscripten's, wasm-ld -pie users') needs to place the module, and an object file's linking and
 * reloc.* sections that the linker needs.
 */
export const KEEP_CUSTOM = /^(component-type|dylink(\.0)?$|linking$|reloc\.)/;

export function sizeBreakdown(info: WasmBinaryInfo, fileSize = info.size): SizeBreakdown {
  const share = (bytes: number) => (fileSize ? bytes / fileSize : 0);
  const item = (name: string, bytes: number): SizeItem => ({ name, bytes, share: share(bytes) });
  const bySection = new Map<string, number>([['preamble', Math.min(8, fileSize)]]);
  for (const s of info.sections) {
    bySection.set(s.name, (bySection.get(s.name) ?? 0) + s.totalSize);
  }
  const modules = coreModules(info);
  // the largest bodies by insertion into a short sorted list, over the function table's columns:
  // no object per function, and only the 25 names shown are decoded
  const top: { t: FunctionTable; i: number; size: number; m: CoreModuleInfo; module: number }[] =
    [];
  let codeBytes = 0;
  let functionCount = 0;
  for (const [module, m] of modules.entries()) {
    const t = functionTable(m);
    functionCount += t.count;
    for (let i = 0; i < t.count; i++) {
      const size = t.bodySize(i);
      codeBytes += size;
      if (top.length === TOP_FUNCTIONS && size <= (top[TOP_FUNCTIONS - 1]?.size ?? 0)) continue;
      let at = top.length;
      while (at > 0 && (top[at - 1]?.size ?? 0) < size) at--;
      top.splice(at, 0, { t, i, size, m, module });
      if (top.length > TOP_FUNCTIONS) top.pop();
    }
  }
  const largest = top.map(({ t, i, size, m, module }) => ({
    ...item(
      t.name(i) ?? `func[${t.index(i)}]${modules.length > 1 ? ` of module @${m.offset}` : ''}`,
      size,
    ),
    index: t.index(i),
    module,
  }));
  const custom = modules
    .flatMap((m) => m.customSections)
    .concat(info.kind === 'component' ? allCustom(info) : []);
  const debug = custom.filter(
    (c) =>
      c.name.startsWith('.debug') ||
      c.name === 'sourceMappingURL' ||
      c.name === 'external_debug_info',
  );
  const strippable = custom.filter((c) => !KEEP_CUSTOM.test(c.name));
  const strippedBytes = strippable.reduce((s, c) => s + c.size, 0);
  return {
    fileSize,
    bySection: [...bySection]
      .map(([name, bytes]) => item(name, bytes))
      .sort((a, b) => b.bytes - a.bytes),
    code: { bytes: codeBytes, functions: functionCount, largest },
    data: {
      bytes: modules.reduce((s, m) => s + m.data.bytes, 0),
      segments: modules.reduce((s, m) => s + m.data.count, 0),
    },
    debug: debug.map((c) => item(c.name, c.size)),
    custom: custom.map((c) => item(c.name, c.size)).sort((a, b) => b.bytes - a.bytes),
    nested:
      info.kind === 'component'
        ? [...info.modules, ...info.components].map((n, i) =>
            item(
              `${n.kind === 'core-module' ? 'core module' : 'component'} #${i} @${n.offset}`,
              n.size,
            ),
          )
        : [],
    strippable: {
      bytes: strippedBytes,
      share: share(strippedBytes),
      sections: [...new Set(strippable.map((c) => c.name))],
    },
  };
}

export function allModules(c: ComponentInfo): CoreModuleInfo[] {
  return [...c.modules, ...c.components.flatMap(allModules)];
}

/** The core modules of a binary: itself, or every module nested in a component (depth first). */
export function coreModules(binary: WasmBinaryInfo | undefined): CoreModuleInfo[] {
  return !binary ? [] : binary.kind === 'core-module' ? [binary] : allModules(binary);
}

function allCustom(c: ComponentInfo): ComponentInfo['customSections'] {
  return [...c.customSections, ...c.components.flatMap(allCustom)];
}
