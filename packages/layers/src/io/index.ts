/**
 * Saving and loading: the safetensors format, ScratchNet's model artifact, and where files live
 * (Node paths, IndexedDB, downloads).
 */
export { FileFormatError } from './errors.js';
export type { FileErrorCode } from './errors.js';
export { crc32, crc32Hex } from './crc32.js';
export { gunzip, isGzip } from './gzip.js';
export type { GunzipMethod } from './gzip.js';
export { encodeSafetensors, decodeSafetensors, isSafetensorsDType, safetensorsDTypeBytes, MAX_HEADER_BYTES } from './safetensors.js';
export type { SafetensorsDType, SafetensorsArray, SafetensorsTensor, SafetensorsFile, DecodeOptions } from './safetensors.js';
export {
  serializeModel,
  deserializeModel,
  deserializeWeightsInto,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  OPTIMIZER_PREFIX,
} from './model.js';
export type { ModelMetadata, OptimizerStateLike, SerializeModelOptions, DeserializeModelOptions, LoadedModel } from './model.js';
export { saveModel, loadModel, loadWeights } from './storage.js';
export type { ModelSource } from './storage.js';
export { IDB_DATABASE, IDB_STORE } from './browser.js';
export type { StoredModelRecord } from './browser.js';
