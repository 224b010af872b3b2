/**
 * The worker pool: kernel workers on the backend's shared WebAssembly.Memory (worker_threads in Node,
 * Web Workers in browsers). A parallel call hands each worker one argument list through a shared
 * control block, runs the first list on the calling thread, then waits until every worker is done, so
 * kernels stay synchronous as the backend contract requires.
 */
import type * as NodeWorkerThreads from 'node:worker_threads';
import {
  CALL_IDLE, CALL_POSTED, CALL_WITHDRAWN, CTRL_ERROR, CTRL_HEADER, CTRL_HOST_SLEEPING, CTRL_PENDING, CTRL_POLL_US, CTRL_SLOT,
  MAX_ARGS, WORKER_SOURCE,
} from './worker-source.js';

/** The most workers a pool will start (the control block is sized for it). */
export const MAX_WORKERS = 63;

/**
 * Microseconds a worker polls for the next call after finishing one before it sleeps, at least and at
 * most. A sleeping worker is expensive to wake on a virtual machine: its virtual CPU halts within a
 * millisecond of idling: an empty 2-thread call took 165–215 µs at the median 1–20 ms after the last
 * call, 25 µs 0.2 ms after it, and 1–2 µs with the worker still polling (`bench/gemm-spread.mjs wake`,
 * 2026-12-01). A loop of matmuls with their results read back leaves 40–60 µs between calls at
 * n = 128, 0.2–0.3 ms at 256 and ~1 ms at 512 (the read-back's page faults), so a fixed 100 µs window
 * put a 0.2 ms wake-up into most 2-thread calls from n = 256. The pool sizes the window from the
 * gaps it sees (see pollWindowUs); gaps longer than the longest window are not bridged (the worker
 * sleeps, so an idle process stops burning CPU within MAX_WORKER_POLL_US).
 */
export const WORKER_POLL_US = 100;
export const MAX_WORKER_POLL_US = 3000;

/**
 * The poll window after a call from the pool's estimate of the gap before the next one (ms): twice the
 * estimate plus 50 µs, within [WORKER_POLL_US, MAX_WORKER_POLL_US].
 */
export function pollWindowUs(gapMs: number): number {
  return Math.round(Math.min(MAX_WORKER_POLL_US, Math.max(WORKER_POLL_US, 2000 * gapMs + 50)));
}

/**
 * Milliseconds the calling thread polls for the workers to finish before it sleeps in Atomics.wait: the
 * threads of a call whose work is shared through counters finish within a small claim of each other,
 * and a futex sleep costs a wake-up of up to 0.2 ms on a halted virtual CPU.
 */
const HOST_POLL_MS = 0.5;

/**
 * A polling worker takes a posted call within a microsecond when it has a core. A shared call whose
 * worker was polling when the call was posted (not asleep: waking a sleeper is slow on an idle core and
 * says nothing of the load) but had not come by the time the calling thread had done all the work (its
 * call withdrawn), or finished more than HOST_POLL_MS after it, after a part of at least MISSED_MS, is
 * a miss: the worker had no core. MISSES_TO_STOP misses among the last JUDGED_CALLS judged calls mean
 * the machine has more runnable threads than cores (single misses are a hypervisor's or another
 * process's moment: on this 2-core virtual machine, quiet, they came every few hundred calls, and
 * when one, later two in a row, turned polling off, the bench's 2-thread calls at n = 128 ran on one
 * thread a third of the time). There a poller only holds off the thread it waits for (two threads on
 * one core: an empty call's round trip went from 11 to 158 µs at the median) and small splits lose to
 * one thread, and nearly every call misses. Polling then stays off (matmul asks for more work per
 * thread meanwhile) and is tried again after a back-off that starts at POLL_BACKOFF_MS, doubles with
 * each stop up to MAX_POLL_BACKOFF_MS (~1 s) and starts again once JUDGED_CALLS judged calls have gone
 * by with at most one miss; on a lastingly loaded machine the tries soon come a second apart.
 */
const MISSED_MS = 0.005;
const MISSES_TO_STOP = 4;
const JUDGED_CALLS = 8;
const POLL_BACKOFF_MS = 2;
const MAX_POLL_BACKOFF_MS = 1024;
/**
 * The gap estimate's decay per call: it follows the longest recent gap, so alternating short and long
 * gaps keep the longer window.
 */
const GAP_DECAY = 0.5;

/** Set bits of a small non-negative integer. */
function bitCount(bits: number): number {
  let count = 0;
  for (let b = bits; b !== 0; b &= b - 1) count++;
  return count;
}

interface Handle {
  readonly slot: number;
  terminate(): void;
}

type KernelFn = (...args: number[]) => unknown;

const isNode = typeof process === 'object' && typeof process.versions === 'object' && typeof process.versions.node === 'string';

/** Imports a Node built-in without letting browser bundlers try to resolve it. */
export async function nodeModule<T>(name: string): Promise<T> {
  const specifier = `node:${name}`;
  return (await import(/* @vite-ignore */ specifier)) as T;
}

/** Whether this thread may block in Atomics.wait (Node and workers may; a browser page's main thread may not). */
function canBlock(probe: Int32Array): boolean {
  try {
    Atomics.wait(probe, 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/** A pool of kernel workers over one shared memory. */
export class ThreadPool {
  private readonly ctrl: Int32Array;
  private readonly args: Float64Array;
  private readonly ready: Handle[] = [];
  private readonly starting = new Set<Handle>();
  private readonly blocking: boolean;
  private wanted = 1;
  private closed = false;
  /** performance.now() until which polling stays off. */
  private pollOffUntil = 0;
  private backoff = POLL_BACKOFF_MS;
  /** The last JUDGED_CALLS judged calls, one bit each (1: a miss), and how many were judged since polling resumed. */
  private history = 0;
  private judged = 0;
  /** performance.now() at the end of the last call, and the estimate of the gap between calls (ms). */
  private lastEnd = -Infinity;
  private gap = 0;
  private spawnChain: Promise<void> = Promise.resolve();

  constructor(
    private readonly module: WebAssembly.Module,
    private readonly memory: WebAssembly.Memory,
    private readonly names: readonly string[],
    private readonly local: readonly KernelFn[],
  ) {
    const ctrlBuf = new SharedArrayBuffer((CTRL_HEADER + MAX_WORKERS * CTRL_SLOT) * 4);
    this.ctrl = new Int32Array(ctrlBuf);
    this.args = new Float64Array(new SharedArrayBuffer(MAX_WORKERS * MAX_ARGS * 8));
    this.blocking = canBlock(new Int32Array(new SharedArrayBuffer(4)));
  }

  /** Whether workers poll for calls from the next call on (off for a while after a missed hand-off). */
  get polling(): boolean {
    return performance.now() >= this.pollOffUntil;
  }

  /** Threads a parallel call uses now: the calling thread plus the workers that are ready. */
  get size(): number {
    return Math.min(this.wanted, this.ready.length + 1);
  }

  /** The requested number of threads (workers may still be starting). */
  get requested(): number {
    return this.wanted;
  }

  /**
   * Sets the number of threads (calling thread included); resolves when the workers are running. Going
   * down parks the spare workers (asleep in Atomics.wait) rather than ending them, so switching back
   * costs no worker start-up and no cold first calls; close() ends them.
   */
  resize(threads: number): Promise<void> {
    this.wanted = Math.max(1, Math.min(MAX_WORKERS + 1, Math.floor(threads)));
    const need = this.wanted - 1;
    const missing = need - this.ready.length - this.starting.size;
    for (let i = 0; i < missing; i++) {
      this.spawnChain = this.spawnChain.then(() => this.spawn());
    }
    return this.spawnChain;
  }

  /** Worker calls withdrawn because the calling thread's part had done all the work (see run). */
  withdrawn = 0;

  /**
   * Calls kernel `fn` once per argument list, in parallel: list 0 on this thread, list i on worker i−1.
   * At most `size` lists. Throws if any call failed. With `shared` the lists share their work through
   * counters in memory, so that the calling thread's call alone finishes all of it: a worker that has
   * not woken up by then has its call withdrawn instead of being waited for (a wake-up took up to
   * 30–70 µs at the 99th percentile here, and milliseconds when its core ran another process).
   */
  run(fn: number, lists: readonly (readonly number[])[], shared = false): void {
    const workers = lists.length - 1;
    if (workers > this.ready.length) throw new Error('wasm backend: more parallel tasks than threads');
    if (lists.some((l) => l.length > MAX_ARGS)) throw new Error(`wasm backend: a kernel call has more than ${MAX_ARGS} arguments`);
    const ctrl = this.ctrl;
    const start = performance.now();
    const gap = start - this.lastEnd;
    // A gap no window bridges does not count (the worker slept whatever the window), so an idle moment
    // does not shorten the window of the calls that follow it.
    this.gap = Math.max(gap * 1000 <= MAX_WORKER_POLL_US ? gap : 0, this.gap * GAP_DECAY);
    const polling = start >= this.pollOffUntil;
    Atomics.store(ctrl, CTRL_POLL_US, polling ? pollWindowUs(this.gap) : 0);
    Atomics.store(ctrl, CTRL_ERROR, 0);
    Atomics.store(ctrl, CTRL_PENDING, workers);
    let asleep = false;
    for (let w = 0; w < workers; w++) {
      const slot = this.ready[w]!.slot;
      const list = lists[w + 1]!;
      const base = slot * MAX_ARGS;
      for (let i = 0; i < MAX_ARGS; i++) this.args[base + i] = list[i] ?? 0;
      const seqAt = CTRL_HEADER + slot * CTRL_SLOT;
      ctrl[seqAt + 1] = fn;
      Atomics.store(ctrl, seqAt + 2, CALL_POSTED);
      Atomics.add(ctrl, seqAt, 1);
      // A worker still polling after its last call sees the new sequence number by itself.
      if (Atomics.load(ctrl, seqAt + 3) !== 0) {
        Atomics.notify(ctrl, seqAt, 1);
        asleep = true;
      }
    }
    let failure: unknown = null;
    try {
      this.local[fn]!(...lists[0]!);
    } catch (e) {
      failure = e;
    }
    const part = performance.now() - start;
    let missed = false;
    if (shared) {
      for (let w = 0; w < workers; w++) {
        const stateAt = CTRL_HEADER + this.ready[w]!.slot * CTRL_SLOT + 2;
        if (Atomics.compareExchange(ctrl, stateAt, CALL_POSTED, CALL_WITHDRAWN) === CALL_POSTED) {
          this.withdrawn++;
          Atomics.sub(ctrl, CTRL_PENDING, 1);
          missed = true;
        }
      }
    }
    if (Atomics.load(ctrl, CTRL_PENDING) !== 0) missed = this.awaitWorkers(polling) || missed;
    if (shared && polling && !asleep && part >= MISSED_MS) {
      this.history = ((this.history << 1) | (missed ? 1 : 0)) & ((1 << JUDGED_CALLS) - 1);
      this.judged = Math.min(JUDGED_CALLS, this.judged + 1);
      const misses = bitCount(this.history);
      if (misses >= MISSES_TO_STOP) {
        this.history = 0;
        this.judged = 0;
        this.pollOffUntil = performance.now() + this.backoff;
        if (this.backoff < MAX_POLL_BACKOFF_MS) this.backoff *= 2;
        Atomics.store(ctrl, CTRL_POLL_US, 0);
      } else if (this.judged === JUDGED_CALLS && misses <= 1) this.backoff = POLL_BACKOFF_MS;
    }
    this.lastEnd = performance.now();
    if (failure !== null) throw failure instanceof Error ? failure : new Error('wasm backend: kernel failed');
    if (Atomics.load(ctrl, CTRL_ERROR) !== 0) throw new Error(`wasm backend: kernel '${this.names[fn]}' failed in a worker thread`);
  }

  /**
   * Returns once every worker has reported back: polls for HOST_POLL_MS while polling is on, then sleeps
   * (where it may). Returns whether it slept.
   */
  private awaitWorkers(polling: boolean): boolean {
    const ctrl = this.ctrl;
    const until = polling ? performance.now() + HOST_POLL_MS : 0;
    let slept = false;
    for (let left; (left = Atomics.load(ctrl, CTRL_PENDING)) !== 0; ) {
      if (!this.blocking || performance.now() < until) continue;
      // Announced before Atomics.wait looks at the count again, so the last worker to finish notifies.
      Atomics.store(ctrl, CTRL_HOST_SLEEPING, 1);
      Atomics.wait(ctrl, CTRL_PENDING, left);
      Atomics.store(ctrl, CTRL_HOST_SLEEPING, 0);
      slept = true;
    }
    return slept;
  }

  /** Stops every worker. */
  close(): void {
    this.closed = true;
    this.wanted = 1;
    for (const h of this.ready.splice(0)) this.stop(h);
    for (const h of this.starting) this.stop(h);
    this.starting.clear();
  }

  private freeSlot(): number {
    const taken = new Set<number>();
    for (const h of this.ready) taken.add(h.slot);
    for (const h of this.starting) taken.add(h.slot);
    let slot = 0;
    while (taken.has(slot)) slot++;
    return slot;
  }

  private stop(h: Handle): void {
    const seqAt = CTRL_HEADER + h.slot * CTRL_SLOT;
    this.ctrl[seqAt + 1] = -1;
    Atomics.add(this.ctrl, seqAt, 1);
    Atomics.notify(this.ctrl, seqAt);
    h.terminate();
  }

  private async spawn(): Promise<void> {
    if (this.closed || this.ready.length + this.starting.size >= this.wanted - 1) return;
    const slot = this.freeSlot();
    const seqAt = CTRL_HEADER + slot * CTRL_SLOT;
    Atomics.store(this.ctrl, seqAt, 0);
    Atomics.store(this.ctrl, seqAt + 2, CALL_IDLE);
    const message = {
      module: this.module, memory: this.memory, ctrl: this.ctrl.buffer, args: this.args.buffer, slot, names: this.names,
    };
    const started = isNode ? await startNodeWorker(message) : startWebWorker(message);
    const handle: Handle = { slot, terminate: started.terminate };
    this.starting.add(handle);
    try {
      await started.ready;
    } catch (e) {
      this.starting.delete(handle);
      handle.terminate();
      throw e;
    }
    this.starting.delete(handle);
    if (this.closed || this.ready.length >= this.wanted - 1) {
      this.stop(handle);
      return;
    }
    this.ready.push(handle);
  }
}

interface Started {
  readonly ready: Promise<void>;
  readonly terminate: () => void;
}

async function startNodeWorker(message: object): Promise<Started> {
  const wt = await nodeModule<typeof NodeWorkerThreads>('worker_threads');
  const worker: NodeWorkerThreads.Worker = new wt.Worker(WORKER_SOURCE, { eval: true });
  // Workers sleeping in Atomics.wait must not keep a finished script alive.
  worker.unref();
  const ready = new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`wasm backend: worker exited early (code ${code})`)));
  });
  worker.postMessage(message);
  return { ready, terminate: () => void worker.terminate() };
}

function startWebWorker(message: object): Started {
  const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
  const worker = new Worker(url);
  const ready = new Promise<void>((resolve, reject) => {
    worker.onmessage = () => resolve();
    worker.onerror = (e) => reject(new Error(`wasm backend: worker failed to start: ${e.message}`));
  });
  worker.postMessage(message);
  return {
    ready,
    terminate: () => {
      worker.terminate();
      URL.revokeObjectURL(url);
    },
  };
}
