export { exportOnnx, exportOnnxAsync, ONNX_SUPPORTED_MODULES, type ExportOnnxOptions } from './export.js';
