/**
 * What the inspector reports about a WebAssembly binary. This is the JSON schema of
 * `wasm-containers inspect --json` (documented in schemas/inspect.schema.json): fields are only
 * ever added; offsets are absolute byte offsets in the file, sizes are in bytes.
 */

export const INSPECT_SCHEMA_VERSION = 1;

export type ExternKind = 'func' | 'table' | 'memory' | 'global' | 'tag';

export interface DecodeProblem {
  /** Absolute byte offset where decoding stopped. */
  offset: number;
  message: string;
  /** The section being decoded, when the problem is inside one. */
  section?: string;
}

export interface SectionInfo {
  id: number;
  /** "type", "import", … or "custom:<name>" for custom sections. */
  name: string;
  /** Offset of the section id byte. */
  offset: number;
  /** Offset of the first payload byte. */
  payloadOffset: number;
  /** Payload size (what wasm-objdump -h prints as size). */
  size: number;
  /** Header plus payload: what the section costs in the file. */
  totalSize: number;
  /** Number of entries for vector sections. */
  count?: number;
}

export interface TypeInfo {
  kind: 'func' | 'struct' | 'array';
  /** Function types: parameter and result value types, e.g. ["i32", "i64"]. */
  params?: string[];
  results?: string[];
  /** Text form, e.g. "(func (param i32) (result i32))". */
  text: string;
}

export interface ImportInfo {
  module: string;
  name: string;
  kind: ExternKind;
  /** Index in the kind's index space. */
  index: number;
  /** Signature or limits, e.g. "(param i32 i32) (result i32)" or "memory 17..65536 pages". */
  type: string;
  /** The name the name section gives an imported function, when it differs from `name`. */
  debugName?: string;
}

export interface ExportInfo {
  name: string;
  kind: ExternKind;
  index: number;
  type?: string;
}

export interface FunctionInfo {
  /** Index in the function index space (imports first). */
  index: number;
  typeIndex: number;
  name?: string;
  /** Offset of the body (its locals), after the size field. */
  bodyOffset: number;
  bodySize: number;
}

export interface LimitsInfo {
  min: number;
  max?: number;
  shared: boolean;
  /** memory64 / table64 */
  index64: boolean;
  /** Custom page size (log2) when the custom-page-sizes proposal is used. */
  pageSizeLog2?: number;
}

export interface MemoryInfo extends LimitsInfo {
  index: number;
  imported: boolean;
}

export interface TableInfo extends LimitsInfo {
  index: number;
  imported: boolean;
  elementType: string;
}

export interface GlobalInfo {
  index: number;
  imported: boolean;
  type: string;
  mutable: boolean;
  name?: string;
}

export interface SegmentInfo {
  index: number;
  mode: 'active' | 'passive' | 'declarative';
  /** Offset of the segment's payload (data bytes or element vector). */
  offset: number;
  size: number;
  /** Element segments: number of elements. */
  count?: number;
}

/** Element or data segments: totals, and the largest ones (a Go module has ~100 000 data segments). */
export interface SegmentsInfo {
  count: number;
  /** Payload bytes of all segments. */
  bytes: number;
  passive: number;
  /** The largest segments, biggest first (at most 20). */
  largest: SegmentInfo[];
}

export interface CustomSectionInfo {
  name: string;
  offset: number;
  size: number;
}

export interface ProducersInfo {
  /** field name ("language", "processed-by", "sdk") → tools with versions */
  [field: string]: { name: string; version: string }[];
}

export interface TargetFeature {
  prefix: '+' | '-' | '=';
  name: string;
}

export interface CoreModuleInfo {
  kind: 'core-module';
  /** Offset of the module's magic number in the file (0 unless nested in a component). */
  offset: number;
  size: number;
  sections: SectionInfo[];
  types: TypeInfo[];
  imports: ImportInfo[];
  exports: ExportInfo[];
  /** Functions defined in the module (imports are in `imports`). */
  functions: FunctionInfo[];
  importedFunctionCount: number;
  tables: TableInfo[];
  memories: MemoryInfo[];
  globals: GlobalInfo[];
  tags: number;
  start?: number;
  elements: SegmentsInfo;
  data: SegmentsInfo;
  dataCount?: number;
  /** A constant expression uses add/sub/mul (the extended-const proposal). */
  extendedConst?: boolean;
  customSections: CustomSectionInfo[];
  moduleName?: string;
  /** The name section's local names: for how many functions, and their bytes (not decoded: only counted). */
  localNames: { functions: number; bytes: number };
  producers?: ProducersInfo;
  targetFeatures?: TargetFeature[];
  sourceMappingURL?: string;
  externalDebugInfo?: string;
  problems: DecodeProblem[];
}

export interface ComponentExternInfo {
  name: string;
  /** "func", "instance", "component", "type", "value", "core module" */
  kind: string;
  /** Interface version suffix, when the import name carries one. */
  version?: string;
}

export interface ComponentInfo {
  kind: 'component';
  offset: number;
  size: number;
  version: number;
  sections: SectionInfo[];
  imports: ComponentExternInfo[];
  exports: ComponentExternInfo[];
  /** Core modules nested in the component, in order. */
  modules: CoreModuleInfo[];
  /** Components nested in the component, in order. */
  components: ComponentInfo[];
  customSections: CustomSectionInfo[];
  producers?: ProducersInfo;
  problems: DecodeProblem[];
}

export type WasmBinaryInfo = CoreModuleInfo | ComponentInfo;
