// The run loops of the float32 binary kernels. The op-specific parts (codes, scalar and four-lane
// forms, the switch that calls these loops with the code as a constant) are generated from core's op
// tables into generated/.
import { arithHasVector, arithScalar, arithVector, compareScalar } from './generated/elementwise-forms';
import { at } from './simd';

/** One run of `len` outputs of an arithmetic op at out[o..]; sa / sb are the inputs' element strides along it. */
// @ts-ignore: decorator
@inline export function arithRun(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, o: i32, len: i32): void {
  const dst = at(out, o);
  let i = 0;
  if (ASC_FEATURE_SIMD && arithHasVector(op)) {
    if (sa == 1 && sb == 1) {
      for (; i + 4 <= len; i += 4) v128.store(at(dst, i), arithVector(op, v128.load(at(a, i)), v128.load(at(b, i))));
    } else if (sa == 1 && sb == 0) {
      const vb = v128.load32_splat(b);
      for (; i + 4 <= len; i += 4) v128.store(at(dst, i), arithVector(op, v128.load(at(a, i)), vb));
    } else if (sa == 0 && sb == 1) {
      const va = v128.load32_splat(a);
      for (; i + 4 <= len; i += 4) v128.store(at(dst, i), arithVector(op, va, v128.load(at(b, i))));
    }
  }
  for (; i < len; i++) store<f32>(at(dst, i), arithScalar(op, load<f32>(at(a, i * sa)), load<f32>(at(b, i * sb))));
}

/** One run of `len` bool outputs of a comparison at out[o..] (one byte each). */
// @ts-ignore: decorator
@inline export function compareRun(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, o: i32, len: i32): void {
  const dst = out + <usize>o;
  for (let i = 0; i < len; i++) store<u8>(dst + <usize>i, <u8>compareScalar(op, load<f32>(at(a, i * sa)), load<f32>(at(b, i * sb))));
}
