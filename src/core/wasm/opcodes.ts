/**
 * Opcode tables of the WebAssembly binary format: core (MVP plus sign extension, reference
 * types, exceptions, tail calls, typed function references), 0xFC (saturating truncation, bulk
 * memory, table ops), 0xFD (SIMD and relaxed SIMD), 0xFE (threads) and 0xFB (GC). Each entry is
 * the text-format name and the shape of its immediates.
 */

export type Immediate =
  | '' // none
  | 'blocktype'
  | 'label'
  | 'br_table'
  | 'func'
  | 'call_indirect'
  | 'type'
  | 'local'
  | 'global'
  | 'table'
  | 'memarg'
  | 'memory'
  | 'i32'
  | 'i64'
  | 'f32'
  | 'f64'
  | 'select_t'
  | 'heaptype'
  | 'tag'
  | 'try_table'
  | 'data'
  | 'data_memory'
  | 'memory_memory'
  | 'elem'
  | 'elem_table'
  | 'table_table'
  | 'v128'
  | 'shuffle'
  | 'lane'
  | 'memarg_lane'
  | 'zero_byte'
  | 'type_field'
  | 'type_n'
  | 'type_data'
  | 'type_elem'
  | 'type_type'
  | 'ref_heaptype'
  | 'br_on_cast';

export type Feature =
  | 'simd'
  | 'relaxed-simd'
  | 'threads'
  | 'bulk-memory'
  | 'reference-types'
  /** Tags and throw: both encodings of exception handling. */
  | 'exceptions'
  /** try/catch/catch_all/rethrow/delegate: the legacy (phase 3) encoding V8 shipped first. */
  | 'legacy-exceptions'
  /** try_table/throw_ref and exnref: the standardised encoding (WebAssembly 3.0). */
  | 'exnref'
  | 'tail-call'
  | 'gc'
  | 'function-references'
  | 'sign-extension'
  | 'nontrapping-fptoint'
  | 'multi-value'
  | 'multi-memory'
  | 'memory64'
  | 'extended-const';

export interface OpInfo {
  name: string;
  imm: Immediate;
  feature?: Feature;
}

const op = (name: string, imm: Immediate = '', feature?: Feature): OpInfo => ({
  name,
  imm,
  feature,
});

function table(entries: [number, OpInfo][]): (OpInfo | undefined)[] {
  const t: (OpInfo | undefined)[] = [];
  for (const [code, info] of entries) t[code] = info;
  return t;
}

/** Names with no immediates, laid out consecutively from a first opcode. */
function run(first: number, names: string, feature?: Feature, prefix = ''): [number, OpInfo][] {
  return names
    .trim()
    .split(/\s+/)
    .map((n, i) => [first + i, op(prefix + n, '', feature)] as [number, OpInfo]);
}

const cmpI = 'eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u';
const cmpF = 'eq ne lt gt le ge';
const arithI =
  'clz ctz popcnt add sub mul div_s div_u rem_s rem_u and or xor shl shr_s shr_u rotl rotr';
const arithF = 'abs neg ceil floor trunc nearest sqrt add sub mul div min max copysign';

export const CORE_OPS = table([
  [0x00, op('unreachable')],
  [0x01, op('nop')],
  [0x02, op('block', 'blocktype')],
  [0x03, op('loop', 'blocktype')],
  [0x04, op('if', 'blocktype')],
  [0x05, op('else')],
  [0x06, op('try', 'blocktype', 'legacy-exceptions')],
  [0x07, op('catch', 'tag', 'legacy-exceptions')],
  [0x08, op('throw', 'tag', 'exceptions')],
  [0x09, op('rethrow', 'label', 'legacy-exceptions')],
  [0x0a, op('throw_ref', '', 'exnref')],
  [0x0b, op('end')],
  [0x0c, op('br', 'label')],
  [0x0d, op('br_if', 'label')],
  [0x0e, op('br_table', 'br_table')],
  [0x0f, op('return')],
  [0x10, op('call', 'func')],
  [0x11, op('call_indirect', 'call_indirect')],
  [0x12, op('return_call', 'func', 'tail-call')],
  [0x13, op('return_call_indirect', 'call_indirect', 'tail-call')],
  [0x14, op('call_ref', 'type', 'function-references')],
  [0x15, op('return_call_ref', 'type', 'tail-call')],
  [0x18, op('delegate', 'label', 'legacy-exceptions')],
  [0x19, op('catch_all', '', 'legacy-exceptions')],
  [0x1a, op('drop')],
  [0x1b, op('select')],
  [0x1c, op('select', 'select_t', 'reference-types')],
  [0x1f, op('try_table', 'try_table', 'exnref')],
  [0x20, op('local.get', 'local')],
  [0x21, op('local.set', 'local')],
  [0x22, op('local.tee', 'local')],
  [0x23, op('global.get', 'global')],
  [0x24, op('global.set', 'global')],
  [0x25, op('table.get', 'table', 'reference-types')],
  [0x26, op('table.set', 'table', 'reference-types')],
  ...'i32.load i64.load f32.load f64.load i32.load8_s i32.load8_u i32.load16_s i32.load16_u i64.load8_s i64.load8_u i64.load16_s i64.load16_u i64.load32_s i64.load32_u i32.store i64.store f32.store f64.store i32.store8 i32.store16 i64.store8 i64.store16 i64.store32'
    .split(' ')
    .map((n, i) => [0x28 + i, op(n, 'memarg')] as [number, OpInfo]),
  [0x3f, op('memory.size', 'memory')],
  [0x40, op('memory.grow', 'memory')],
  [0x41, op('i32.const', 'i32')],
  [0x42, op('i64.const', 'i64')],
  [0x43, op('f32.const', 'f32')],
  [0x44, op('f64.const', 'f64')],
  [0x45, op('i32.eqz')],
  ...run(0x46, cmpI, undefined, 'i32.'),
  [0x50, op('i64.eqz')],
  ...run(0x51, cmpI, undefined, 'i64.'),
  ...run(0x5b, cmpF, undefined, 'f32.'),
  ...run(0x61, cmpF, undefined, 'f64.'),
  ...run(0x67, arithI, undefined, 'i32.'),
  ...run(0x79, arithI, undefined, 'i64.'),
  ...run(0x8b, arithF, undefined, 'f32.'),
  ...run(0x99, arithF, undefined, 'f64.'),
  ...run(
    0xa7,
    `i32.wrap_i64 i32.trunc_f32_s i32.trunc_f32_u i32.trunc_f64_s i32.trunc_f64_u i64.extend_i32_s i64.extend_i32_u
    i64.trunc_f32_s i64.trunc_f32_u i64.trunc_f64_s i64.trunc_f64_u f32.convert_i32_s f32.convert_i32_u f32.convert_i64_s
    f32.convert_i64_u f32.demote_f64 f64.convert_i32_s f64.convert_i32_u f64.convert_i64_s f64.convert_i64_u f64.promote_f32
    i32.reinterpret_f32 i64.reinterpret_f64 f32.reinterpret_i32 f64.reinterpret_i64`,
  ),
  ...run(
    0xc0,
    'i32.extend8_s i32.extend16_s i64.extend8_s i64.extend16_s i64.extend32_s',
    'sign-extension',
  ),
  [0xd0, op('ref.null', 'heaptype', 'reference-types')],
  [0xd1, op('ref.is_null', '', 'reference-types')],
  [0xd2, op('ref.func', 'func', 'reference-types')],
  [0xd3, op('ref.eq', '', 'gc')],
  [0xd4, op('ref.as_non_null', '', 'function-references')],
  [0xd5, op('br_on_null', 'label', 'function-references')],
  [0xd6, op('br_on_non_null', 'label', 'function-references')],
]);

export const FC_OPS = table([
  ...run(
    0,
    'i32.trunc_sat_f32_s i32.trunc_sat_f32_u i32.trunc_sat_f64_s i32.trunc_sat_f64_u i64.trunc_sat_f32_s i64.trunc_sat_f32_u i64.trunc_sat_f64_s i64.trunc_sat_f64_u',
    'nontrapping-fptoint',
  ),
  [8, op('memory.init', 'data_memory', 'bulk-memory')],
  [9, op('data.drop', 'data', 'bulk-memory')],
  [10, op('memory.copy', 'memory_memory', 'bulk-memory')],
  [11, op('memory.fill', 'memory', 'bulk-memory')],
  [12, op('table.init', 'elem_table', 'bulk-memory')],
  [13, op('elem.drop', 'elem', 'bulk-memory')],
  [14, op('table.copy', 'table_table', 'bulk-memory')],
  [15, op('table.grow', 'table', 'reference-types')],
  [16, op('table.size', 'table', 'reference-types')],
  [17, op('table.fill', 'table', 'reference-types')],
]);

const simdNames: [number, string][] = [];
const simd = (first: number, names: string) =>
  names
    .trim()
    .split(/\s+/)
    .forEach((n, i) => n !== '-' && simdNames.push([first + i, n]));
simd(14, 'i8x16.swizzle i8x16.splat i16x8.splat i32x4.splat i64x2.splat f32x4.splat f64x2.splat');
simd(
  35,
  cmpI
    .split(' ')
    .map((c) => `i8x16.${c}`)
    .join(' '),
);
simd(
  45,
  cmpI
    .split(' ')
    .map((c) => `i16x8.${c}`)
    .join(' '),
);
simd(
  55,
  cmpI
    .split(' ')
    .map((c) => `i32x4.${c}`)
    .join(' '),
);
simd(
  65,
  cmpF
    .split(' ')
    .map((c) => `f32x4.${c}`)
    .join(' '),
);
simd(
  71,
  cmpF
    .split(' ')
    .map((c) => `f64x2.${c}`)
    .join(' '),
);
simd(77, 'v128.not v128.and v128.andnot v128.or v128.xor v128.bitselect v128.any_true');
simd(
  94,
  `f32x4.demote_f64x2_zero f64x2.promote_low_f32x4 i8x16.abs i8x16.neg i8x16.popcnt i8x16.all_true i8x16.bitmask
  i8x16.narrow_i16x8_s i8x16.narrow_i16x8_u f32x4.ceil f32x4.floor f32x4.trunc f32x4.nearest i8x16.shl i8x16.shr_s i8x16.shr_u
  i8x16.add i8x16.add_sat_s i8x16.add_sat_u i8x16.sub i8x16.sub_sat_s i8x16.sub_sat_u f64x2.ceil f64x2.floor i8x16.min_s
  i8x16.min_u i8x16.max_s i8x16.max_u f64x2.trunc i8x16.avgr_u i16x8.extadd_pairwise_i8x16_s i16x8.extadd_pairwise_i8x16_u
  i32x4.extadd_pairwise_i16x8_s i32x4.extadd_pairwise_i16x8_u i16x8.abs i16x8.neg i16x8.q15mulr_sat_s i16x8.all_true
  i16x8.bitmask i16x8.narrow_i32x4_s i16x8.narrow_i32x4_u i16x8.extend_low_i8x16_s i16x8.extend_high_i8x16_s
  i16x8.extend_low_i8x16_u i16x8.extend_high_i8x16_u i16x8.shl i16x8.shr_s i16x8.shr_u i16x8.add i16x8.add_sat_s
  i16x8.add_sat_u i16x8.sub i16x8.sub_sat_s i16x8.sub_sat_u f64x2.nearest i16x8.mul i16x8.min_s i16x8.min_u i16x8.max_s
  i16x8.max_u - i16x8.avgr_u i16x8.extmul_low_i8x16_s i16x8.extmul_high_i8x16_s i16x8.extmul_low_i8x16_u
  i16x8.extmul_high_i8x16_u i32x4.abs i32x4.neg - i32x4.all_true i32x4.bitmask - - i32x4.extend_low_i16x8_s
  i32x4.extend_high_i16x8_s i32x4.extend_low_i16x8_u i32x4.extend_high_i16x8_u i32x4.shl i32x4.shr_s i32x4.shr_u i32x4.add
  - - i32x4.sub - - - i32x4.mul i32x4.min_s i32x4.min_u i32x4.max_s i32x4.max_u i32x4.dot_i16x8_s -
  i32x4.extmul_low_i16x8_s i32x4.extmul_high_i16x8_s i32x4.extmul_low_i16x8_u i32x4.extmul_high_i16x8_u i64x2.abs i64x2.neg
  - i64x2.all_true i64x2.bitmask - - i64x2.extend_low_i32x4_s i64x2.extend_high_i32x4_s i64x2.extend_low_i32x4_u
  i64x2.extend_high_i32x4_u i64x2.shl i64x2.shr_s i64x2.shr_u i64x2.add - - i64x2.sub - - - i64x2.mul i64x2.eq i64x2.ne
  i64x2.lt_s i64x2.gt_s i64x2.le_s i64x2.ge_s i64x2.extmul_low_i32x4_s i64x2.extmul_high_i32x4_s i64x2.extmul_low_i32x4_u
  i64x2.extmul_high_i32x4_u f32x4.abs f32x4.neg - f32x4.sqrt f32x4.add f32x4.sub f32x4.mul f32x4.div f32x4.min f32x4.max
  f32x4.pmin f32x4.pmax f64x2.abs f64x2.neg - f64x2.sqrt f64x2.add f64x2.sub f64x2.mul f64x2.div f64x2.min f64x2.max
  f64x2.pmin f64x2.pmax i32x4.trunc_sat_f32x4_s i32x4.trunc_sat_f32x4_u f32x4.convert_i32x4_s f32x4.convert_i32x4_u
  i32x4.trunc_sat_f64x2_s_zero i32x4.trunc_sat_f64x2_u_zero f64x2.convert_low_i32x4_s f64x2.convert_low_i32x4_u`,
);

export const FD_OPS = table([
  ...`v128.load v128.load8x8_s v128.load8x8_u v128.load16x4_s v128.load16x4_u v128.load32x2_s v128.load32x2_u v128.load8_splat
    v128.load16_splat v128.load32_splat v128.load64_splat v128.store`
    .trim()
    .split(/\s+/)
    .map((n, i) => [i, op(n, 'memarg', 'simd')] as [number, OpInfo]),
  [12, op('v128.const', 'v128', 'simd')],
  [13, op('i8x16.shuffle', 'shuffle', 'simd')],
  ...`i8x16.extract_lane_s i8x16.extract_lane_u i8x16.replace_lane i16x8.extract_lane_s i16x8.extract_lane_u i16x8.replace_lane
    i32x4.extract_lane i32x4.replace_lane i64x2.extract_lane i64x2.replace_lane f32x4.extract_lane f32x4.replace_lane
    f64x2.extract_lane f64x2.replace_lane`
    .trim()
    .split(/\s+/)
    .map((n, i) => [21 + i, op(n, 'lane', 'simd')] as [number, OpInfo]),
  ...'v128.load8_lane v128.load16_lane v128.load32_lane v128.load64_lane v128.store8_lane v128.store16_lane v128.store32_lane v128.store64_lane'
    .split(' ')
    .map((n, i) => [84 + i, op(n, 'memarg_lane', 'simd')] as [number, OpInfo]),
  [92, op('v128.load32_zero', 'memarg', 'simd')],
  [93, op('v128.load64_zero', 'memarg', 'simd')],
  ...simdNames.map(([c, n]) => [c, op(n, '', 'simd')] as [number, OpInfo]),
  ...run(
    256,
    `i8x16.relaxed_swizzle i32x4.relaxed_trunc_f32x4_s i32x4.relaxed_trunc_f32x4_u i32x4.relaxed_trunc_f64x2_s_zero
    i32x4.relaxed_trunc_f64x2_u_zero f32x4.relaxed_madd f32x4.relaxed_nmadd f64x2.relaxed_madd f64x2.relaxed_nmadd
    i8x16.relaxed_laneselect i16x8.relaxed_laneselect i32x4.relaxed_laneselect i64x2.relaxed_laneselect f32x4.relaxed_min
    f32x4.relaxed_max f64x2.relaxed_min f64x2.relaxed_max i16x8.relaxed_q15mulr_s i16x8.relaxed_dot_i8x16_i7x16_s
    i32x4.relaxed_dot_i8x16_i7x16_add_s`,
    'relaxed-simd',
  ),
]);

const rmw = ['add', 'sub', 'and', 'or', 'xor', 'xchg', 'cmpxchg'];
const rmwShapes = [
  'i32.atomic.rmw.',
  'i64.atomic.rmw.',
  'i32.atomic.rmw8.',
  'i32.atomic.rmw16.',
  'i64.atomic.rmw8.',
  'i64.atomic.rmw16.',
  'i64.atomic.rmw32.',
];
export const FE_OPS = table([
  [0, op('memory.atomic.notify', 'memarg', 'threads')],
  [1, op('memory.atomic.wait32', 'memarg', 'threads')],
  [2, op('memory.atomic.wait64', 'memarg', 'threads')],
  [3, op('atomic.fence', 'zero_byte', 'threads')],
  ...`i32.atomic.load i64.atomic.load i32.atomic.load8_u i32.atomic.load16_u i64.atomic.load8_u i64.atomic.load16_u
    i64.atomic.load32_u i32.atomic.store i64.atomic.store i32.atomic.store8 i32.atomic.store16 i64.atomic.store8
    i64.atomic.store16 i64.atomic.store32`
    .trim()
    .split(/\s+/)
    .map((n, i) => [0x10 + i, op(n, 'memarg', 'threads')] as [number, OpInfo]),
  ...rmw.flatMap((r, k) =>
    rmwShapes.map(
      (s, j) =>
        [0x1e + k * 7 + j, op(`${s}${r}${j >= 2 ? '_u' : ''}`, 'memarg', 'threads')] as [
          number,
          OpInfo,
        ],
    ),
  ),
]);

export const FB_OPS = table([
  [0, op('struct.new', 'type', 'gc')],
  [1, op('struct.new_default', 'type', 'gc')],
  [2, op('struct.get', 'type_field', 'gc')],
  [3, op('struct.get_s', 'type_field', 'gc')],
  [4, op('struct.get_u', 'type_field', 'gc')],
  [5, op('struct.set', 'type_field', 'gc')],
  [6, op('array.new', 'type', 'gc')],
  [7, op('array.new_default', 'type', 'gc')],
  [8, op('array.new_fixed', 'type_n', 'gc')],
  [9, op('array.new_data', 'type_data', 'gc')],
  [10, op('array.new_elem', 'type_elem', 'gc')],
  [11, op('array.get', 'type', 'gc')],
  [12, op('array.get_s', 'type', 'gc')],
  [13, op('array.get_u', 'type', 'gc')],
  [14, op('array.set', 'type', 'gc')],
  [15, op('array.len', '', 'gc')],
  [16, op('array.fill', 'type', 'gc')],
  [17, op('array.copy', 'type_type', 'gc')],
  [18, op('array.init_data', 'type_data', 'gc')],
  [19, op('array.init_elem', 'type_elem', 'gc')],
  [20, op('ref.test', 'ref_heaptype', 'gc')],
  [21, op('ref.test null', 'ref_heaptype', 'gc')],
  [22, op('ref.cast', 'ref_heaptype', 'gc')],
  [23, op('ref.cast null', 'ref_heaptype', 'gc')],
  [24, op('br_on_cast', 'br_on_cast', 'gc')],
  [25, op('br_on_cast_fail', 'br_on_cast', 'gc')],
  [26, op('any.convert_extern', '', 'gc')],
  [27, op('extern.convert_any', '', 'gc')],
  [28, op('ref.i31', '', 'gc')],
  [29, op('i31.get_s', '', 'gc')],
  [30, op('i31.get_u', '', 'gc')],
]);

export const PREFIXED: Record<number, (OpInfo | undefined)[]> = {
  0xfb: FB_OPS,
  0xfc: FC_OPS,
  0xfd: FD_OPS,
  0xfe: FE_OPS,
};
