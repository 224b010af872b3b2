import type { BinaryOp } from '../../backend/kernel-types.js';
import { add, div, equal, floorDiv, greater, less, mul, pow, sub, where } from '../../ops/binary.js';
import { cast } from '../../ops/cast.js';
import { ceil, floor, log, neg } from '../../ops/unary.js';
import type { Tensor } from '../../tensor.js';
import type { GradRule } from '../grad-attrs.js';
import { unbroadcast } from '../unbroadcast.js';

/** A binary rule written on a, b, y and dy at the broadcast shape; the result is summed back to each operand's shape. */
function rule(f: (a: Tensor, b: Tensor, y: Tensor, dy: Tensor) => [Tensor, Tensor]): GradRule<BinaryOp> {
  return (dy, { inputs: [a, b], output }) => {
    const [da, db] = f(a!, b!, output, dy);
    return [unbroadcast(da, a!.shape), unbroadcast(db, b!.shape)];
  };
}

/** Gradient of maximum / minimum: the winner takes dy, ties share it equally. */
function splitTies(a: Tensor, b: Tensor, dy: Tensor, wins: (x: Tensor, y: Tensor) => Tensor): [Tensor, Tensor] {
  const tie = mul(cast(equal(a, b), 'float32'), 0.5);
  const wa = add(cast(wins(a, b), 'float32'), tie);
  const wb = add(cast(wins(b, a), 'float32'), tie);
  return [mul(dy, wa), mul(dy, wb)];
}

/** The gradient of every binary op (null for comparisons and logical ops, whose output is bool). */
export const binaryRules: { readonly [op in BinaryOp]: GradRule<op> | null } = {
  add: rule((_a, _b, _y, dy) => [dy, dy]),
  sub: rule((_a, _b, _y, dy) => [dy, mul(dy, -1)]),
  mul: rule((a, b, _y, dy) => [mul(dy, b), mul(dy, a)]),
  div: rule((a, b, _y, dy) => [div(dy, b), mul(dy, div(mul(a, -1), mul(b, b)))]),
  pow: rule((a, b, y, dy) => [
    // b·a^(b−1) is 0·∞ at a = 0, b = 0; the limit along b = 0 is 0 (as in PyTorch).
    mul(dy, where(equal(b, 0), 0, mul(b, pow(a, sub(b, 1))))),
    // y·log(a), taken as 0 where a ≤ 0 (at a = 0 the limit is 0 for b > 0).
    mul(dy, where(greater(a, 0), mul(y, log(where(greater(a, 0), a, 1))), 0)),
  ]),
  maximum: rule((a, b, _y, dy) => splitTies(a, b, dy, greater)),
  minimum: rule((a, b, _y, dy) => splitTies(a, b, dy, less)),
  atan2: rule((a, b, _y, dy) => {
    const r2 = add(mul(a, a), mul(b, b));
    return [mul(dy, div(b, r2)), mul(dy, div(neg(a), r2))];
  }),
  mod: rule((a, b, _y, dy) => [dy, mul(dy, neg(floorDiv(a, b)))]),
  // a − b·trunc(a / b): trunc rounds toward zero, so floor for a positive quotient, ceil for a negative one.
  fmod: rule((a, b, _y, dy) => {
    const q = div(a, b);
    return [dy, mul(dy, neg(where(less(q, 0), ceil(q), floor(q))))];
  }),
  floorDiv: null,
  equal: null,
  notEqual: null,
  less: null,
  lessEqual: null,
  greater: null,
  greaterEqual: null,
  logicalAnd: null,
  logicalOr: null,
};
