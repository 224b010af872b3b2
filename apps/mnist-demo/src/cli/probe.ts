import { probeWebGpuInChild } from '../node/webgpu-probe.js';
import { probeBackends, type BackendStatus } from '../shared/backends.js';

/**
 * Starts only the backends a CLI command needs: the named ones when the user chose (`only`), else
 * all of them, with WebGPU probed in a child process so that Dawn's driver notes never reach the
 * user's terminal unless WebGPU is really used.
 */
export function probeCliBackends(only?: readonly string[]): Promise<BackendStatus[]> {
  return probeBackends(only && only.length > 0 ? { only } : { probeElsewhere: { webgpu: probeWebGpuInChild } });
}
