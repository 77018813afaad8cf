import { encode as encodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import omggif from 'omggif';
import { describe, expect, it } from 'vitest';
import { decodePng, headerDimensions, sniffFormat } from '../../src/core/data/decode';
import { centreCropResize, compositeOnWhite } from '../../src/core/data/pixels';
import { decodeUploads, displayName, type UploadFile } from '../../src/core/data/upload';
import { Rng } from '../../src/core/rng';

/** A w×h RGBA picture of one colour. */
function solid(w: number, h: number, rgba: [number, number, number, number]): Uint8Array {
  const d = new Uint8Array(w * h * 4);
  for (let p = 0; p < w * h; p++) d.set(rgba, p * 4);
  return d;
}

const png = (w: number, h: number, rgba: [number, number, number, number]) => encodePng({ width: w, height: h, channels: 4, depth: 8, data: solid(w, h, rgba) });

function jpg(w: number, h: number, rgb: [number, number, number]): Uint8Array {
  const out = jpeg.encode({ width: w, height: h, data: solid(w, h, [...rgb, 255]) }, 95).data;
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

function gif(w: number, h: number, colour: number): Uint8Array {
  const buf = new Uint8Array(1024 + w * h * 2);
  const writer = new omggif.GifWriter(buf, w, h, { palette: [colour, 0x000000] });
  writer.addFrame(0, 0, w, h, new Array<number>(w * h).fill(0));
  return buf.slice(0, writer.end());
}

/** The header of a lossless WebP of w×h (no real image data: only a platform decoder could read it). */
function webp(w: number, h: number): Uint8Array {
  const b = new Uint8Array(40);
  b.set([...'RIFF'].map((c) => c.charCodeAt(0)), 0);
  b.set([...'WEBPVP8L'].map((c) => c.charCodeAt(0)), 8);
  b[20] = 0x2f;
  const bits = (w - 1) | ((h - 1) << 14);
  b[21] = bits & 0xff;
  b[22] = (bits >> 8) & 0xff;
  b[23] = (bits >> 16) & 0xff;
  b[24] = (bits >> 24) & 0xff;
  return b;
}

const text = (s: string) => new TextEncoder().encode(s);
const pixel = (set: { pixels: Uint8Array; size: number }, i: number) => Array.from(set.pixels.subarray(i * set.size * set.size * 3, i * set.size * set.size * 3 + 3));

describe('pixels', () => {
  it('composites alpha on white', () => {
    const rgb = compositeOnWhite({ width: 3, height: 1, data: new Uint8Array([10, 20, 30, 255, 10, 20, 30, 0, 0, 100, 200, 51]) });
    expect(Array.from(rgb)).toEqual([10, 20, 30, 255, 255, 255, 204, 224, 244]);
  });

  it('centre-crops to a square and resizes by exact area averaging', () => {
    // 3×3 → 2×2: each output covers 1.5×1.5 source pixels (weights 2/3 and 1/3 per axis).
    const src = new Uint8Array([0, 90, 180, 90, 180, 0, 180, 0, 90]);
    const out = centreCropResize(src, 3, 3, 1, 2);
    const w = [2 / 3, 1 / 3];
    const expected00 = w[0]! * (w[0]! * 0 + w[1]! * 90) + w[1]! * (w[0]! * 90 + w[1]! * 180);
    expect(out[0]).toBe(Math.round(expected00));
    // 6×4: the centred 4×4 (columns 1–4) is kept; halving averages 2×2 blocks.
    const wide = new Uint8Array(24).map((_, i) => (i % 6 === 0 || i % 6 === 5 ? 255 : 8 * (i % 6)));
    expect(Array.from(centreCropResize(wide, 6, 4, 1, 2))).toEqual([12, 28, 12, 28]);
    // Upscaling 1×1 fills the square.
    expect(Array.from(centreCropResize(new Uint8Array([7, 8, 9]), 1, 1, 3, 2))).toEqual([7, 8, 9, 7, 8, 9, 7, 8, 9, 7, 8, 9]);
  });

  it('decodes PNGs of every colour type and depth to RGBA', () => {
    const grey16 = decodePng(encodePng({ width: 2, height: 1, channels: 1, depth: 16, data: new Uint16Array([0, 65535]) }));
    expect(Array.from(grey16.data)).toEqual([0, 0, 0, 255, 255, 255, 255, 255]);
    const greyAlpha = decodePng(encodePng({ width: 1, height: 1, channels: 2, depth: 8, data: new Uint8Array([100, 50]) }));
    expect(Array.from(greyAlpha.data)).toEqual([100, 100, 100, 50]);
    const bits = decodePng(encodePng({ width: 3, height: 1, channels: 1, depth: 1, data: new Uint8Array([0b10100000]) }));
    expect(Array.from(bits.data)).toEqual([255, 255, 255, 255, 0, 0, 0, 255, 255, 255, 255, 255]);
    const palette = decodePng(encodePng({ width: 2, height: 1, channels: 1, depth: 8, data: new Uint8Array([1, 0]), palette: [[1, 2, 3], [200, 100, 50]] }));
    expect(Array.from(palette.data)).toEqual([200, 100, 50, 255, 1, 2, 3, 255]);
    const rgb = decodePng(encodePng({ width: 1, height: 1, channels: 3, depth: 8, data: new Uint8Array([9, 8, 7]) }));
    expect(Array.from(rgb.data)).toEqual([9, 8, 7, 255]);
  });

  it('recognises formats by their bytes and reads sizes from headers', () => {
    expect(sniffFormat(png(3, 2, [0, 0, 0, 255]))).toBe('png');
    expect(sniffFormat(jpg(8, 8, [0, 0, 0]))).toBe('jpeg');
    expect(sniffFormat(gif(2, 2, 0xff0000))).toBe('gif');
    expect(sniffFormat(webp(5, 7))).toBe('webp');
    expect(sniffFormat(text('hello, world'))).toBe('text');
    expect(headerDimensions(png(3, 2, [0, 0, 0, 255]), 'png')).toEqual({ width: 3, height: 2 });
    expect(headerDimensions(jpg(24, 16, [0, 0, 0]), 'jpeg')).toEqual({ width: 24, height: 16 });
    expect(headerDimensions(gif(5, 3, 0), 'gif')).toEqual({ width: 5, height: 3 });
    expect(headerDimensions(webp(300, 200), 'webp')).toEqual({ width: 300, height: 200 });
  });
});

describe('decodeUploads', () => {
  const red = png(40, 30, [255, 0, 0, 255]);

  it('keeps every good file (PNG, JPEG, GIF, WebP via the platform decoder) in order', async () => {
    const files: UploadFile[] = [
      { name: 'red.png', bytes: red },
      { name: 'see-through.png', bytes: png(16, 16, [0, 0, 0, 0]) },
      { name: 'green.jpg', bytes: jpg(16, 16, [0, 200, 0]) },
      { name: 'blue.gif', bytes: gif(16, 16, 0x0000ff) },
      { name: 'grey.webp', bytes: webp(16, 16) },
      { name: 'no-extension', bytes: jpg(16, 16, [0, 0, 0]) },
    ];
    const decodeOther = async (bytes: Uint8Array) => (sniffFormat(bytes) === 'webp' ? { width: 16, height: 16, data: solid(16, 16, [128, 128, 128, 255]) } : null);
    const { set, problems, used } = await decodeUploads(files, { size: 8, minImages: 6, decodeOther });
    expect(problems).toEqual([]);
    expect(used).toEqual(files.map((f) => f.name));
    expect(set).toMatchObject({ name: 'uploads', count: 6, size: 8, channels: 3 });
    expect(set!.pixels).toHaveLength(6 * 8 * 8 * 3);
    expect(pixel(set!, 0)).toEqual([255, 0, 0]);
    expect(pixel(set!, 1)).toEqual([255, 255, 255]); // transparent → white
    const green = pixel(set!, 2);
    expect(Math.abs(green[0]! - 0) + Math.abs(green[1]! - 200) + Math.abs(green[2]! - 0)).toBeLessThan(12);
    expect(pixel(set!, 3)).toEqual([0, 0, 255]);
    expect(pixel(set!, 4)).toEqual([128, 128, 128]);
  });

  it('gives each bad file its own message and keeps the good ones', async () => {
    const rng = new Rng(3);
    const random = new Uint8Array(2000).map(() => rng.int(256));
    const huge = png(2, 2, [0, 0, 0, 255]);
    huge.set([0x00, 0x01, 0x86, 0xa0, 0x00, 0x01, 0x86, 0xa0], 16); // IHDR claims 100000×100000
    const goodJpeg = jpg(32, 32, [10, 20, 30]);
    const bad: [string, Uint8Array, RegExp][] = [
      ['truncated.png', red.subarray(0, red.length - 20), /^unreadable: the PNG data is corrupt or truncated \(/],
      ['corrupt.png', red.map((b, i) => (i > 40 && i < 60 ? b ^ 0x55 : b)), /^unreadable: the PNG data is corrupt or truncated \(Error while decompressing the data: .+\)$/],
      ['random.png', random, /^not an image GrowLab can read: its first bytes match no known image format \(PNG, JPEG, GIF or WebP expected\)/],
      ['empty.png', new Uint8Array(0), /^empty file \(0 bytes\)$/],
      ['notes.png', text('these are my holiday notes, not a picture\n'), /^not an image: the file holds text \(PNG, JPEG, GIF or WebP expected, whatever its name says\)$/],
      ['big.png', new Uint8Array(6000).fill(0x89), /^too large: 5.9 KB; the limit is 4.9 KB per file$/],
      ['bomb.png', huge, /^too large: 100000×100000 pixels \(10000 megapixels\); the limit is 50 megapixels$/],
      ['dot.png', png(1, 1, [0, 0, 0, 255]), /^too small: 1×1 pixels; images need at least 8 pixels on their shorter side \(the chosen size, 8×8\)$/],
      ['photo.webp', webp(64, 64), /^WebP images need the platform's image decoder \(the browser's\), which is not available here; convert the file to PNG or JPEG$/],
      ['cut.jpg', goodJpeg.subarray(0, goodJpeg.length - 30), /^unreadable: the JPEG data is corrupt or truncated \(no end-of-image marker: the file was cut short\)$/],
      ['cut.gif', gif(16, 16, 0xff0000).subarray(0, 14), /^unreadable: the GIF data is corrupt or truncated/],
      ['paper.pdf', text('%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj'), /^unsupported format: the file is a PDF document, not an image/],
      ['old.bmp', new Uint8Array(64).fill(0).map((v, i) => (i === 0 ? 0x42 : i === 1 ? 0x4d : v)), /^unsupported format: BMP \(PNG, JPEG, GIF or WebP expected\)$/],
    ];
    const good: UploadFile[] = [
      { name: 'a.png', bytes: red },
      { name: 'b.jpg', bytes: goodJpeg },
      { name: 'c.gif', bytes: gif(8, 8, 0x00ff00) },
    ];
    const files = [good[0]!, ...bad.slice(0, 7).map(([name, bytes]) => ({ name, bytes })), good[1]!, ...bad.slice(7).map(([name, bytes]) => ({ name, bytes })), good[2]!];
    const { set, problems, used } = await decodeUploads(files, { size: 8, minImages: 3, maxBytes: 5000 });
    expect(used).toEqual(['a.png', 'b.jpg', 'c.gif']);
    expect(set!.count).toBe(3);
    expect(problems.map((p) => p.file)).toEqual(bad.map(([name]) => name));
    for (const [name, , message] of bad) expect(problems.find((p) => p.file === name)!.message, name).toMatch(message);
    expect(problems.map((p) => files[p.index]!.name)).toEqual(bad.map(([name]) => name));
  });

  it('tells the platform decoder apart from a missing one', async () => {
    const files = [{ name: 'x.webp', bytes: webp(16, 16) }, { name: 'y.webp', bytes: webp(16, 16) }];
    const nope = await decodeUploads(files, { size: 8, minImages: 1, decodeOther: async () => null });
    expect(nope.problems[0]!.message).toBe("unreadable: the platform's image decoder could not read this WebP file");
    const throws = await decodeUploads(files, { size: 8, minImages: 1, decodeOther: async () => Promise.reject(new Error('EncodingError: bad')) });
    expect(throws.problems[0]!.message).toBe("unreadable: the platform's image decoder could not read this WebP file (EncodingError: bad)");
  });

  it('returns no set when too few images are usable, and says how many', async () => {
    const files = [
      { name: 'a.png', bytes: red },
      { name: 'b.png', bytes: new Uint8Array(0) },
      { name: 'c.png', bytes: red },
    ];
    const { set, problems } = await decodeUploads(files, { size: 8 });
    expect(set).toBeNull();
    expect(problems.at(-1)).toEqual({ file: '', index: -1, message: 'too few images: 2 of the 3 files are usable, and at least 16 are needed' });
    const one = await decodeUploads([files[0]!], { size: 8, minImages: 2 });
    expect(one.problems.at(-1)!.message).toBe('too few images: 1 of the 1 file is usable, and at least 2 are needed');
  });

  it('refuses sizes that are not powers of two', async () => {
    await expect(decodeUploads([{ name: 'a.png', bytes: red }], { size: 24 })).rejects.toThrow(/size must be a power of two from 4 to 1024, got 24/);
    await expect(decodeUploads([{ name: 'a.png', bytes: red }], { size: 8, minImages: 0 })).rejects.toThrow(/minImages must be a positive integer/);
  });

  it('shows file names as inert strings', async () => {
    const names = ['<img src=x onerror=alert(1)>.png', 'evil\u202Egnp.exe', 'line\nbreak\u0000.png', '${process.exit()}%s%n.png', '', 'x'.repeat(500)];
    const { problems } = await decodeUploads(
      names.map((name) => ({ name, bytes: new Uint8Array(0) })),
      { size: 8, minImages: 1 },
    );
    expect(problems.slice(0, names.length).map((p) => p.file)).toEqual([
      '<img src=x onerror=alert(1)>.png',
      'evil\\u{202e}gnp.exe',
      'line\\u{a}break\\u{0}.png',
      '${process.exit()}%s%n.png',
      '(unnamed file)',
      `${'x'.repeat(80)}…${'x'.repeat(39)}`,
    ]);
    for (const p of problems) expect(p.message).not.toContain('onerror');
    expect(displayName('ok.png')).toBe('ok.png');
  });
});
