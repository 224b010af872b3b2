// The MNIST-shaped conv2d layers every contender runs (3×3, padding 1, stride 1, batch 64).

/** @type {{ name: string, n: number, c: number, h: number, o: number }[]} */
export const CONV_LAYERS = [
  { name: '[64,1,28,28] 1→8', n: 64, c: 1, h: 28, o: 8 },
  { name: '[64,8,14,14] 8→16', n: 64, c: 8, h: 14, o: 16 },
];
