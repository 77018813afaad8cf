// Types for omggif 1.0 (a CommonJS GIF reader/writer that ships none): the API GrowLab uses (the reader; the writer in tests).
declare module 'omggif' {
  export interface GifFrameInfo {
    x: number;
    y: number;
    width: number;
    height: number;
    has_local_palette: boolean;
    palette_offset: number | null;
    palette_size: number | null;
    data_offset: number;
    data_length: number;
    transparent_index: number | null;
    interlaced: boolean;
    delay: number;
    disposal: number;
  }
  export class GifReader {
    constructor(buf: Uint8Array);
    width: number;
    height: number;
    numFrames(): number;
    loopCount(): number | null;
    frameInfo(frameNum: number): GifFrameInfo;
    decodeAndBlitFrameRGBA(frameNum: number, pixels: Uint8Array | Uint8ClampedArray): void;
  }
  /** Palettes are arrays of 0xRRGGBB numbers, 2–256 entries, a power of two long. */
  export class GifWriter {
    constructor(buf: Uint8Array, width: number, height: number, gopts?: { palette?: number[]; loop?: number; background?: number });
    addFrame(
      x: number,
      y: number,
      w: number,
      h: number,
      indexedPixels: ArrayLike<number>,
      opts?: { palette?: number[]; delay?: number; transparent?: number; disposal?: number },
    ): number;
    end(): number;
  }
  const omggif: { GifReader: typeof GifReader; GifWriter: typeof GifWriter };
  export default omggif;
}
