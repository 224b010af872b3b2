import type { Backend, Float16Kernel } from '../backend/backend.js';
import type { DataId, TensorRef } from '../backend/kernel-types.js';
import type { DType } from '../dtype.js';
import type { Shape } from '../shape.js';

const UPCASTABLE: ReadonlySet<string> = new Set<Float16Kernel>([
  'unary', 'binary', 'where', 'reduce', 'matmul', 'conv2d', 'conv2dBackInput', 'conv2dBackFilter',
  'pool2d', 'pool2dBack', 'copy', 'pad', 'concat', 'gather', 'scatterAdd', 'argsort', 'unaryGrad',
  'layerNorm', 'layerNormGrad',
]);

function isRef(v: unknown): v is TensorRef {
  return typeof v === 'object' && v !== null && 'id' in v && 'shape' in v && 'dtype' in v;
}

/**
 * A view of `inner` for one kernel call whose inputs or output are float16: kernels the backend lists in
 * `float16Kernels` pass straight through; any other kernel runs in float32 — each float16 input is
 * cast up (the backend's own `cast`), float16 dtype arguments become float32, and when the call's
 * output (`outShape`, `outDtype`) is float16 the float32 result is cast back down. The temporaries are
 * freed before returning. The result is what a float16 kernel accumulating in float32 gives.
 */
export function float16Upcast(inner: Backend, outShape: Shape, outDtype: DType): Backend {
  return new Proxy(inner, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (typeof prop !== 'string' || !UPCASTABLE.has(prop) || target.float16Kernels?.has(prop as Float16Kernel)) return method.bind(target);
      return (...args: unknown[]): DataId => {
        const temps: DataId[] = [];
        const up = (a: unknown): unknown => {
          if (isRef(a) && a.dtype === 'float16') {
            const id = target.cast(a, 'float32');
            temps.push(id);
            return { id, shape: a.shape, dtype: 'float32' };
          }
          if (Array.isArray(a) && a.length > 0 && a.every(isRef)) return a.map(up);
          // Only dtype arguments can equal 'float16' (op names never do).
          return a === 'float16' ? 'float32' : a;
        };
        let id: DataId;
        try {
          id = method.apply(target, args.map(up)) as DataId;
        } finally {
          for (const t of temps) target.dispose(t);
        }
        if (outDtype !== 'float16') return id;
        const half = target.cast({ id, shape: outShape, dtype: 'float32' }, 'float16');
        target.dispose(id);
        return half;
      };
    },
  });
}
