import type { DType, TypedArray } from './dtype.js';
import type { DataHandle } from './engine/data-handle.js';
import { disposeTensor, readData, readDataSync } from './engine/data-store.js';
import { sizeOf } from './shape.js';

declare global {
  interface SymbolConstructor {
    /** The method `using` declarations call at the end of their block (TypeScript's esnext.disposable lib). */
    readonly dispose: unique symbol;
  }
}

// Runtimes without Symbol.dispose (Node before 20.5, older browsers): give `using` the symbol Node uses.
if (typeof Symbol.dispose !== 'symbol') Object.defineProperty(Symbol, 'dispose', { value: Symbol.for('nodejs.dispose') });

/** Nested arrays of numbers (or booleans for bool tensors) as `toArray()` returns them. */
export type NestedArray = number | boolean | NestedArray[];

/**
 * An immutable n-dimensional array on some backend. Make tensors with the creation ops
 * (`tensor`, `zeros`, `randomNormal`...) and combine them with ops; free them with `dispose()`
 * or let a {@link tidy} scope do it.
 */
export class Tensor {
  /** The dimensions, outermost first. */
  readonly shape: readonly number[];
  /** Number of elements. */
  readonly size: number;
  /** True once marked with `keep()`: no tidy scope disposes it. */
  kept = false;
  private handle: DataHandle | null;

  /** @internal Tensors are made by ops, not by `new`. */
  constructor(
    /** A process-unique id, useful in messages and debugging. */
    readonly id: number,
    shape: readonly number[],
    /** The element type. */
    readonly dtype: DType,
    handle: DataHandle,
  ) {
    this.shape = Object.freeze([...shape]);
    this.size = sizeOf(shape);
    this.handle = handle;
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** True after `dispose()`. */
  get isDisposed(): boolean {
    return this.handle === null;
  }

  /** @internal The data behind this tensor, or null once disposed. */
  get handleOrNull(): DataHandle | null {
    return this.handle;
  }

  /** @internal Points this tensor at other data (used by Variable.assign). */
  protected setHandle(handle: DataHandle): void {
    this.handle = handle;
  }

  /** @internal Forgets the data (used by dispose). */
  detach(): void {
    this.handle = null;
  }

  /** The backend that holds this tensor's data now. */
  get backendName(): string {
    return this.handle?.backendName ?? '(disposed)';
  }

  /** Reads the values (a copy), flat in row-major order. Works on every backend. */
  data(): Promise<TypedArray> {
    return readData(this);
  }

  /** Reads the values synchronously (a copy); throws on backends that can only read asynchronously. */
  dataSync(): TypedArray {
    return readDataSync(this);
  }

  /** The values as nested arrays (bools as booleans), read synchronously. */
  toArray(): NestedArray {
    return nest(this.dataSync(), this.shape, this.dtype);
  }

  /** The values as nested arrays, read asynchronously. */
  async array(): Promise<NestedArray> {
    return nest(await this.data(), this.shape, this.dtype);
  }

  /** Frees the data (shared data is freed when its last tensor goes). Safe to call twice. */
  dispose(): void {
    disposeTensor(this);
  }

  /**
   * Lets a `using` declaration free the tensor at the end of its block.
   * @example { using y = x.mul(2); console.log(await y.array()); } // y is disposed here
   */
  [Symbol.dispose](): void {
    disposeTensor(this);
  }

  /** A readable description: dtype, shape and (when readable synchronously) the values. */
  toString(): string {
    const head = `Tensor(${this.dtype}, [${this.shape.join(',')}])`;
    if (this.isDisposed) return `${head} <disposed>`;
    let values: TypedArray;
    try {
      values = this.dataSync();
    } catch {
      return `${head} <data on an async-only backend: use await t.data()>`;
    }
    return `${head}\n${format(values, this.shape, this.dtype)}`;
  }
}

function nest(values: TypedArray, shape: readonly number[], dtype: DType): NestedArray {
  const conv = (v: number): number | boolean => (dtype === 'bool' ? v !== 0 : v);
  if (shape.length === 0) return conv(values[0] ?? 0);
  const build = (axis: number, offset: number, stride: number): NestedArray => {
    const n = shape[axis]!;
    const inner = n === 0 ? 0 : stride / n;
    const out: NestedArray[] = new Array<NestedArray>(n);
    for (let i = 0; i < n; i++) {
      out[i] = axis === shape.length - 1 ? conv(values[offset + i]!) : build(axis + 1, offset + i * inner, inner);
    }
    return out;
  };
  return build(0, 0, values.length);
}

const MAX_SHOWN = 6;

function format(values: TypedArray, shape: readonly number[], dtype: DType): string {
  const fmt = (v: number): string => (dtype === 'bool' ? String(v !== 0) : dtype === 'int32' ? String(v) : formatFloat(v));
  if (shape.length === 0) return fmt(values[0] ?? 0);
  const render = (axis: number, offset: number, stride: number, indent: string): string => {
    const n = shape[axis]!;
    const inner = n === 0 ? 0 : stride / n;
    const idx = n > MAX_SHOWN ? [0, 1, 2, -1, n - 3, n - 2, n - 1] : Array.from({ length: n }, (_, i) => i);
    if (axis === shape.length - 1) {
      return `[${idx.map((i) => (i < 0 ? '...' : fmt(values[offset + i]!))).join(', ')}]`;
    }
    const rows = idx.map((i) => (i < 0 ? '...' : render(axis + 1, offset + i * inner, inner, `${indent} `)));
    return `[${rows.join(`,\n${indent} `)}]`;
  };
  return render(0, 0, values.length, '');
}

function formatFloat(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e6) return v.toFixed(1);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-4 || a >= 1e6) ? v.toExponential(4) : String(Number(v.toPrecision(6)));
}
