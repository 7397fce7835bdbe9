import { functionTable } from './function-table';
import type { CoreModuleInfo, WasmBinaryInfo } from './model';
import { coreModules } from './size-breakdown';

/**
 * A defined function by index ("42", in the first module that defines it) or by name (exact, then
 * unique substring), across a component's nested modules too.
 */
export function findFunction(
  binary: WasmBinaryInfo,
  query: string,
): { module: CoreModuleInfo; index: number } {
  const modules = coreModules(binary);
  if (/^\d+$/.test(query)) {
    const index = Number(query);
    const module = modules.find((m) => functionTable(m).position(index) >= 0);
    if (module) return { module, index };
    throw new Error(`no defined function has index ${index}`);
  }
  const all = modules.flatMap((module) => {
    const t = functionTable(module);
    const named: { module: CoreModuleInfo; f: { index: number; name: string } }[] = [];
    for (let i = 0; i < t.count; i++) {
      const name = t.name(i);
      if (name) named.push({ module, f: { index: t.index(i), name } });
    }
    return named;
  });
  const exact = all.find((x) => x.f.name === query);
  if (exact) return { module: exact.module, index: exact.f.index };
  const partial = all.filter((x) => x.f.name.includes(query));
  if (partial.length === 1) return { module: partial[0].module, index: partial[0].f.index };
  if (partial.length > 1)
    throw new Error(
      `${partial.length} functions match "${query}": ${partial
        .slice(0, 5)
        .map((x) => x.f.name)
        .join(', ')}${partial.length > 5 ? ', …' : ''}`,
    );
  throw new Error(
    `no function is named "${query}"${all.length ? '' : ' (the module has no name section: use an index)'}`,
  );
}
