import { encode } from 'fast-png';
import { writeFile } from 'node:fs/promises';
import type { RgbaImage } from '../core/grid';

export async function writePng(path: string, image: RgbaImage): Promise<void> {
  const data = new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  await writeFile(path, encode({ width: image.width, height: image.height, data, channels: 4, depth: 8 }));
}
