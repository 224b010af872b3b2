import { fmtShape } from '../errors.js';
import { Tensor } from '../tensor.js';
import { Variable } from '../variable.js';

const variableIds = new WeakMap<Variable, number>();
let nextVariableId = 1;

/**
 * The tensors inside a compiled function's arguments (in a fixed walk order) and a key that
 * identifies everything a recording depends on in them: each tensor's shape and dtype, each
 * Variable's identity, and every other argument's value (numbers, strings, booleans, null).
 */
export function argumentSignature(args: readonly unknown[]): { tensors: Tensor[]; key: string } {
  const tensors: Tensor[] = [];
  const walk = (x: unknown): string => {
    if (x instanceof Variable) {
      let id = variableIds.get(x);
      if (id === undefined) variableIds.set(x, (id = nextVariableId++));
      tensors.push(x);
      return `V${id}`;
    }
    if (x instanceof Tensor) {
      tensors.push(x);
      return `T${x.dtype}${fmtShape(x.shape)}`;
    }
    if (Array.isArray(x)) return `[${x.map(walk).join(',')}]`;
    if (typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype) {
      return `{${Object.entries(x).map(([k, v]) => `${JSON.stringify(k)}:${walk(v)}`).join(',')}}`;
    }
    if (x === undefined) return 'u';
    if (typeof x === 'function' || typeof x === 'symbol' || typeof x === 'bigint' || typeof x === 'object') return `?${typeof x}`;
    return JSON.stringify(x);
  };
  const key = args.map(walk).join('|');
  return { tensors, key };
}
