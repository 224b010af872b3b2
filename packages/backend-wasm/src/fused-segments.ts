/**
 * A flat fused program over several segments (an optimizer's update of every parameter) in one call
 * into WebAssembly: the program is compiled once (fused-jit.ts, its `run(inputs…, outputs…, n)`), and
 * a small driver module, emitted here per program arity, imports that function and walks a table of
 * per-segment arguments written into a scratch block, calling `run` for each row. So the JS→wasm
 * crossing, the argument marshalling and the allocator's scratch block are paid once per step instead
 * of once per parameter, and each segment computes exactly what `fusedElementwise` computes for it.
 * Programs the run-time compiler does not take (or hosts that refuse compiling) run segment by segment
 * through `fusedElementwise` (the tile interpreter), with the same results.
 */
import {
  checkFusedSegments, segmentProgram, validateFusedProgram,
  type Backend, type DataId, type FusedElementwiseProgram, type FusedSegment, type TensorRef,
} from '@scratchnet/core';
import { compileFused, jitTakes } from './fused-jit.js';
import { leb, sleb, wasmName as name, wasmSection as section } from './wasm-bytes.js';
import { fusedJitEnabled } from './fused.js';
import type { Entry, Runtime } from './runtime.js';

/** `drive(table, count)`: calls the program's `run` once per table row of `arity` i32 arguments. */
type Driver = (table: number, count: number) => void;

/**
 * The driver module's bytes: imports env.memory and env.run (i32 × arity → ()), exports
 * `drive(table, count)`, which for each of `count` rows of `arity` i32 words at `table` loads the row
 * and calls run with it.
 */
export function emitDriver(arity: number, shared: boolean): Uint8Array<ArrayBuffer> {
  const I32 = 0x7f;
  const row = 4 * arity;
  const body: number[] = [
    0x20, 1, 0x41, ...sleb(row), 0x6c, 0x20, 0, 0x6a, 0x21, 2, // end = table + count·row
    0x02, 0x40, 0x03, 0x40, // block, loop
    0x20, 0, 0x20, 2, 0x4f, 0x0d, 1, // br_if table ≥ end (out of the block)
  ];
  for (let j = 0; j < arity; j++) body.push(0x20, 0, 0x28, 2, ...leb(4 * j)); // i32.load offset 4j
  body.push(0x10, 0); // call run
  body.push(0x20, 0, 0x41, ...sleb(row), 0x6a, 0x21, 0); // table += row
  body.push(0x0c, 0, 0x0b, 0x0b, 0x0b); // br loop, end loop, end block, end function
  const func = [1, 1, I32, ...body]; // one local (end)
  const limits = shared ? [0x03, 0, ...leb(65536)] : [0x00, 0];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [2, 0x60, ...leb(arity), ...new Array<number>(arity).fill(I32), 0, 0x60, 2, I32, I32, 0]),
    ...section(2, [2, ...name('env'), ...name('memory'), 0x02, ...limits, ...name('env'), ...name('run'), 0x00, 0]),
    ...section(3, [1, 1]),
    ...section(7, [1, ...name('drive'), 0x00, 1]),
    ...section(10, [1, ...leb(func.length), ...func]),
  ]);
}

/** Drivers per memory and program (null: not compiled; the segments run one by one). */
const drivers = new WeakMap<WebAssembly.Memory, WeakMap<FusedElementwiseProgram, Driver | null>>();

function driverFor(rt: Runtime, program: FusedElementwiseProgram): Driver | null {
  let byProgram = drivers.get(rt.memory);
  if (!byProgram) drivers.set(rt.memory, (byProgram = new WeakMap()));
  let driver = byProgram.get(program);
  if (driver === undefined) {
    driver = null;
    const run = jitTakes(program, validateFusedProgram(program)) ? compileFused(program, rt.memory) : null;
    if (run) {
      try {
        const shared = typeof SharedArrayBuffer !== 'undefined' && rt.memory.buffer instanceof SharedArrayBuffer;
        const module = new WebAssembly.Module(emitDriver(program.inputs.length + program.outputs.length + 1, shared));
        driver = new WebAssembly.Instance(module, { env: { memory: rt.memory, run } }).exports['drive'] as Driver;
      } catch {
        driver = null;
      }
    }
    byProgram.set(program, driver);
  }
  return driver;
}

/**
 * Runs `program` (flat, see the backend contract's `fusedElementwiseSegments`) over `segments`: per
 * segment, one new id per program output. `entry` gives a ref's memory entry; `backend` runs the
 * segments one by one where the program is not compiled.
 */
export function runFusedSegments(
  backend: Backend, rt: Runtime, program: FusedElementwiseProgram, segments: readonly FusedSegment[], entry: (t: TensorRef) => Entry,
): DataId[][] {
  checkFusedSegments(program, segments);
  const driver = fusedJitEnabled() ? driverFor(rt, program) : null;
  if (!driver) return segments.map((s) => backend.fusedElementwise!(segmentProgram(program, s.size), s.inputs));
  const infos = validateFusedProgram(program);
  const ids = segments.map((s) => program.outputs.map((v) => rt.create(infos[v]!.dtype, s.size)));
  const arity = program.inputs.length + program.outputs.length + 1;
  const table = rt.heap.alloc(4 * arity * segments.length);
  try {
    // Views after every allocation (memory may have grown).
    const words = new Int32Array(rt.memory.buffer, table, arity * segments.length);
    segments.forEach((s, i) => {
      let w = i * arity;
      for (const t of s.inputs) words[w++] = entry(t).ptr;
      for (const id of ids[i]!) words[w++] = rt.get(id).ptr;
      words[w] = s.size;
    });
    driver(table, segments.length);
  } catch (e) {
    for (const list of ids) for (const id of list) rt.delete(id);
    throw e;
  } finally {
    rt.heap.release(table);
  }
  return ids;
}
