import type { Tensor } from '../tensor.js';

/** A memory scope: the tensors made while it was the innermost active scope. */
export interface Scope {
  readonly tracked: Tensor[];
  readonly parent: Scope | null;
}

interface AsyncStore<T> {
  getStore(): T | undefined;
  run<R>(store: T, fn: () => R): R;
}

type AsyncLocalStorageCtor = new <T>() => AsyncStore<T>;

/**
 * Finds Node's AsyncLocalStorage without a static import (so browser bundles stay clean):
 * `process.getBuiltinModule` exists from Node 20.16. Elsewhere scopes fall back to a stack,
 * which is exact for sequential async code.
 */
function findAsyncLocalStorage(): AsyncLocalStorageCtor | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const mod = proc?.getBuiltinModule?.('node:async_hooks') as { AsyncLocalStorage?: AsyncLocalStorageCtor } | undefined;
  return mod?.AsyncLocalStorage ?? null;
}

const ALS = findAsyncLocalStorage();
const store: AsyncStore<Scope> | null = ALS ? new ALS<Scope>() : null;
const stack: Scope[] = [];

/** The innermost active scope, or null at top level. */
export function currentScope(): Scope | null {
  if (store) return store.getStore() ?? null;
  return stack[stack.length - 1] ?? null;
}

/**
 * Runs `fn` with `scope` active. With AsyncLocalStorage the scope follows `fn` across `await`;
 * otherwise it stays on a stack until `fn`'s promise settles.
 */
export function runInScope<R>(scope: Scope, fn: () => R, onEnd: (result: R | undefined, failed: boolean) => void): R {
  if (store) {
    let result: R;
    try {
      result = store.run(scope, fn);
    } catch (err) {
      onEnd(undefined, true);
      throw err;
    }
    return settle(result, onEnd);
  }
  stack.push(scope);
  const pop = (): void => {
    const i = stack.lastIndexOf(scope);
    if (i >= 0) stack.splice(i, 1);
  };
  let result: R;
  try {
    result = fn();
  } catch (err) {
    pop();
    onEnd(undefined, true);
    throw err;
  }
  if (result instanceof Promise) {
    return result.then(
      (r: unknown) => {
        pop();
        onEnd(r as R, false);
        return r;
      },
      (err: unknown) => {
        pop();
        onEnd(undefined, true);
        throw err;
      },
    ) as R;
  }
  pop();
  onEnd(result, false);
  return result;
}

function settle<R>(result: R, onEnd: (result: R | undefined, failed: boolean) => void): R {
  if (result instanceof Promise) {
    return result.then(
      (r: unknown) => {
        onEnd(r as R, false);
        return r;
      },
      (err: unknown) => {
        onEnd(undefined, true);
        throw err;
      },
    ) as R;
  }
  onEnd(result, false);
  return result;
}
