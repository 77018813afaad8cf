/**
 * Image file formats: recognising a file by its first bytes (never by its name), reading its pixel
 * size from the header before decoding anything, and decoding PNG (fast-png), JPEG (jpeg-js) and
 * the first frame of a GIF (omggif) to RGBA in pure JavaScript. WebP and other formats need a
 * platform decoder (the browser's createImageBitmap); see upload.ts.
 */
import { convertIndexedToRgb, decode as decodePngFile } from 'fast-png';
import jpeg from 'jpeg-js';
import omggif from 'omggif';
import type { RGBA } from './pixels';

/** Formats GrowLab decodes itself. */
export const BUILTIN_FORMATS = ['png', 'jpeg', 'gif'] as const;
/** Image formats a platform decoder may handle (WebP in every current browser). */
export const PLATFORM_FORMATS = ['webp', 'bmp', 'avif', 'heic', 'tiff', 'ico'] as const;

export type ImageFormat = (typeof BUILTIN_FORMATS)[number] | (typeof PLATFORM_FORMATS)[number];
/** Files that are recognisably not images. */
export type OtherKind = 'text' | 'pdf' | 'zip' | 'video' | 'unknown';

export const FORMAT_NAMES: Record<ImageFormat | OtherKind, string> = {
  png: 'PNG',
  jpeg: 'JPEG',
  gif: 'GIF',
  webp: 'WebP',
  bmp: 'BMP',
  avif: 'AVIF',
  heic: 'HEIC/HEIF',
  tiff: 'TIFF',
  ico: 'ICO',
  text: 'a text file',
  pdf: 'a PDF document',
  zip: 'a ZIP archive',
  video: 'a video (MP4/QuickTime)',
  unknown: 'an unknown format',
};

function ascii(bytes: Uint8Array, at: number, n: number): string {
  let s = '';
  for (let i = at; i < at + n && i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

function startsWith(bytes: Uint8Array, sig: number[], at = 0): boolean {
  if (bytes.length < at + sig.length) return false;
  return sig.every((b, i) => bytes[at + i] === b);
}

/** True when the first KiB looks like text: no NUL bytes and almost only printable characters. */
function looksLikeText(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 1024);
  if (n === 0) return false;
  let printable = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0) return false;
    if (b === 9 || b === 10 || b === 13 || (b >= 32 && b !== 127)) printable++;
  }
  return printable / n >= 0.95;
}

/** What a file is, judged by its magic bytes alone. */
export function sniffFormat(bytes: Uint8Array): ImageFormat | OtherKind {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return 'gif';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'webp';
  if (ascii(bytes, 0, 2) === 'BM' && bytes.length >= 26) return 'bmp';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (startsWith(bytes, [0x00, 0x00, 0x01, 0x00]) && bytes.length >= 22) return 'ico';
  if (ascii(bytes, 4, 4) === 'ftyp') {
    const brand = ascii(bytes, 8, 4);
    if (brand === 'avif' || brand === 'avis') return 'avif';
    if (['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1'].includes(brand)) return 'heic';
    return 'video';
  }
  if (ascii(bytes, 0, 5) === '%PDF-') return 'pdf';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return 'zip';
  if (looksLikeText(bytes)) return 'text';
  return 'unknown';
}

const u16be = (b: Uint8Array, i: number) => (b[i]! << 8) | b[i + 1]!;
const u16le = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8);
const u24le = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16);
const u32be = (b: Uint8Array, i: number) => ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;

/**
 * The pixel size a file declares in its header, read without decoding (so a decompression bomb is
 * refused before any memory is spent on it); null when the header is too short to say.
 */
export function headerDimensions(bytes: Uint8Array, format: ImageFormat): { width: number; height: number } | null {
  const n = bytes.length;
  switch (format) {
    case 'png':
      return n >= 24 && ascii(bytes, 12, 4) === 'IHDR' ? { width: u32be(bytes, 16), height: u32be(bytes, 20) } : null;
    case 'gif':
      return n >= 10 ? { width: u16le(bytes, 6), height: u16le(bytes, 8) } : null;
    case 'jpeg': {
      let i = 2;
      while (i + 9 <= n) {
        if (bytes[i] !== 0xff) return null;
        const m = bytes[i + 1]!;
        if (m === 0xff) {
          i++;
          continue;
        }
        if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) return { width: u16be(bytes, i + 7), height: u16be(bytes, i + 5) };
        if (m === 0xd8 || m === 0x01 || (m >= 0xd0 && m <= 0xd7)) {
          i += 2;
          continue;
        }
        i += 2 + u16be(bytes, i + 2);
      }
      return null;
    }
    case 'webp': {
      const chunk = ascii(bytes, 12, 4);
      if (chunk === 'VP8X' && n >= 30) return { width: 1 + u24le(bytes, 24), height: 1 + u24le(bytes, 27) };
      if (chunk === 'VP8L' && n >= 25)
        return { width: 1 + (bytes[21]! | ((bytes[22]! & 0x3f) << 8)), height: 1 + ((bytes[22]! >> 6) | (bytes[23]! << 2) | ((bytes[24]! & 0x0f) << 10)) };
      if (chunk === 'VP8 ' && n >= 30) return { width: u16le(bytes, 26) & 0x3fff, height: u16le(bytes, 28) & 0x3fff };
      return null;
    }
    default:
      return null;
  }
}

/** A PNG of any colour type and bit depth (palette, grey, grey+alpha, RGB, RGBA; 1–16 bits) as RGBA. */
export function decodePng(bytes: Uint8Array): RGBA {
  const png = decodePngFile(bytes, { checkCrc: true });
  const { width, height, depth, channels } = png;
  const n = width * height;
  const out = new Uint8Array(n * 4);
  if (png.palette) {
    const rgb = convertIndexedToRgb(png);
    const per = rgb.length / n;
    if (per !== 3 && per !== 4) throw new Error(`palette expands to ${rgb.length} bytes for ${width}×${height} pixels`);
    for (let p = 0; p < n; p++) {
      out[p * 4] = rgb[p * per]!;
      out[p * 4 + 1] = rgb[p * per + 1]!;
      out[p * 4 + 2] = rgb[p * per + 2]!;
      out[p * 4 + 3] = per === 4 ? rgb[p * per + 3]! : 255;
    }
    return { width, height, data: out };
  }
  const data = png.data;
  const max = (1 << depth) - 1;
  const rowBytes = Math.ceil((width * channels * depth) / 8);
  const want = depth < 8 ? rowBytes * height : n * channels;
  if (data.length < want) throw new Error(`image data is short: ${data.length} of ${want} samples`);
  // Raw sample k of row y (before scaling), whatever the bit depth.
  const sample = (y: number, k: number): number => {
    if (depth >= 8) return data[y * width * channels + k]!;
    const bit = k * depth;
    const byte = data[y * rowBytes + (bit >> 3)]!;
    return (byte >> (8 - depth - (bit & 7))) & max;
  };
  const scale = (v: number) => (depth === 16 ? v >> 8 : depth === 8 ? v : Math.round((v * 255) / max));
  const key = png.transparency; // tRNS for grey/RGB: the one colour that is fully transparent
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 4;
      const k = x * channels;
      if (channels <= 2) {
        const g = sample(y, k);
        out[p] = out[p + 1] = out[p + 2] = scale(g);
        out[p + 3] = channels === 2 ? scale(sample(y, k + 1)) : key && key.length >= 1 && key[0] === g ? 0 : 255;
      } else {
        const r = sample(y, k);
        const gr = sample(y, k + 1);
        const b = sample(y, k + 2);
        out[p] = scale(r);
        out[p + 1] = scale(gr);
        out[p + 2] = scale(b);
        out[p + 3] = channels === 4 ? scale(sample(y, k + 3)) : key && key.length >= 3 && key[0] === r && key[1] === gr && key[2] === b ? 0 : 255;
      }
    }
  return { width, height, data: out };
}

/**
 * True when the JPEG has an end-of-image marker (FF D9) after its first start-of-scan (FF DA).
 * Scan data never holds FF D9 (an FF there is stuffed as FF 00), and a thumbnail's marker sits in a
 * header segment before the scan, so a file cut short is caught even when decoders would fill the
 * missing rows with grey.
 */
function hasJpegEnd(bytes: Uint8Array): boolean {
  const n = bytes.length;
  let i = 2;
  while (i + 4 <= n) {
    if (bytes[i] !== 0xff) return false;
    const m = bytes[i + 1]!;
    if (m === 0xff) i++;
    else if (m === 0xd8 || m === 0x01 || (m >= 0xd0 && m <= 0xd7)) i += 2;
    else if (m === 0xda) break;
    else i += 2 + u16be(bytes, i + 2);
  }
  for (; i + 1 < n; i++) if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return true;
  return false;
}

/** A baseline or progressive JPEG as RGBA; refuses more than `maxPixels` before decoding. */
export function decodeJpeg(bytes: Uint8Array, maxPixels = 50e6): RGBA {
  if (!hasJpegEnd(bytes)) throw new Error('no end-of-image marker: the file was cut short');
  const img = jpeg.decode(bytes, {
    useTArray: true,
    formatAsRGBA: true,
    tolerantDecoding: false,
    maxResolutionInMP: maxPixels / 1e6,
    maxMemoryUsageInMB: 1024,
  });
  return { width: img.width, height: img.height, data: img.data };
}

/** The first frame of a GIF, composed on the GIF's full canvas (transparent where it does not draw). */
export function decodeGif(bytes: Uint8Array): RGBA {
  const reader = new omggif.GifReader(bytes);
  if (reader.numFrames() < 1) throw new Error('the GIF has no frames');
  const data = new Uint8Array(reader.width * reader.height * 4);
  reader.decodeAndBlitFrameRGBA(0, data);
  return { width: reader.width, height: reader.height, data };
}

/** Decodes a file in one of the built-in formats. */
export function decodeBuiltin(bytes: Uint8Array, format: (typeof BUILTIN_FORMATS)[number], maxPixels?: number): RGBA {
  if (format === 'png') return decodePng(bytes);
  if (format === 'jpeg') return decodeJpeg(bytes, maxPixels);
  return decodeGif(bytes);
}
