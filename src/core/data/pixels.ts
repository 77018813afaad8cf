/**
 * Pixel plumbing shared by the data-set builder and the upload decoder: alpha compositing, centre
 * cropping, area-averaging resize and padding, all on plain byte arrays (no DOM, no tfjs).
 */

/** A decoded picture: width·height·4 bytes, RGBA, row-major, straight (not premultiplied) alpha. */
export interface RGBA {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}

/** RGB bytes of an RGBA picture laid over a white background: c' = a·c + (1 − a)·255. */
export function compositeOnWhite(img: RGBA): Uint8Array {
  const n = img.width * img.height;
  if (img.data.length < n * 4) throw new Error(`RGBA data has ${img.data.length} bytes, expected ${n * 4} for ${img.width}×${img.height}`);
  const out = new Uint8Array(n * 3);
  const d = img.data;
  for (let p = 0; p < n; p++) {
    const a = d[p * 4 + 3]!;
    for (let c = 0; c < 3; c++) {
      const v = d[p * 4 + c]!;
      // Integer form of a·v/255 + (255 − a), rounded.
      out[p * 3 + c] = a === 255 ? v : Math.round((a * v) / 255 + (255 - a));
    }
  }
  return out;
}

/** For each output index, the source indices it covers and their area weights (summing to 1). */
function areaWeights(from: number, to: number): { start: number; weights: Float64Array }[] {
  const scale = from / to;
  const out: { start: number; weights: Float64Array }[] = [];
  for (let i = 0; i < to; i++) {
    const a = i * scale;
    const b = (i + 1) * scale;
    const start = Math.floor(a);
    const end = Math.min(from, Math.ceil(b - 1e-9));
    const weights = new Float64Array(Math.max(1, end - start));
    for (let j = start; j < start + weights.length; j++) weights[j - start] = (Math.min(b, j + 1) - Math.max(a, j)) / scale;
    out.push({ start, weights });
  }
  return out;
}

/**
 * The largest centred square of an image (`channels` bytes per pixel), resized to `size`×`size` by
 * area averaging: each output pixel is the mean of the source area it covers, with fractional
 * weights at its edges (an exact box filter, so no aliasing when shrinking by any factor).
 */
export function centreCropResize(src: Uint8Array, width: number, height: number, channels: number, size: number): Uint8Array {
  const side = Math.min(width, height);
  if (side < 1) throw new Error(`cannot resize an empty ${width}×${height} image`);
  const x0 = Math.floor((width - side) / 2);
  const y0 = Math.floor((height - side) / 2);
  const w = areaWeights(side, size);
  // Horizontal pass over the crop's rows: side rows × size columns.
  const tmp = new Float64Array(side * size * channels);
  for (let y = 0; y < side; y++) {
    const row = ((y0 + y) * width + x0) * channels;
    for (let x = 0; x < size; x++) {
      const { start, weights } = w[x]!;
      for (let c = 0; c < channels; c++) {
        let s = 0;
        for (let k = 0; k < weights.length; k++) s += weights[k]! * src[row + (start + k) * channels + c]!;
        tmp[(y * size + x) * channels + c] = s;
      }
    }
  }
  const out = new Uint8Array(size * size * channels);
  for (let y = 0; y < size; y++) {
    const { start, weights } = w[y]!;
    for (let x = 0; x < size; x++)
      for (let c = 0; c < channels; c++) {
        let s = 0;
        for (let k = 0; k < weights.length; k++) s += weights[k]! * tmp[((start + k) * size + x) * channels + c]!;
        out[(y * size + x) * channels + c] = Math.min(255, Math.max(0, Math.round(s)));
      }
  }
  return out;
}

/** A `size`×`size` image centred on a `to`×`to` canvas filled with `value` (e.g. 28 → 32, black). */
export function padImage(src: Uint8Array, size: number, channels: number, to: number, value = 0): Uint8Array {
  if (to < size) throw new Error(`cannot pad a ${size}×${size} image to ${to}×${to}`);
  const out = new Uint8Array(to * to * channels).fill(value);
  const off = Math.floor((to - size) / 2);
  for (let y = 0; y < size; y++) out.set(src.subarray(y * size * channels, (y + 1) * size * channels), ((y + off) * to + off) * channels);
  return out;
}
