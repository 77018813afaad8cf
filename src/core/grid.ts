/**
 * A sample grid: images in [−1, 1] (NHWC, 1 or 3 channels) laid out as one RGBA picture, with a
 * 1-pixel gutter, for PNG files and canvases alike.
 */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

export function imagesToGrid(
  values: Float32Array,
  count: number,
  size: number,
  channels: number,
  columns = Math.ceil(Math.sqrt(count)),
  scale = 1,
): RgbaImage {
  const rows = Math.ceil(count / columns);
  const cell = size * scale + 1;
  const width = columns * cell + 1;
  const height = rows * cell + 1;
  const data = new Uint8ClampedArray(width * height * 4).fill(255);
  const toByte = (v: number) => Math.round((Math.max(-1, Math.min(1, v)) + 1) * 127.5);
  for (let i = 0; i < count; i++) {
    const ox = (i % columns) * cell + 1;
    const oy = Math.floor(i / columns) * cell + 1;
    for (let y = 0; y < size * scale; y++)
      for (let x = 0; x < size * scale; x++) {
        const src = ((i * size + Math.floor(y / scale)) * size + Math.floor(x / scale)) * channels;
        const dst = ((oy + y) * width + ox + x) * 4;
        for (let c = 0; c < 3; c++) data[dst + c] = toByte(values[src + (channels === 1 ? 0 : c)]!);
        data[dst + 3] = 255;
      }
  }
  return { width, height, data };
}

/** Nearest-neighbour upscaling of NHWC images by an integer factor (for grids of mixed resolutions). */
export function upscaleNearest(values: Float32Array, count: number, size: number, channels: number, factor: number): Float32Array {
  if (factor === 1) return values;
  const big = size * factor;
  const out = new Float32Array(count * big * big * channels);
  for (let i = 0; i < count; i++)
    for (let y = 0; y < big; y++)
      for (let x = 0; x < big; x++) {
        const src = ((i * size + Math.floor(y / factor)) * size + Math.floor(x / factor)) * channels;
        out.set(values.subarray(src, src + channels), ((i * big + y) * big + x) * channels);
      }
  return out;
}

/** The parts one after another in a new array of the same kind. */
export function concatArrays<T extends Float32Array | Uint8Array>(parts: T[], make: (n: number) => T): T {
  const out = make(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
