/**
 * An opt-in development check for tensors that pile up across training steps: when enabled, every
 * new tensor remembers where user code made it, and each step (every gradient computation, or an
 * explicit {@link leakCheckStep}) compares the number of live tensors with the step before. When
 * it has grown for `steps` steps in a row, one warning names the call sites holding the most
 * live tensors. Costs a stack capture per tensor, so it is off unless asked for.
 */

/** Settings of {@link enableLeakCheck}. */
export interface LeakCheckOptions {
  /** Consecutive growing steps before warning (default 10). */
  steps?: number;
  /** Where the warning goes (default `console.warn`). */
  onWarn?: (message: string) => void;
}

interface State {
  readonly steps: number;
  readonly onWarn: (message: string) => void;
  /** Tensor id → the first call site outside ScratchNet that made it, for tensors still live. */
  readonly sites: Map<number, string>;
  last: number;
  growing: number;
  startCount: number;
  warned: boolean;
}

let state: State | null = null;

/**
 * Turns the leak check on (also done by the environment variable `SCRATCHNET_LEAK_CHECK=1` in
 * Node). Meant for development: it records a stack trace for every tensor made.
 * @example enableLeakCheck(); // then run the training loop; a leak prints one warning
 */
export function enableLeakCheck(options: LeakCheckOptions = {}): void {
  const steps = options.steps ?? 10;
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`enableLeakCheck: steps must be a positive integer, got ${String(steps)}`);
  state = { steps, onWarn: options.onWarn ?? ((m) => console.warn(m)), sites: new Map(), last: 0, growing: 0, startCount: 0, warned: false };
}

/** Turns the leak check off and forgets what it recorded. */
export function disableLeakCheck(): void {
  state = null;
}

/** True while the leak check is on. */
export function leakCheckEnabled(): boolean {
  return state !== null;
}

const OWN_FRAME = /[\\/](@scratchnet|packages[\\/](core|layers|backend-[a-z]+))[\\/]|\(node:|^node:|\(native\)|<anonymous>/;

/** The first stack frame outside ScratchNet itself: where user code asked for the tensor. */
function userFrame(): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 60;
  const lines = (new Error().stack ?? '').split('\n').slice(1);
  Error.stackTraceLimit = limit;
  for (const line of lines) {
    const frame = line.trim().replace(/^at\s+/, '');
    if (frame && !OWN_FRAME.test(frame)) return frame;
  }
  return '(unknown call site)';
}

/** @internal Called by the engine for every new tensor. */
export function noteTensorMade(id: number): void {
  if (state) state.sites.set(id, userFrame());
}

/** @internal Called by the engine when a tensor is disposed. */
export function noteTensorGone(id: number): void {
  state?.sites.delete(id);
}

/**
 * Marks the end of one step for the leak check (gradient computations do this by themselves).
 * Call it once per iteration in a loop that computes no gradients. Does nothing when disabled.
 */
export function leakCheckStep(): void {
  const s = state;
  if (!s) return;
  const count = s.sites.size;
  if (count > s.last) {
    if (s.growing === 0) s.startCount = s.last;
    s.growing++;
  } else {
    s.growing = 0;
  }
  s.last = count;
  if (s.growing < s.steps || s.warned) return;
  s.warned = true;
  s.onWarn(describe(s, count));
}

function describe(s: State, count: number): string {
  const bySite = new Map<string, number>();
  for (const site of s.sites.values()) bySite.set(site, (bySite.get(site) ?? 0) + 1);
  const top = [...bySite.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3);
  const where = top.map(([site, n]) => `  ${n} live tensor${n === 1 ? '' : 's'} made at ${site}`).join('\n');
  return (
    `ScratchNet leak check: live tensors grew at each of the last ${s.growing} steps (${s.startCount} → ${count}).\n` +
    `${where}\n` +
    'Wrap each step in tidy(() => ...) (or declare short-lived tensors with `using`, or dispose() them) so that they are freed.'
  );
}

const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
if (env?.SCRATCHNET_LEAK_CHECK === '1') enableLeakCheck();
