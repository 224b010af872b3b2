/**
 * Subgroup operations for the GEMM kernels: the device feature to request, and the subgroup size the
 * kernels may rely on. The GEMM broadcasts A values lane by lane with a constant lane index, so it needs
 * a size that is known when the shader is written: the adapter's minimum and maximum subgroup sizes
 * must agree (lavapipe: 8 on AVX2 hosts) and be at most 16 (rows of a GEMM tile).
 */

/** Device features to request when the adapter has them. */
export const SUBGROUP_FEATURES: readonly GPUFeatureName[] = ['subgroups'];

/** The fixed subgroup size of `device` when subgroups are enabled on it and usable by the kernels, else 0. */
export function subgroupSizeOf(device: GPUDevice): number {
  if (!device.features.has('subgroups')) return 0;
  const info = (device as { adapterInfo?: { subgroupMinSize?: number; subgroupMaxSize?: number } }).adapterInfo;
  const min = info?.subgroupMinSize;
  return min !== undefined && min === info?.subgroupMaxSize && (min === 4 || min === 8 || min === 16) ? min : 0;
}
