/**
 * Trainer: one growing GAN and everything that changes while it trains — genome, weights, the EMA
 * generator, both optimizers, the fade-in clock and the seeded random source.
 *
 * `step` runs one D update then one G update on a batch of real images at the current resolution.
 * `grow` applies a GrowthAction: the child inherits every weight by layer id, Adam's moments reset
 * (as in ProGAN) and the new layers fade in over `fadeImages` images.
 */
import * as tf from '@tensorflow/tfjs';
import { applyAction, completeFade, DEFAULT_SPACE, type ActionSpace, type GrowthAction } from './actions';
import { Adam, PROGAN_ADAM, type AdamConfig, type AdamState } from './adam';
import { cloneGenome, resolutionOf, type Genome } from './genome';
import { discriminatorLoss, generatorLoss, type LossName } from './loss';
import { discriminate, generate } from './model';
import { avgpool2, lerp, upsample2 } from './ops';
import { disposeParams, inheritParams, initParams, netParamNames, netVariables, paramShapes, toVariable, type Params } from './params';
import { Rng } from './rng';

export interface TrainerConfig {
  loss: LossName;
  adam: AdamConfig;
  /** EMA decay of the evaluation generator (warmed up as min(β, (1+t)/(10+t))). */
  emaBeta: number;
  /** Images over which a growth fades in (α from 0 to 1). */
  fadeImages: number;
  space: ActionSpace;
}

export const DEFAULT_TRAINER: TrainerConfig = {
  loss: 'wgan-gp',
  adam: PROGAN_ADAM,
  emaBeta: 0.999,
  fadeImages: 1000,
  space: DEFAULT_SPACE,
};

export interface StepStats {
  dLoss: number;
  gLoss: number;
  /** WGAN-GP's gradient penalty, before λ. */
  penalty?: number;
  alpha: number;
  imagesSeen: number;
}

/** What the D half of a step leaves for its G half. */
export interface HalfStep {
  n: number;
  alpha: number;
  dLoss: number;
  penalty?: number;
}

/** Everything a Trainer needs to continue exactly where it was (same backend). */
export interface TrainerSnapshot {
  genome: Genome;
  config: TrainerConfig;
  imagesSeen: number;
  fadeStart: number;
  emaUpdates: number;
  rng: { state: number; spare: number | null };
  params: Record<string, Float32Array>;
  ema: Record<string, Float32Array>;
  optD: AdamState;
  optG: AdamState;
}

export class Trainer {
  genome: Genome;
  params: Params;
  /** Exponential moving average of G's weights, used for samples and evaluation. */
  ema: Params;
  imagesSeen = 0;
  private fadeStart = 0;
  private emaUpdates = 0;
  private readonly optD: Adam;
  private readonly optG: Adam;

  constructor(
    genome: Genome,
    readonly config: TrainerConfig,
    readonly rng: Rng,
    params?: Params,
  ) {
    this.genome = cloneGenome(genome);
    this.params = params ?? initParams(this.genome, rng);
    this.ema = this.emaFrom();
    this.optD = new Adam(config.adam);
    this.optG = new Adam(config.adam);
  }

  get resolution(): number {
    return resolutionOf(this.genome);
  }

  /** Fade-in weight of the newest growth: 1 once it has fully faded in (or there is none). */
  get alpha(): number {
    if (!this.genome.fade) return 1;
    if (this.config.fadeImages <= 0) return 1;
    return Math.min(1, Math.max(0, (this.imagesSeen - this.fadeStart) / this.config.fadeImages));
  }

  latents(n: number, rng: Rng = this.rng): tf.Tensor2D {
    return tf.tensor2d(rng.normals(n * this.genome.g.latent), [n, this.genome.g.latent]);
  }

  /** Real images seen by D while a resolution growth fades in are blended the same way as G's output. */
  blendReals(real: tf.Tensor4D): tf.Tensor4D {
    const alpha = this.alpha;
    if (this.genome.fade?.action.kind !== 'res' || alpha >= 1) return real.clone();
    return tf.tidy(() => lerp(upsample2(avgpool2(real)), real, alpha));
  }

  /** One D update and one G update (one training step). */
  async step(realBatch: tf.Tensor4D): Promise<StepStats> {
    const alpha = this.alpha;
    const d = this.updateD(realBatch);
    const gStep = this.updateG(realBatch.shape[0]);
    // Both losses are read back together, so a GPU backend runs the two updates without a stall.
    const [dLoss, gLoss, pen] = await Promise.all([d.dStep.data(), gStep.data(), d.penalty?.data()]);
    tf.dispose([d.dStep, gStep, d.penalty]);
    return this.finishStep(realBatch.shape[0], alpha, dLoss[0]!, gLoss[0]!, pen?.[0]);
  }

  /**
   * The first half of a step: the D update alone (the lab's "D step"). `stepG` completes it; the
   * two halves compute exactly what `step` computes.
   */
  async stepD(realBatch: tf.Tensor4D): Promise<HalfStep> {
    const alpha = this.alpha;
    const d = this.updateD(realBatch);
    const [dLoss, pen] = await Promise.all([d.dStep.data(), d.penalty?.data()]);
    tf.dispose([d.dStep, d.penalty]);
    const half: HalfStep = { n: realBatch.shape[0], alpha, dLoss: dLoss[0]! };
    if (pen) half.penalty = pen[0]!;
    return half;
  }

  /** The second half of a step: the G update after `stepD`. */
  async stepG(half: HalfStep): Promise<StepStats> {
    const gStep = this.updateG(half.n);
    const gLoss = await gStep.data();
    gStep.dispose();
    return this.finishStep(half.n, half.alpha, half.dLoss, gLoss[0]!, half.penalty);
  }

  private updateD(realBatch: tf.Tensor4D): { dStep: tf.Scalar; penalty?: tf.Scalar } {
    const n = realBatch.shape[0];
    const [, h, w, c] = realBatch.shape;
    const res = this.resolution;
    if (h !== res || w !== res || c !== this.genome.channels)
      throw new Error(`real batch is ${h}×${w}×${c}, the networks expect ${res}×${res}×${this.genome.channels}`);
    const alpha = this.alpha;
    const { genome, params, config } = this;
    const critic = (x: tf.Tensor4D) => discriminate(genome, params, x, alpha);
    const real = this.blendReals(realBatch);
    const zD = this.latents(n);
    const mix = tf.tensor4d(this.rng.uniforms(n), [n, 1, 1, 1]);
    const fake = generate(genome, params, zD, alpha);
    let penalty: tf.Scalar | undefined;
    const dStep = this.update(this.optD, 'D', () => {
      const l = discriminatorLoss(config.loss, critic, real, fake, mix);
      if (l.penalty) penalty = tf.keep(l.penalty);
      return l.total;
    });
    tf.dispose([real, zD, mix, fake]);
    return penalty ? { dStep, penalty } : { dStep };
  }

  private updateG(n: number): tf.Scalar {
    const alpha = this.alpha;
    const { genome, params, config } = this;
    const critic = (x: tf.Tensor4D) => discriminate(genome, params, x, alpha);
    const zG = this.latents(n);
    const gStep = this.update(this.optG, 'G', () => generatorLoss(config.loss, critic(generate(genome, params, zG, alpha))));
    zG.dispose();
    this.updateEma();
    return gStep;
  }

  private finishStep(n: number, alpha: number, dLoss: number, gLoss: number, penalty: number | undefined): StepStats {
    this.imagesSeen += n;
    if (this.genome.fade && this.alpha >= 1) this.finishFade();
    const stats: StepStats = { dLoss, gLoss, alpha, imagesSeen: this.imagesSeen };
    if (penalty !== undefined) stats.penalty = penalty;
    return stats;
  }

  /** Grows by `action`; the child inherits every weight, Adam restarts, the new layers fade in. */
  grow(action: GrowthAction): Genome {
    if (this.genome.fade) this.finishFade();
    const child = applyAction(this.genome, action, this.config.space);
    const params = inheritParams(child, this.rng, this.params);
    disposeParams(this.params);
    this.genome = child;
    this.params = params;
    const ema = this.emaFrom(this.ema);
    disposeParams(this.ema);
    this.ema = ema;
    this.optD.reset();
    this.optG.reset();
    // The EMA warms up again, so the averaged generator follows the grown one within a stage.
    this.emaUpdates = 0;
    this.fadeStart = this.imagesSeen;
    if (this.alpha >= 1) this.finishFade();
    return this.genome;
  }

  /**
   * An independent copy (weights, EMA, fade clock, images seen) drawing from `rng`; optimizer
   * moments start afresh, as after a growth. The search trains candidates from such copies.
   */
  clone(rng: Rng): Trainer {
    const copy = (p: Params, trainable: boolean): Params => new Map([...p].map(([k, v]) => [k, toVariable(v.clone(), trainable)]));
    const twin = new Trainer(this.genome, this.config, rng, copy(this.params, true));
    disposeParams(twin.ema);
    twin.ema = copy(this.ema, false);
    twin.imagesSeen = this.imagesSeen;
    twin.fadeStart = this.fadeStart;
    twin.emaUpdates = this.emaUpdates;
    return twin;
  }

  async snapshot(): Promise<TrainerSnapshot> {
    const read = async (p: Params) => Object.fromEntries(await Promise.all([...p].map(async ([k, v]) => [k, (await v.data()) as Float32Array] as const)));
    return {
      genome: cloneGenome(this.genome),
      config: this.config,
      imagesSeen: this.imagesSeen,
      fadeStart: this.fadeStart,
      emaUpdates: this.emaUpdates,
      rng: this.rng.snapshot,
      params: await read(this.params),
      ema: await read(this.ema),
      optD: await this.optD.state(),
      optG: await this.optG.state(),
    };
  }

  static restore(s: TrainerSnapshot): Trainer {
    const shapes = paramShapes(s.genome);
    const load = (values: Record<string, Float32Array>, trainable: boolean): Params =>
      new Map(
        Object.entries(values).map(([k, data]) => {
          const shape = shapes.get(k);
          if (!shape) throw new Error(`snapshot has a weight '${k}' the genome does not use`);
          return [k, toVariable(tf.tensor(data, shape), trainable)];
        }),
      );
    const t = new Trainer(s.genome, s.config, Rng.restore(s.rng), load(s.params, true));
    disposeParams(t.ema);
    t.ema = load(s.ema, false);
    t.imagesSeen = s.imagesSeen;
    t.fadeStart = s.fadeStart;
    t.emaUpdates = s.emaUpdates;
    t.optD.load(s.optD, shapes);
    t.optG.load(s.optG, shapes);
    return t;
  }

  /** Images from the EMA generator. */
  sample(z: tf.Tensor2D): tf.Tensor4D {
    return generate(this.genome, this.ema, z, this.alpha);
  }

  dispose(): void {
    disposeParams(this.params);
    disposeParams(this.ema);
    this.optD.dispose();
    this.optG.dispose();
  }

  private update(opt: Adam, net: 'G' | 'D', loss: () => tf.Scalar): tf.Scalar {
    const vars = netVariables(this.genome, this.params, net);
    const byVar = new Map<string, string>();
    for (const [name, v] of this.params) byVar.set(v.name, name);
    const { value, grads } = tf.variableGrads(loss, vars);
    const named = new Map<string, tf.Tensor>();
    for (const [varName, g] of Object.entries(grads)) named.set(byVar.get(varName)!, g);
    opt.apply(this.params, named);
    tf.dispose(Object.values(grads));
    return value;
  }

  private updateEma(): void {
    this.emaUpdates++;
    const beta = Math.min(this.config.emaBeta, (1 + this.emaUpdates) / (10 + this.emaUpdates));
    tf.tidy(() => {
      for (const [name, e] of this.ema) e.assign(lerp(this.params.get(name)!, e, beta));
    });
  }

  private finishFade(): void {
    this.genome = completeFade(this.genome);
    const keep = new Set(paramShapes(this.genome).keys());
    for (const store of [this.params, this.ema])
      for (const [name, v] of store)
        if (!keep.has(name)) {
          v.dispose();
          store.delete(name);
        }
    this.optD.retain(keep);
    this.optG.retain(keep);
  }

  /** EMA weights for the current G: the old average where a layer existed, its weights where it is new. */
  private emaFrom(old?: Params): Params {
    const out: Params = new Map();
    for (const name of netParamNames(this.genome, 'G'))
      out.set(name, toVariable((old?.get(name) ?? this.params.get(name)!).clone(), false));
    return out;
  }
}
