/**
 * @packageDocumentation
 * The Node-only part of @scratchnet/layers (`import … from '@scratchnet/layers/node'`): reading
 * image folders and image files from disk, with PNG and JPEG decoders. Browser bundles import
 * `@scratchnet/layers` only and never load this.
 */
export { loadImageFolder, readImageFile, readImageInput } from './data/images/folder-node.js';
export { decodeImageBytes, sniffImageFormat, MAX_IMAGE_MEGAPIXELS } from './data/images/decode-node.js';
