import { describe, expect, it } from 'vitest';
import { encodeNpy, parseNpy } from '../../src/cli/npy';

describe('.npy files', () => {
  it('round-trips uint8 images and float32 features with NumPy-compatible headers', () => {
    const img = Uint8Array.from({ length: 2 * 4 * 4 * 3 }, (_, i) => i % 256);
    const bytes = encodeNpy(img, [2, 4, 4, 3]);
    expect((10 + (bytes[8]! | (bytes[9]! << 8))) % 64).toBe(0); // header padded to 64 bytes, as NumPy does
    expect(parseNpy(bytes)).toEqual({ dtype: 'uint8', shape: [2, 4, 4, 3], data: img });
    const f = Float32Array.from([1.5, -2, 3.25]);
    expect(parseNpy(encodeNpy(f, [3]))).toEqual({ dtype: 'float32', shape: [3], data: f });
  });

  it('names what is wrong with a bad file', () => {
    expect(() => parseNpy(new TextEncoder().encode('hello world'), 'a.npy')).toThrow(/a.npy is not a .npy file/);
    const good = encodeNpy(new Uint8Array(48), [1, 4, 4, 3]);
    expect(() => parseNpy(good.subarray(0, good.length - 5), 'b.npy')).toThrow(/b.npy is truncated/);
    const i64 = good.slice();
    const at = String.fromCharCode(...i64.subarray(0, 80)).indexOf('|u1');
    i64.set(new TextEncoder().encode('<i8'), at);
    expect(() => parseNpy(i64, 'c.npy')).toThrow(/dtype <i8 is not supported/);
  });
});
