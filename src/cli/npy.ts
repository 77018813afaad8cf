/**
 * NumPy .npy files (format 1.0), enough for GrowLab's image and feature arrays: read uint8 and
 * float32/float64 C-order arrays; write uint8 and float32. A wrong or unsupported file gets a
 * message saying what was found.
 */
export interface NpyArray {
  dtype: 'uint8' | 'float32' | 'float64';
  shape: number[];
  data: Uint8Array | Float32Array | Float64Array;
}

const MAGIC = '\x93NUMPY';
const DTYPES: Record<string, NpyArray['dtype']> = { '|u1': 'uint8', '<u1': 'uint8', '<f4': 'float32', '<f8': 'float64' };

export function parseNpy(bytes: Uint8Array, what = 'file'): NpyArray {
  const text = (a: number, b: number) => String.fromCharCode(...bytes.subarray(a, b));
  if (bytes.length < 10 || text(0, 6) !== MAGIC) throw new Error(`${what} is not a .npy file`);
  const major = bytes[6]!;
  const headerLen = major === 1 ? bytes[8]! | (bytes[9]! << 8) : new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = text(start, start + headerLen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new Error(`${what}: unreadable .npy header`);
  const dtype = DTYPES[descr];
  if (!dtype) throw new Error(`${what}: dtype ${descr} is not supported (use uint8 or float32)`);
  if (fortran === 'True') throw new Error(`${what}: Fortran-order arrays are not supported`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const offset = start + headerLen;
  const width = dtype === 'uint8' ? 1 : dtype === 'float32' ? 4 : 8;
  if (bytes.length - offset < count * width) throw new Error(`${what} is truncated: ${count} values of ${descr} announced, ${Math.floor((bytes.length - offset) / width)} present`);
  const body = bytes.slice(offset, offset + count * width);
  const data = dtype === 'uint8' ? body : dtype === 'float32' ? new Float32Array(body.buffer) : new Float64Array(body.buffer);
  return { dtype, shape, data };
}

export function encodeNpy(data: Uint8Array | Float32Array, shape: number[]): Uint8Array {
  const descr = data instanceof Uint8Array ? '|u1' : '<f4';
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  for (let i = 0; i < 6; i++) out[i] = MAGIC.charCodeAt(i);
  out[6] = 1;
  out[7] = 0;
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}
