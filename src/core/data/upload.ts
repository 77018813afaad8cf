/**
 * User uploads → an ImageSet. Each file is recognised by its content (magic bytes), checked against
 * size limits before it is decoded, decoded (PNG, JPEG, GIF first frame here; WebP and friends by the
 * platform decoder the caller passes in), alpha-composited on white, centre-cropped to a square and
 * resized by area averaging to the chosen power-of-two size. Every bad file gets its own message;
 * the good ones are kept. File names are user input: they are only ever carried as display strings
 * (control and bidi-override characters shown as escapes), never parsed or interpreted.
 */
import {
  BUILTIN_FORMATS,
  FORMAT_NAMES,
  PLATFORM_FORMATS,
  decodeBuiltin,
  headerDimensions,
  sniffFormat,
  type ImageFormat,
} from './decode';
import { displayName } from './displayName';
import type { ImageSet } from './imageSet';
import { centreCropResize, compositeOnWhite, type RGBA } from './pixels';

export interface UploadFile {
  name: string;
  bytes: Uint8Array;
}

export interface UploadOptions {
  /** Side of the square images of the set: a power of two from 4 to 1024. */
  size: number;
  /** Fewer usable images than this → no set (default 16, one minibatch). */
  minImages?: number;
  /** Largest accepted file, in bytes (default 20 MB). */
  maxBytes?: number;
  /** Largest accepted image, in pixels (default 50 megapixels). */
  maxPixels?: number;
  /** Smallest accepted shorter side, in pixels (default `size`: images are never upscaled unless this is lowered). */
  minSide?: number;
  /** Name of the resulting set (default 'uploads'). */
  name?: string;
  /**
   * A platform decoder for formats GrowLab cannot decode itself (WebP above all; in the browser one
   * built on createImageBitmap). Resolve null, or throw, when it cannot read the file.
   */
  decodeOther?: (bytes: Uint8Array, name: string) => Promise<RGBA | null>;
  /** Called after each file with (files done, total). */
  onProgress?: (done: number, total: number) => void;
}

export interface UploadProblem {
  /** The file's name, made safe to display; '' for problems of the upload as a whole. */
  file: string;
  /** Position of the file in the input list (−1 for the upload as a whole). */
  index: number;
  message: string;
}

export interface UploadResult {
  set: ImageSet | null;
  problems: UploadProblem[];
  /** Display names of the files that made it into the set, in set order. */
  used: string[];
}

export const UPLOAD_DEFAULTS = { minImages: 16, maxBytes: 20 * 1024 * 1024, maxPixels: 50_000_000 } as const;

const SUPPORTED = 'PNG, JPEG, GIF or WebP';

export { displayName };

function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  const mb = n / (1024 * 1024);
  return `${mb.toFixed(mb < 10 ? 1 : 0)} MB`;
}

function megapixels(n: number): string {
  const mp = n / 1e6;
  return `${mp >= 10 ? mp.toFixed(0) : mp >= 0.1 ? mp.toFixed(1) : mp.toPrecision(1)} megapixels`;
}

/** Shortens a decoder's own error text (library messages, never user input) for a parenthesis. */
function reason(e: unknown): string {
  let text = e instanceof Error ? e.message : String(e);
  const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : '';
  if (cause) text = `${text.replace(/[:\s]+$/, '')}: ${cause}`;
  const line = text.split('\n')[0]!.trim();
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
}

function checkOptions(o: UploadOptions): Required<Pick<UploadOptions, 'minImages' | 'maxBytes' | 'maxPixels' | 'minSide'>> {
  const { size } = o;
  if (!Number.isInteger(size) || size < 4 || size > 1024 || (size & (size - 1)) !== 0)
    throw new RangeError(`decodeUploads: size must be a power of two from 4 to 1024, got ${String(size)}`);
  const minImages = o.minImages ?? UPLOAD_DEFAULTS.minImages;
  const maxBytes = o.maxBytes ?? UPLOAD_DEFAULTS.maxBytes;
  const maxPixels = o.maxPixels ?? UPLOAD_DEFAULTS.maxPixels;
  const minSide = o.minSide ?? size;
  for (const [k, v] of Object.entries({ minImages, maxBytes, maxPixels, minSide }))
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`decodeUploads: ${k} must be a positive integer, got ${String(v)}`);
  return { minImages, maxBytes, maxPixels, minSide };
}

const isBuiltin = (f: string): f is (typeof BUILTIN_FORMATS)[number] => (BUILTIN_FORMATS as readonly string[]).includes(f);
const isPlatform = (f: string): f is (typeof PLATFORM_FORMATS)[number] => (PLATFORM_FORMATS as readonly string[]).includes(f);

/** One file → RGB bytes at size×size, or the message saying why not. */
async function decodeOne(
  file: UploadFile,
  o: UploadOptions,
  limits: ReturnType<typeof checkOptions>,
): Promise<{ rgb: Uint8Array } | { message: string }> {
  const bytes = file.bytes;
  if (!(bytes instanceof Uint8Array)) return { message: 'could not be read (no file contents were given)' };
  if (bytes.length === 0) return { message: 'empty file (0 bytes)' };
  if (bytes.length > limits.maxBytes)
    return { message: `too large: ${formatBytes(bytes.length)}; the limit is ${formatBytes(limits.maxBytes)} per file` };
  const format = sniffFormat(bytes);
  if (format === 'text') return { message: `not an image: the file holds text (${SUPPORTED} expected, whatever its name says)` };
  if (format === 'unknown')
    return { message: `not an image GrowLab can read: its first bytes match no known image format (${SUPPORTED} expected)` };
  if (format === 'pdf' || format === 'zip' || format === 'video')
    return { message: `unsupported format: the file is ${FORMAT_NAMES[format]}, not an image (${SUPPORTED} expected)` };
  const fmt: ImageFormat = format;
  const name = FORMAT_NAMES[fmt];
  const declared = headerDimensions(bytes, fmt);
  if (declared && declared.width * declared.height > limits.maxPixels)
    return { message: `too large: ${declared.width}×${declared.height} pixels (${megapixels(declared.width * declared.height)}); the limit is ${megapixels(limits.maxPixels)}` };
  let img: RGBA | null;
  if (isBuiltin(fmt)) {
    try {
      img = decodeBuiltin(bytes, fmt, limits.maxPixels);
    } catch (e) {
      return { message: `unreadable: the ${name} data is corrupt or truncated (${reason(e)})` };
    }
  } else if (isPlatform(fmt)) {
    if (!o.decodeOther)
      return {
        message:
          fmt === 'webp'
            ? `WebP images need the platform's image decoder (the browser's), which is not available here; convert the file to PNG or JPEG`
            : `unsupported format: ${name} (${SUPPORTED} expected)`,
      };
    try {
      img = await o.decodeOther(bytes, file.name);
    } catch (e) {
      return { message: `unreadable: the platform's image decoder could not read this ${name} file (${reason(e)})` };
    }
    if (!img) return { message: `unreadable: the platform's image decoder could not read this ${name} file` };
  } else {
    return { message: `unsupported format: ${name}` };
  }
  const { width, height } = img;
  if (!(width >= 1 && height >= 1) || img.data.length < width * height * 4) return { message: `unreadable: the ${name} decoder returned no pixels` };
  if (width * height > limits.maxPixels)
    return { message: `too large: ${width}×${height} pixels (${megapixels(width * height)}); the limit is ${megapixels(limits.maxPixels)}` };
  const side = Math.min(width, height);
  if (side < limits.minSide)
    return {
      message: `too small: ${width}×${height} pixels; images need at least ${limits.minSide} pixels on their shorter side${limits.minSide === o.size ? ` (the chosen size, ${o.size}×${o.size})` : ''}`,
    };
  return { rgb: centreCropResize(compositeOnWhite(img), width, height, 3, o.size) };
}

/**
 * Decodes uploaded files into one RGB ImageSet of `size`×`size` images, in input order. Throws only
 * for bad options (a size that is not a power of two); every problem with a file is reported in
 * `problems` and the file skipped. With fewer than `minImages` usable images, `set` is null and the
 * last problem says how many were usable and how many are needed.
 */
export async function decodeUploads(files: UploadFile[], o: UploadOptions): Promise<UploadResult> {
  const limits = checkOptions(o);
  const problems: UploadProblem[] = [];
  const images: Uint8Array[] = [];
  const used: string[] = [];
  for (let index = 0; index < files.length; index++) {
    const file = files[index]!;
    const shown = displayName(file.name);
    let r: { rgb: Uint8Array } | { message: string };
    try {
      r = await decodeOne(file, o, limits);
    } catch (e) {
      r = { message: `unreadable (${reason(e)})` };
    }
    if ('rgb' in r) {
      images.push(r.rgb);
      used.push(shown);
    } else problems.push({ file: shown, index, message: r.message });
    o.onProgress?.(index + 1, files.length);
  }
  if (images.length < limits.minImages) {
    const of = files.length === 1 ? 'the 1 file' : `the ${files.length} files`;
    problems.push({
      file: '',
      index: -1,
      message: `too few images: ${images.length} of ${of} ${images.length === 1 ? 'is' : 'are'} usable, and at least ${limits.minImages} are needed`,
    });
    return { set: null, problems, used };
  }
  const per = o.size * o.size * 3;
  const pixels = new Uint8Array(images.length * per);
  images.forEach((img, i) => pixels.set(img, i * per));
  return { set: { name: o.name ?? 'uploads', count: images.length, size: o.size, channels: 3, pixels }, problems, used };
}
