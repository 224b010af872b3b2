/** Core's op tables: the single definition of each elementwise op family. */
export { UNARY_DEFS, UNARY_OPS, unaryDef, unaryKernelDtype } from './unary-defs.js';
export type { BoolUnaryDef, FloatUnaryDef, FloatUnaryForms, NumericUnaryDef, UnaryDef, UnaryOp } from './unary-defs.js';
export { UNARY_GRAD_OPS, unaryGradForms } from './unary-defs.js';
export type { UnaryGradForms, UnaryGradOp } from './unary-defs.js';
export { BINARY_DEFS, BINARY_OPS, binaryDef, binaryKernelDtype, binaryOutDtype } from './binary-defs.js';
export type { ArithForms, BinaryDef, BinaryOp, CompareDef, FloatArithDef, IntArithDef, LogicalDef } from './binary-defs.js';
export { elementwiseAbiHash } from './abi.js';
export { ERFCX_CHEBYSHEV } from './scalar-math.js';
