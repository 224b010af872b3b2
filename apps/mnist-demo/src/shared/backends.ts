/**
 * Which backends are registered and which of them can run here. The backends the demo ships with
 * are imported once, in `register-backends.ts`; everything else asks the registry, so a backend
 * added there shows up everywhere without further changes.
 */
import { getBackend, listBackends, setBackend } from '@scratchnet/core';
import type { DeviceLossLogs } from '@scratchnet/layers';

/** A registered backend and whether it can start here. */
export interface BackendStatus {
  readonly name: string;
  readonly available: boolean;
  /** Why it cannot start (when not available). */
  readonly reason?: string;
  /** What the backend says about itself (SIMD, threads, adapter...), when available. */
  readonly info?: Record<string, unknown>;
  /** True when it was not started at all (the user chose other backends); `available` is then false. */
  readonly skipped?: boolean;
}

/** Settings of {@link probeBackends}. */
export interface ProbeOptions {
  /** Start only these backends (the others are listed as skipped): a driver is loaded only when asked for. */
  readonly only?: readonly string[];
  /** Probes to run instead of starting a backend in this process (the CLI asks Dawn in a child process). */
  readonly probeElsewhere?: Readonly<Record<string, () => Promise<BackendStatus>>>;
}

/**
 * Tries every registered backend, best first, and reports which ones start, with their facts or
 * the reason they cannot. Leaves the default backend (see {@link pickDefault}) active.
 */
export async function probeBackends(options: ProbeOptions = {}): Promise<BackendStatus[]> {
  const out: BackendStatus[] = [];
  for (const name of listBackends()) {
    if (options.only && !options.only.includes(name)) {
      out.push({ name, available: false, skipped: true, reason: 'not started (not asked for)' });
      continue;
    }
    const elsewhere = options.probeElsewhere?.[name];
    if (elsewhere) {
      out.push(await elsewhere());
      continue;
    }
    try {
      await setBackend(name);
      out.push({ name, available: true, info: getBackend().info?.() ?? {} });
    } catch (e) {
      out.push({ name, available: false, reason: firstLine(e) });
    }
  }
  const best = pickDefault(out);
  if (best) await setBackend(best.name);
  return out;
}

/** The first line of an error's message, without the registry's prefix. */
export function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return (text.split('\n')[0] ?? '').replace(/^backend '[^']*' is not available here: /, '');
}

/** The facts worth showing in one line (the rest are counters and limits). */
const INFO_KEYS = new Set(['isa', 'threads', 'sharedMemory', 'singleThreadedReason', 'source', 'vendor', 'architecture', 'device', 'description']);

/** A short description of a backend's facts, e.g. `simd, 2 threads`. */
export function describeInfo(info: Record<string, unknown> | undefined): string {
  if (!info) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(info)) {
    if (v === undefined || v === null || typeof v === 'object' || !INFO_KEYS.has(k)) continue;
    if (typeof v === 'boolean') {
      if (v) parts.push(k);
    } else if (typeof v === 'number' || typeof v === 'string') parts.push(`${k} ${v}`);
  }
  return parts.join(', ');
}

/** Whether a backend runs on a software emulation of a GPU (Mesa's llvmpipe/lavapipe, SwiftShader). */
export function isSoftwareGpu(b: BackendStatus): boolean {
  const info = b.info ?? {};
  if (info.isFallbackAdapter === true) return true;
  const text = ['architecture', 'device', 'description', 'vendor'].map((k) => (typeof info[k] === 'string' ? info[k] : '')).join(' ').toLowerCase();
  return /\b(software|swiftshader|llvmpipe|lavapipe)\b/.test(text);
}

/**
 * The backend to go on with when `current` loses its device (a GPU reset, a driver crash): the best
 * registered one besides it that is not known to be unavailable here. fit switches to it and goes on
 * from the model's last synced weights (see `fallbackBackend` in fit's options).
 */
export function fallbackFor(status: readonly BackendStatus[], current: string, registered: readonly string[] = listBackends()): string | undefined {
  return registered.find((name) => {
    const s = status.find((b) => b.name === name);
    return name !== current && (!s || s.available || s.skipped === true);
  });
}

/** A line for the user when training went on elsewhere after a lost device. */
export function deviceLossLine(logs: DeviceLossLogs): string {
  const from = logs.syncedInEpoch < 0 ? 'the last synced weights' : `the weights synced after batch ${logs.syncedAfterBatch}`;
  return `the ${logs.from} device was lost (${logs.error.info.reason}: ${logs.error.info.message}); switched backend: ${logs.from} → ${logs.to}, going on from ${from}`;
}

/**
 * The backend to use by default: the available one of highest priority, passing over a GPU
 * backend whose adapter is a software emulation (slower than the CPU backends) unless nothing
 * else is available.
 */
export function pickDefault(status: readonly BackendStatus[]): BackendStatus | undefined {
  const available = status.filter((b) => b.available);
  return available.find((b) => !isSoftwareGpu(b)) ?? available[0];
}
