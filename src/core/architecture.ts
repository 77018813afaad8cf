/**
 * The layer table of a genome: every weight-carrying layer of G and D with its real shapes, its
 * equalized-learning-rate gain, parameters and FLOPs. The model builds its weights from this table,
 * and the UI and CLI report from it, so the numbers cannot drift apart.
 */
import type { Genome } from './genome';

export type LayerKind = 'dense' | 'conv' | 'toRGB' | 'fromRGB' | 'score';

export interface LayerSpec {
  id: string;
  net: 'G' | 'D';
  kind: LayerKind;
  /** Spatial size this layer runs at (1 for dense layers). */
  res: number;
  kernel: number;
  /** Real input channels (D's last 4×4 conv includes the minibatch-stddev channel). */
  in: number;
  out: number;
  gain: number;
  /** 'new' while fading in, 'old' for the image-side layer being faded out. */
  fade?: 'new' | 'old';
  params: number;
  /** Forward FLOPs per image (2 per multiply–add). */
  flops: number;
  /** Weight shape: [k, k, in, out] for convs, [in, out] for dense layers. */
  shape: number[];
}

const SQRT2 = Math.SQRT2;

function spec(
  s: Omit<LayerSpec, 'params' | 'flops' | 'shape'>,
): LayerSpec {
  const dense = s.kind === 'dense' || s.kind === 'score';
  const shape = dense ? [s.in, s.out] : [s.kernel, s.kernel, s.in, s.out];
  const weights = shape.reduce((a, b) => a * b, 1);
  return { ...s, shape, params: weights + s.out, flops: 2 * weights * s.res * s.res };
}

export function describeLayers(genome: Genome): LayerSpec[] {
  const { g, d, fade } = genome;
  const fadeOf = (id: string): 'new' | undefined => (fade?.newIds.includes(id) ? 'new' : undefined);
  const withFade = (s: LayerSpec): LayerSpec => {
    const f = fadeOf(s.id);
    return f ? { ...s, fade: f } : s;
  };
  const out: LayerSpec[] = [];
  const res = g.blocks[g.blocks.length - 1]!.res;

  const base = g.blocks[0]!.layers[0]!.in;
  out.push(spec({ id: 'gDense', net: 'G', kind: 'dense', res: 1, kernel: 1, in: g.latent, out: 16 * base, gain: SQRT2 / 4 }));
  for (const block of g.blocks)
    for (const l of block.layers)
      out.push(withFade(spec({ id: l.id, net: 'G', kind: 'conv', res: block.res, kernel: l.kernel, in: l.in, out: l.out, gain: SQRT2 })));
  if (fade?.oldToRGB) {
    const oldRes = fade.action.kind === 'res' ? res / 2 : res;
    out.push({ ...spec({ id: fade.oldToRGB.id, net: 'G', kind: 'toRGB', res: oldRes, kernel: 1, in: fade.oldToRGB.width, out: genome.channels, gain: 1 }), fade: 'old' });
  }
  out.push(withFade(spec({ id: g.toRGB.id, net: 'G', kind: 'toRGB', res, kernel: 1, in: g.toRGB.width, out: genome.channels, gain: 1 })));

  out.push(withFade(spec({ id: d.fromRGB.id, net: 'D', kind: 'fromRGB', res, kernel: 1, in: genome.channels, out: d.fromRGB.width, gain: SQRT2 })));
  if (fade?.oldFromRGB) {
    const oldRes = fade.action.kind === 'res' ? res / 2 : res;
    out.push({ ...spec({ id: fade.oldFromRGB.id, net: 'D', kind: 'fromRGB', res: oldRes, kernel: 1, in: genome.channels, out: fade.oldFromRGB.width, gain: SQRT2 }), fade: 'old' });
  }
  for (const block of [...d.blocks].reverse())
    block.layers.forEach((l, i) => {
      const mbstd = block.res === 4 && i === block.layers.length - 1 ? 1 : 0;
      out.push(withFade(spec({ id: l.id, net: 'D', kind: 'conv', res: block.res, kernel: l.kernel, in: l.in + mbstd, out: l.out, gain: SQRT2 })));
    });
  const last4 = d.blocks[0]!.layers[d.blocks[0]!.layers.length - 1]!.out;
  out.push(spec({ id: 'dDense', net: 'D', kind: 'dense', res: 1, kernel: 1, in: 16 * last4, out: d.dense, gain: SQRT2 }));
  out.push(spec({ id: 'dScore', net: 'D', kind: 'score', res: 1, kernel: 1, in: d.dense, out: 1, gain: 1 }));
  return out;
}

export interface NetSummary {
  /** Conv layers (excluding toRGB/fromRGB and dense layers). */
  depth: number;
  params: number;
  flops: number;
}

/** Parameter and FLOP totals of G and D as they run once any fade-in has finished. */
export function summarize(genome: Genome): { G: NetSummary; D: NetSummary; resolution: number } {
  const layers = describeLayers(genome).filter((l) => l.fade !== 'old');
  const sum = (net: 'G' | 'D'): NetSummary => {
    const own = layers.filter((l) => l.net === net);
    return {
      depth: own.filter((l) => l.kind === 'conv').length,
      params: own.reduce((a, l) => a + l.params, 0),
      flops: own.reduce((a, l) => a + l.flops, 0),
    };
  };
  return { G: sum('G'), D: sum('D'), resolution: genome.g.blocks[genome.g.blocks.length - 1]!.res };
}

/** Every weight the genome's model reads, with its shape, in a stable order. */
export function paramShapes(genome: Genome): Map<string, number[]> {
  const shapes = new Map<string, number[]>();
  for (const l of describeLayers(genome)) {
    shapes.set(`${l.id}/w`, l.shape);
    shapes.set(`${l.id}/b`, [l.out]);
  }
  return shapes;
}
