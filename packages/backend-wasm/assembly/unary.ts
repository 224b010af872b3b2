// The loop of the elementwise float32 unary kernels over a flat range [start, end). The op-specific
// parts (each op's code, scalar and four-lane forms, and the entry's switch that calls this loop with
// the code as a constant) are generated from core's op tables into generated/.
import { unaryGradHasVector, unaryGradScalar, unaryGradVector, unaryHasVector, unaryScalar, unaryVector } from './generated/elementwise-forms';
import { at } from './simd';

/** out[i] = op(x[i]) for i in [start, end): four lanes at a time where the op has a SIMD form. */
// @ts-ignore: decorator
@inline export function unaryRange(op: i32, x: usize, out: usize, start: i32, end: i32, alpha: f32): void {
  let i = start;
  if (ASC_FEATURE_SIMD && unaryHasVector(op)) {
    for (; i + 4 <= end; i += 4) v128.store(at(out, i), unaryVector(op, v128.load(at(x, i)), alpha));
  }
  for (; i < end; i++) store<f32>(at(out, i), unaryScalar(op, load<f32>(at(x, i)), alpha));
}

/** dx[i] = the fused derivative of op at x[i], y[i], dy[i] for i in [start, end): four lanes at a time where it has a SIMD form. */
// @ts-ignore: decorator
@inline export function unaryGradRange(op: i32, x: usize, y: usize, dy: usize, out: usize, start: i32, end: i32, alpha: f32): void {
  let i = start;
  if (ASC_FEATURE_SIMD && unaryGradHasVector(op)) {
    for (; i + 4 <= end; i += 4) {
      v128.store(at(out, i), unaryGradVector(op, v128.load(at(x, i)), v128.load(at(y, i)), v128.load(at(dy, i)), alpha));
    }
  }
  for (; i < end; i++) {
    store<f32>(at(out, i), unaryGradScalar(op, load<f32>(at(x, i)), load<f32>(at(y, i)), load<f32>(at(dy, i)), alpha));
  }
}
