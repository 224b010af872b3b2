/**
 * The one WebGPU type in this package's public declarations, written structurally: TypeScript 5.x
 * has no WebGPU types in its DOM library (TypeScript 6 has), so naming `GPUDevice` there would make
 * every consumer without `skipLibCheck` fail with "Cannot find name 'GPUDevice'". A real
 * `GPUDevice` fits this shape; cast to `GPUDevice` where your project has the WebGPU types.
 */
export interface WebGpuDevice {
  /** The device's label. */
  readonly label: string;
  /** The device's queue (a `GPUQueue`). */
  readonly queue: object;
  /** The device's limits (a `GPUSupportedLimits`). */
  readonly limits: object;
  /** Destroys the device and its buffers. */
  destroy(): void;
}
