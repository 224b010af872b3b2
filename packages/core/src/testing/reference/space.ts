import { fromFn, unravel, type NDArray } from './ndarray.js';

/** ONNX DepthToSpace on NCHW from its per-element definition: out[n, c, h·b + i, w·b + j] = x[n, channel(c, i, j), h, w]. */
export function refDepthToSpace(x: NDArray, b: number, mode: 'DCR' | 'CRD'): NDArray {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const cOut = c / (b * b);
  const shape = [n, cOut, h * b, w * b];
  return fromFn(shape, x.dtype, (flat) => {
    const [nn, cc, hh, ww] = unravel(flat, shape) as [number, number, number, number];
    const i = hh % b;
    const j = ww % b;
    const ch = mode === 'DCR' ? (i * b + j) * cOut + cc : cc * b * b + i * b + j;
    return x.data[((nn * c + ch) * h + Math.floor(hh / b)) * w + Math.floor(ww / b)]!;
  });
}

/** The inverse of {@link refDepthToSpace}: out[n, channel(c, i, j), h, w] = x[n, c, h·b + i, w·b + j]. */
export function refSpaceToDepth(x: NDArray, b: number, mode: 'DCR' | 'CRD'): NDArray {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const shape = [n, c * b * b, h / b, w / b];
  return fromFn(shape, x.dtype, (flat) => {
    const [nn, ch, hh, ww] = unravel(flat, shape) as [number, number, number, number];
    const [cc, i, j] = mode === 'DCR' ? [ch % c, Math.floor(ch / c / b), Math.floor(ch / c) % b] : [Math.floor(ch / (b * b)), Math.floor(ch / b) % b, ch % b];
    return x.data[((nn * c + cc) * h + hh * b + i) * w + ww * b + j]!;
  });
}
