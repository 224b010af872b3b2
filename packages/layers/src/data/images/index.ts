/** Image data sets: decoding-independent parts (safe for browsers) and the browser decoder. */
export { toChannels, rasterToPlanar, type Raster, type ImageChannels } from './raster.js';
export { fitToSquare, sampleBilinear, FIT_MODES, type FitMode, type FittedRaster, type SampledImage } from './resize.js';
export {
  compose, randomShift, randomCrop, randomFlip, randomRotation, colorJitter, normalize, transformImages,
  type ImageTransform, type PlanarImage,
} from './transforms.js';
export {
  buildImageFolder, splitImageFolder, selectImages, imageFolderDataset, imagePreprocessing, preprocessImage, imageBytesToFloats,
  isImageFileName, IMAGE_EXTENSIONS,
  type ImageFileEntry, type ImageFolderData, type ImageFolderOptions, type ImagePreprocessing, type SkippedFile,
} from './folder.js';
export { decodeImageBlob, loadImageFiles } from './decode-browser.js';
