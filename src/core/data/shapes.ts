/**
 * The procedural "shapes" data set: one coloured disc, square or triangle per image on a plain
 * background, at any power-of-two size, fully determined by its seed. Edges are anti-aliased by
 * 4×4 supersampling, so downsampled copies stay faithful. Each image is labelled with its shape
 * kind (0 disc, 1 square, 2 triangle), for class-aware metrics.
 */
import { Rng } from '../rng';
import type { ImageSet } from './imageSet';

export const SHAPE_KINDS = ['disc', 'square', 'triangle'] as const;

export interface ShapesOptions {
  count: number;
  size: number;
  seed: number;
}

type Inside = (x: number, y: number) => boolean;

function shapeTest(kind: (typeof SHAPE_KINDS)[number], cx: number, cy: number, r: number, angle: number): Inside {
  if (kind === 'disc') return (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  if (kind === 'square') {
    const h = r * 0.8;
    return (x, y) => {
      const u = (x - cx) * cos + (y - cy) * sin;
      const v = -(x - cx) * sin + (y - cy) * cos;
      return Math.abs(u) <= h && Math.abs(v) <= h;
    };
  }
  // Equilateral triangle with circumradius r: inside when on the inner side of all three edges.
  const verts = [0, 1, 2].map((k) => {
    const a = angle + (k * 2 * Math.PI) / 3 - Math.PI / 2;
    return [cx + r * Math.cos(a), cy + r * Math.sin(a)] as const;
  });
  return (x, y) => {
    let sign = 0;
    for (let k = 0; k < 3; k++) {
      const [ax, ay] = verts[k]!;
      const [bx, by] = verts[(k + 1) % 3]!;
      const s = Math.sign((bx - ax) * (y - ay) - (by - ay) * (x - ax));
      if (s !== 0) {
        if (sign !== 0 && s !== sign) return false;
        sign = s;
      }
    }
    return true;
  };
}

function colour(rng: Rng, light: boolean): [number, number, number] {
  const base = light ? 170 : 20;
  return [base + rng.int(80), base + rng.int(80), base + rng.int(80)];
}

export function makeShapes({ count, size, seed }: ShapesOptions): ImageSet {
  if (!Number.isInteger(size) || size < 4 || (size & (size - 1)) !== 0)
    throw new Error(`shapes: size must be a power of two ≥ 4, got ${size}`);
  if (!Number.isInteger(count) || count < 1) throw new Error(`shapes: count must be a positive integer, got ${count}`);
  const rng = new Rng(seed);
  const pixels = new Uint8Array(count * size * size * 3);
  const labels = new Uint8Array(count);
  const SS = 4;
  for (let i = 0; i < count; i++) {
    labels[i] = rng.int(SHAPE_KINDS.length);
    const kind = SHAPE_KINDS[labels[i]!]!;
    const lightBackground = rng.next() < 0.5;
    const bg = colour(rng, lightBackground);
    const fg = colour(rng, !lightBackground);
    const r = size * (0.18 + 0.17 * rng.next());
    const cx = r + (size - 2 * r) * rng.next();
    const cy = r + (size - 2 * r) * rng.next();
    const inside = shapeTest(kind, cx, cy, r, rng.next() * Math.PI * 2);
    const off = i * size * size * 3;
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) {
        let hits = 0;
        for (let sy = 0; sy < SS; sy++)
          for (let sx = 0; sx < SS; sx++) if (inside(x + (sx + 0.5) / SS, y + (sy + 0.5) / SS)) hits++;
        const t = hits / (SS * SS);
        const p = off + (y * size + x) * 3;
        for (let c = 0; c < 3; c++) pixels[p + c] = Math.round(bg[c]! + (fg[c]! - bg[c]!) * t);
      }
  }
  return { name: 'shapes', count, size, channels: 3, pixels, labels, classes: [...SHAPE_KINDS] };
}
