/**
 * The binary digits of 2/π that sin / cos need to reduce huge arguments exactly (Payne–Hanek):
 * computed here once with BigInt from Machin's formula, π = 16·atan(1/5) − 4·atan(1/239), rather
 * than pasted in as a table of magic numbers.
 */

/** atan(1/k) · 2^bits, truncated (alternating Taylor series; the error is a few units in the last place). */
function atanInverseScaled(k: bigint, bits: bigint): bigint {
  const one = 1n << bits;
  const k2 = k * k;
  let power = one / k; // 2^bits / k^(2n+1)
  let sum = 0n;
  for (let n = 0n; power !== 0n; n++) {
    const term = power / (2n * n + 1n);
    sum = n % 2n === 0n ? sum + term : sum - term;
    power /= k2;
  }
  return sum;
}

/**
 * The first `words` 32-bit words of 2/π's fraction bits, most significant first:
 * word j holds bits 32·j + 1 … 32·j + 32 after the binary point.
 */
export function twoOverPiWords(words: number): number[] {
  const bits = BigInt(32 * words);
  const guard = 64n;
  const scale = bits + guard;
  const piScaled = 16n * atanInverseScaled(5n, scale) - 4n * atanInverseScaled(239n, scale); // π · 2^scale
  const value = (2n << (scale + bits)) / piScaled; // ⌊2/π · 2^bits⌋
  const out: number[] = [];
  for (let j = words - 1; j >= 0; j--) out.push(Number((value >> BigInt(32 * j)) & 0xffffffffn));
  return out;
}
