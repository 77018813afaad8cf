/**
 * Weights keyed by stable layer id (`<id>/w`, `<id>/b`). A child inherits a copy of every parent
 * weight whose id it still uses; only layers new to the child are drawn from the seeded source.
 */
import * as tf from '@tensorflow/tfjs';
import { describeLayers } from './architecture';
import type { Genome } from './genome';
import type { Rng } from './rng';

export type Params = Map<string, tf.Variable>;

import { paramShapes } from './architecture';

export { paramShapes };

/** A variable that owns `t`'s data; `t` itself is released (tf.variable would leave it counted). */
export function toVariable(t: tf.Tensor, trainable: boolean): tf.Variable {
  const v = tf.variable(t, trainable);
  t.dispose();
  return v;
}

function fresh(name: string, shape: number[], rng: Rng): tf.Variable {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = name.endsWith('/b') ? new Float32Array(size) : rng.normals(size);
  return toVariable(tf.tensor(values, shape), true);
}

/**
 * Weights for `genome`: copies of `parent`'s where the id exists (shapes must agree), fresh ones
 * elsewhere. `parent` is left untouched.
 */
export function inheritParams(genome: Genome, rng: Rng, parent?: Params): Params {
  const out: Params = new Map();
  for (const [name, shape] of paramShapes(genome)) {
    const old = parent?.get(name);
    if (old) {
      if (!tf.util.arraysEqual(old.shape, shape))
        throw new Error(`cannot inherit ${name}: parent shape [${old.shape}] differs from [${shape}]`);
      out.set(name, toVariable(old.clone(), true));
    } else {
      out.set(name, fresh(name, shape, rng));
    }
  }
  return out;
}

export function initParams(genome: Genome, rng: Rng): Params {
  return inheritParams(genome, rng);
}

export function disposeParams(params: Params): void {
  for (const v of params.values()) v.dispose();
  params.clear();
}

/** Names of one network's weights, in the model's stable order. */
export function netParamNames(genome: Genome, net: 'G' | 'D'): string[] {
  return describeLayers(genome)
    .filter((l) => l.net === net)
    .flatMap((l) => [`${l.id}/w`, `${l.id}/b`]);
}

/** The variables of one network, for an optimizer's explicit variable list. */
export function netVariables(genome: Genome, params: Params, net: 'G' | 'D'): tf.Variable[] {
  return netParamNames(genome, net).map((name) => {
    const v = params.get(name);
    if (!v) throw new Error(`missing weight '${name}'`);
    return v;
  });
}
