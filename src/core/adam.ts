/**
 * Adam with its moments keyed by weight name. tfjs's own Adam keeps moments by position in the
 * variable list, which silently pairs the wrong moments with the wrong weights once a growth
 * changes that list; keyed by name, moments survive any change and reset only when asked
 * (ProGAN resets them at every growth).
 */
import * as tf from '@tensorflow/tfjs';
import { toVariable } from './params';

export interface AdamConfig {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** ProGAN's settings. */
export const PROGAN_ADAM: AdamConfig = { lr: 1e-3, beta1: 0, beta2: 0.99, epsilon: 1e-8 };

export interface AdamState {
  t: number;
  m: Record<string, Float32Array>;
  v: Record<string, Float32Array>;
}

export class Adam {
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();
  private t = 0;

  constructor(public config: AdamConfig) {}

  /** Applies one update to `weights` from `grads` (both keyed by weight name). */
  apply(weights: Map<string, tf.Variable>, grads: Map<string, tf.Tensor>): void {
    this.t++;
    const { lr, beta1, beta2, epsilon } = this.config;
    const c1 = 1 - beta1 ** this.t;
    const c2 = 1 - beta2 ** this.t;
    tf.tidy(() => {
      for (const [name, g] of grads) {
        const w = weights.get(name);
        if (!w) throw new Error(`Adam: gradient for unknown weight '${name}'`);
        let m = this.m.get(name);
        let v = this.v.get(name);
        if (!m || !v) {
          m = toVariable(tf.zerosLike(w), false);
          v = toVariable(tf.zerosLike(w), false);
          this.m.set(name, m);
          this.v.set(name, v);
        }
        const m1 = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
        const v1 = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
        m.assign(m1);
        v.assign(v1);
        const step = tf.div(tf.div(m1, c1), tf.add(tf.sqrt(tf.div(v1, c2)), epsilon));
        w.assign(tf.sub(w, tf.mul(step, lr)));
      }
    });
  }

  /** Forgets moments of weights that no longer exist. */
  retain(names: Set<string>): void {
    for (const map of [this.m, this.v])
      for (const [name, t] of map)
        if (!names.has(name)) {
          t.dispose();
          map.delete(name);
        }
  }

  /** Moments back to zero, step count back to 0. */
  reset(): void {
    this.retain(new Set());
    this.t = 0;
  }

  /** Moments and step count as plain arrays (checkpoints). */
  async state(): Promise<AdamState> {
    const read = async (map: Map<string, tf.Variable>) =>
      Object.fromEntries(await Promise.all([...map].map(async ([k, v]) => [k, (await v.data()) as Float32Array] as const)));
    return { t: this.t, m: await read(this.m), v: await read(this.v) };
  }

  /** Restores `state()` for weights of the given shapes. */
  load(state: AdamState, shapes: Map<string, number[]>): void {
    this.reset();
    this.t = state.t;
    for (const [map, values] of [[this.m, state.m], [this.v, state.v]] as const)
      for (const [k, data] of Object.entries(values)) {
        const shape = shapes.get(k);
        if (!shape) throw new Error(`Adam state for unknown weight '${k}'`);
        map.set(k, toVariable(tf.tensor(data, shape), false));
      }
  }

  get steps(): number {
    return this.t;
  }

  dispose(): void {
    this.reset();
  }
}
