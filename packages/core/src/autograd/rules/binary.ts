import type { BinaryOp } from '../../backend/kernel-types.js';
import { add, div, equal, floorDiv, greater, less, mul, pow, sub, where } from '../../ops/binary.js';
import { cast } from '../../ops/cast.js';
import { ceil, floor, log, neg } from '../../ops/unary.js';
import type { Tensor } from '../../tensor.js';
import type { GradRule } from '../grad-attrs.js';
import { unbroadcast } from '../unbroadcast.js';

/** One operand's gradient, written on a, b, y and dy at the broadcast shape. */
type Side = (a: Tensor, b: Tensor, y: Tensor, dy: Tensor) => Tensor;

/**
 * A binary rule from each operand's gradient; each is summed back to its operand's shape, and only
 * computed when that operand wants a gradient (a constant operand costs nothing).
 */
function rule(da: Side, db: Side): GradRule<BinaryOp> {
  return (dy, { inputs: [a, b], output }, needs) => [
    needs[0] ? unbroadcast(da(a!, b!, output, dy), a!.shape) : null,
    needs[1] ? unbroadcast(db(a!, b!, output, dy), b!.shape) : null,
  ];
}

/** Gradient of maximum / minimum for the operand x (against y): the winner takes dy, ties share it equally. */
function tiesSide(wins: (x: Tensor, y: Tensor) => Tensor, first: boolean): Side {
  return (a, b, _y, dy) => {
    const [x, other] = first ? [a, b] : [b, a];
    const tie = mul(cast(equal(a, b), 'float32'), 0.5);
    return mul(dy, add(cast(wins(x, other), 'float32'), tie));
  };
}

const passThrough: Side = (_a, _b, _y, dy) => dy;
const r2 = (a: Tensor, b: Tensor): Tensor => add(mul(a, a), mul(b, b));

/** The gradient of every binary op (null for comparisons and logical ops, whose output is bool). */
export const binaryRules: { readonly [op in BinaryOp]: GradRule<op> | null } = {
  add: rule(passThrough, passThrough),
  sub: rule(passThrough, (_a, _b, _y, dy) => mul(dy, -1)),
  mul: rule((_a, b, _y, dy) => mul(dy, b), (a, _b, _y, dy) => mul(dy, a)),
  div: rule((_a, b, _y, dy) => div(dy, b), (a, b, _y, dy) => mul(dy, div(mul(a, -1), mul(b, b)))),
  pow: rule(
    // b·a^(b−1) is 0·∞ at a = 0, b = 0; the limit along b = 0 is 0 (as in PyTorch).
    (a, b, _y, dy) => mul(dy, where(equal(b, 0), 0, mul(b, pow(a, sub(b, 1))))),
    // y·log(a), taken as 0 where a ≤ 0 (at a = 0 the limit is 0 for b > 0).
    (a, _b, y, dy) => mul(dy, where(greater(a, 0), mul(y, log(where(greater(a, 0), a, 1))), 0)),
  ),
  maximum: rule(tiesSide(greater, true), tiesSide(greater, false)),
  minimum: rule(tiesSide(less, true), tiesSide(less, false)),
  atan2: rule((a, b, _y, dy) => mul(dy, div(b, r2(a, b))), (a, b, _y, dy) => mul(dy, div(neg(a), r2(a, b)))),
  mod: rule(passThrough, (a, b, _y, dy) => mul(dy, neg(floorDiv(a, b)))),
  // a − b·trunc(a / b): trunc rounds toward zero, so floor for a positive quotient, ceil for a negative one.
  fmod: rule(passThrough, (a, b, _y, dy) => {
    const q = div(a, b);
    return mul(dy, neg(where(less(q, 0), ceil(q), floor(q))));
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
