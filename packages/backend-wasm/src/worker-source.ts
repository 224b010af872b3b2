/**
 * The source of a kernel worker, as text so that it runs from any bundle without a separate file:
 * Node starts it with `new Worker(src, { eval: true })`, browsers from a Blob URL.
 *
 * A worker instantiates the kernel module on the shared memory it is sent, says 'ready', then waits on
 * its slot of the control block. The host writes a function index and arguments, marks the call posted
 * and bumps the slot's sequence number; the worker takes the call (posted → taken, atomically), runs it,
 * counts the pending counter down and wakes the host if the host sleeps. For a call whose work the
 * host's own part finishes whatever the workers do (rows or items claimed from a shared counter), the
 * host withdraws a call no worker has taken yet (posted → withdrawn) instead of waiting for a late
 * wake-up. A negative function index ends the loop.
 *
 * Waiting: after a call a worker polls its sequence number for CTRL_POLL_US microseconds (set by the
 * host) before it sleeps in Atomics.wait, so a call that follows soon after (the next matmul of a loop,
 * ~20–60 µs later) is seen within a microsecond instead of through a futex wake-up and a reschedule
 * (7–15 µs at the median, 40 µs and more at the tail here). A worker says when it sleeps (the slot's
 * sleeping flag), and the host calls Atomics.notify only then; the host does the same while it waits
 * for the workers (CTRL_HOST_SLEEPING). Either side sets its flag before its last look at the value it
 * waits on, and the other side changes that value before it reads the flag (both sequentially
 * consistent), so no wake-up is lost. The polling is bounded so an idle process burns no CPU, and the
 * host turns it off for a while when polling workers keep missing calls (see ThreadPool): with more
 * runnable threads than cores a poller only holds off the thread it waits for.
 *
 * The poll reads the clock once per 512 looks at the sequence number: performance.now() in a tight
 * loop made the worker's isolate collect garbage every ~30 ms (a 0.1–0.2 ms scavenge that a call
 * posted meanwhile waited for).
 *
 * (No comments inside the source text: it ships as is.) A call the worker cannot take (posted → taken
 * fails) was withdrawn by the host or is an old wake-up. Node loads worker_threads with a dynamic
 * import, which works whether it evaluates the text as a script or as a module (--input-type).
 */

/** Control block layout (Int32Array indices). */
export const CTRL_PENDING = 0;
export const CTRL_ERROR = 1;
/** Non-zero while the host sleeps in Atomics.wait on CTRL_PENDING (workers notify only then). */
export const CTRL_HOST_SLEEPING = 2;
/** Microseconds a worker polls for the next call after finishing one before it sleeps (0: sleep at once). */
export const CTRL_POLL_US = 3;
export const CTRL_HEADER = 4;
/** Int32 entries per worker slot: sequence number, function index, call state (CALL_*), sleeping flag. */
export const CTRL_SLOT = 4;
/** Call states of a slot: no call for the worker, a call posted, taken by the worker, withdrawn by the host. */
export const CALL_IDLE = 0;
export const CALL_POSTED = 1;
export const CALL_TAKEN = 2;
export const CALL_WITHDRAWN = 3;
/** Float64 arguments per worker slot. */
export const MAX_ARGS = 16;
export const WORKER_SOURCE = `
'use strict';
function start(data, send) {
  const instance = new WebAssembly.Instance(data.module, {
    env: { memory: data.memory, abort: function () { throw new Error('wasm abort'); } },
  });
  const fns = data.names.map(function (n) { return instance.exports[n]; });
  const ctrl = new Int32Array(data.ctrl);
  const args = new Float64Array(data.args);
  const seqAt = ${CTRL_HEADER} + data.slot * ${CTRL_SLOT};
  const fnAt = seqAt + 1;
  const stateAt = seqAt + 2;
  const a = data.slot * ${MAX_ARGS};
  let seen = Atomics.load(ctrl, seqAt);
  send('ready');
  for (;;) {
    const until = performance.now() + Atomics.load(ctrl, ${CTRL_POLL_US}) / 1e3;
    let seq;
    for (;;) {
      for (let i = 0; i < 512 && (seq = Atomics.load(ctrl, seqAt)) === seen; i++);
      if (seq !== seen || performance.now() >= until) break;
    }
    if (seq === seen) {
      Atomics.store(ctrl, seqAt + 3, 1);
      Atomics.wait(ctrl, seqAt, seen);
      Atomics.store(ctrl, seqAt + 3, 0);
      continue;
    }
    seen = seq;
    if (ctrl[fnAt] < 0) break;
    if (Atomics.compareExchange(ctrl, stateAt, ${CALL_POSTED}, ${CALL_TAKEN}) !== ${CALL_POSTED}) continue;
    const fn = ctrl[fnAt];
    try {
      fns[fn](args[a], args[a + 1], args[a + 2], args[a + 3], args[a + 4], args[a + 5], args[a + 6], args[a + 7],
        args[a + 8], args[a + 9], args[a + 10], args[a + 11], args[a + 12], args[a + 13], args[a + 14], args[a + 15]);
    } catch (e) {
      Atomics.store(ctrl, ${CTRL_ERROR}, 1);
    }
    Atomics.store(ctrl, stateAt, ${CALL_IDLE});
    if (Atomics.sub(ctrl, ${CTRL_PENDING}, 1) === 1 && Atomics.load(ctrl, ${CTRL_HOST_SLEEPING}) !== 0) {
      Atomics.notify(ctrl, ${CTRL_PENDING});
    }
  }
}
if (typeof process === 'object' && process.versions && process.versions.node) {
  import('node:worker_threads').then(function (wt) {
    wt.parentPort.once('message', function (data) {
      start(data, function (m) { wt.parentPort.postMessage(m); });
    });
  });
} else {
  self.onmessage = function (e) {
    self.onmessage = null;
    start(e.data, function (m) { self.postMessage(m); });
  };
}
`;
