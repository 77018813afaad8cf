/**
 * G and D as functions of (genome, weights, input, α). No state lives here.
 *
 * Fade-in (FadeIn in genome.ts), one rule for all three actions: the new path and the parent's
 * path meet at the image side, blended by α, and the parent's path is exactly the parent network.
 * - G conv:  img = lerp(toRGB_old(x), toRGB_new(conv_new(x)), α)
 * - G res:   img = lerp(up2(toRGB_old(x)), toRGB_new(block_new(up2(x))), α)
 * - D conv:  h   = lerp(fromRGB_old(img), conv_new(fromRGB_new(img)), α)
 * - D res:   h   = lerp(fromRGB_old(pool2(img)), pool2(block_new(fromRGB_new(img))), α)
 * At α = 0 the child computes exactly what its parent computed; at α = 1 the old layers drop out.
 * The old toRGB/fromRGB act as the 1×1 projection path of ALGORITHM.md, so a new layer may change
 * the width without breaking inheritance.
 */
import * as tf from '@tensorflow/tfjs';
import { describeLayers, type LayerSpec } from './architecture';
import type { Genome, RGBLayer } from './genome';
import { avgpool2, conv, dense, lerp, lrelu, minibatchStddev, pixelNorm, upsample2 } from './ops';
import type { Params } from './params';

class Weights {
  private readonly specs: Map<string, LayerSpec>;
  constructor(genome: Genome, private readonly params: Params) {
    this.specs = new Map(describeLayers(genome).map((l) => [l.id, l]));
  }
  private get(id: string): { w: tf.Tensor; b: tf.Tensor1D; spec: LayerSpec } {
    const w = this.params.get(`${id}/w`);
    const b = this.params.get(`${id}/b`);
    const spec = this.specs.get(id);
    if (!w || !b || !spec) throw new Error(`no weights for layer '${id}'`);
    return { w, b: b as tf.Tensor1D, spec };
  }
  conv(x: tf.Tensor4D, id: string): tf.Tensor4D {
    const { w, b, spec } = this.get(id);
    return conv(x, w as tf.Tensor4D, b, spec.gain);
  }
  dense(x: tf.Tensor2D, id: string): tf.Tensor2D {
    const { w, b, spec } = this.get(id);
    return dense(x, w as tf.Tensor2D, b, spec.gain);
  }
}

/** G(z): images in about [−1, 1], NHWC, at the genome's resolution. */
export function generate(genome: Genome, params: Params, z: tf.Tensor2D, alpha = 1): tf.Tensor4D {
  return tf.tidy(() => {
    const W = new Weights(genome, params);
    const { g, fade } = genome;
    const toRGB = (x: tf.Tensor4D, rgb: RGBLayer) => W.conv(x, rgb.id);
    const base = g.blocks[0]!.layers[0]!.in;
    let x = W.dense(pixelNorm(z), 'gDense').reshape([z.shape[0], 4, 4, base]) as tf.Tensor4D;
    x = pixelNorm(lrelu(x));
    let skip: tf.Tensor4D | null = null;
    const top = g.blocks[g.blocks.length - 1]!;
    for (const block of g.blocks) {
      if (block.res > 4) {
        if (fade?.action.kind === 'res' && fade.oldToRGB && block === top) skip = upsample2(toRGB(x, fade.oldToRGB));
        x = upsample2(x);
      }
      for (const layer of block.layers) {
        if (fade?.action.kind === 'g' && fade.oldToRGB && layer.id === fade.newIds[0]) skip = toRGB(x, fade.oldToRGB);
        x = pixelNorm(lrelu(W.conv(x, layer.id)));
      }
    }
    const img = toRGB(x, g.toRGB);
    return skip ? lerp(skip, img, alpha) : img;
  });
}

/** D(img): one critic score per image, shape [N, 1]. */
export function discriminate(genome: Genome, params: Params, img: tf.Tensor4D, alpha = 1): tf.Tensor2D {
  return tf.tidy(() => {
    const W = new Weights(genome, params);
    const { d, fade } = genome;
    const fromRGB = (x: tf.Tensor4D, rgb: RGBLayer) => lrelu(W.conv(x, rgb.id));
    let h = fromRGB(img, d.fromRGB);
    let skip: tf.Tensor4D | null = null;
    if (fade?.oldFromRGB) skip = fromRGB(fade.action.kind === 'res' ? avgpool2(img) : img, fade.oldFromRGB);
    const lastNew = fade?.action.kind === 'd' ? fade.newIds[0] : undefined;
    const bottom = d.blocks[d.blocks.length - 1]!;
    for (const block of [...d.blocks].reverse()) {
      block.layers.forEach((layer, i) => {
        if (block.res === 4 && i === block.layers.length - 1) h = minibatchStddev(h);
        h = lrelu(W.conv(h, layer.id));
        if (skip && layer.id === lastNew) h = lerp(skip, h, alpha);
      });
      if (block.res > 4) {
        h = avgpool2(h);
        if (skip && fade?.action.kind === 'res' && block === bottom) h = lerp(skip, h, alpha);
      }
    }
    const flat = h.reshape([img.shape[0], -1]) as tf.Tensor2D;
    return W.dense(lrelu(W.dense(flat, 'dDense')), 'dScore');
  });
}
