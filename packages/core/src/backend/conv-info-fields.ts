import type { Conv2dInfo } from './kernel-types.js';

/**
 * The fields of {@link Conv2dInfo} in the order a backend that packs them into memory must use
 * (backend-wasm writes them as consecutive int32 words; its AssemblyScript `Info` class reads them in
 * this order, and a test there fails on any drift). Every field appears once: leaving one out is a
 * compile error below.
 */
export const CONV2D_INFO_FIELDS = [
  'batch', 'inChannels', 'inHeight', 'inWidth', 'outChannels', 'outHeight', 'outWidth', 'kernelHeight', 'kernelWidth',
  'strideHeight', 'strideWidth', 'dilationHeight', 'dilationWidth', 'padTop', 'padLeft', 'groups',
] as const satisfies readonly (keyof Conv2dInfo)[];

type MissingField = Exclude<keyof Conv2dInfo, (typeof CONV2D_INFO_FIELDS)[number]>;
/** Compile-time proof that the list names every field of Conv2dInfo. */
const everyField: [MissingField] extends [never] ? true : MissingField = true;
void everyField;
