/**
 * Which registered backends can start here (register-backends.ts imports them), and which one to
 * use by default: the page lists them all and lets the user switch, even in the middle of training.
 */
import { getBackend, listBackends, setBackend } from '@scratchnet/core';

/** A registered backend and whether it started. */
export interface BackendStatus {
  readonly name: string;
  readonly available: boolean;
  /** Why it did not start (when not available). */
  readonly reason?: string;
  /** What the backend reports about itself (threads, SIMD, adapter…), when available. */
  readonly info?: Record<string, unknown>;
}

/** The first line of an error's message, without the registry's "not available here" prefix. */
export function errorLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return (text.split('\n')[0] ?? '').replace(/^backend '[^']*' is not available here: /, '');
}

/** Whether a backend draws on a GPU emulated in software (Mesa's lavapipe/llvmpipe, SwiftShader): slower than the CPU backends. */
export function runsOnSoftwareGpu(status: BackendStatus): boolean {
  const info = status.info ?? {};
  if (info.isFallbackAdapter === true) return true;
  const words = ['vendor', 'architecture', 'device', 'description'].map((k) => (typeof info[k] === 'string' ? info[k] : '')).join(' ');
  return /\b(swiftshader|llvmpipe|lavapipe|software)\b/i.test(words);
}

/** The default: wasm where it starts, else the first available one that is not a software GPU, else any available one. */
export function defaultBackend(statuses: readonly BackendStatus[]): BackendStatus | undefined {
  const up = statuses.filter((s) => s.available);
  return up.find((s) => s.name === 'wasm') ?? up.find((s) => !runsOnSoftwareGpu(s)) ?? up[0];
}

/** Starts every registered backend once, reports each, and leaves the {@link defaultBackend} active. */
export async function probeBackends(): Promise<BackendStatus[]> {
  const statuses: BackendStatus[] = [];
  for (const name of listBackends()) {
    try {
      await setBackend(name);
      statuses.push({ name, available: true, info: getBackend().info?.() ?? {} });
    } catch (e) {
      statuses.push({ name, available: false, reason: errorLine(e).replace(`${name}: `, '') });
    }
  }
  const best = defaultBackend(statuses);
  if (best) await setBackend(best.name);
  return statuses;
}

/** The facts worth one line: e.g. `simd, threads 2` or an adapter's description. */
export function describeBackend(info: Record<string, unknown> | undefined): string {
  const shown = ['isa', 'simd', 'threads', 'vendor', 'architecture', 'description'];
  const parts: string[] = [];
  for (const key of shown) {
    const v = info?.[key];
    if (v === true) parts.push(key);
    else if (typeof v === 'number' || (typeof v === 'string' && v !== '')) parts.push(`${key} ${v}`);
  }
  return parts.join(', ');
}
