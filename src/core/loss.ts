/**
 * GAN losses (ALGORITHM.md §2). `critic` maps images to scores; `mix` holds one uniform number per
 * sample for the gradient-penalty interpolation (drawn from the run's seeded source).
 */
import * as tf from '@tensorflow/tfjs';

export type LossName = 'wgan-gp' | 'logistic';
export const LOSS_NAMES: readonly LossName[] = ['wgan-gp', 'logistic'];

type Critic = (x: tf.Tensor4D) => tf.Tensor2D;

export interface DLoss {
  total: tf.Scalar;
  /** Gradient penalty (WGAN-GP only), for the charts. */
  penalty?: tf.Scalar;
}

export const GP_LAMBDA = 10;
export const GP_TARGET = 1;
export const DRIFT = 0.001;

export function discriminatorLoss(
  loss: LossName,
  critic: Critic,
  real: tf.Tensor4D,
  fake: tf.Tensor4D,
  mix: tf.Tensor4D,
): DLoss {
  const dReal = critic(real);
  const dFake = critic(fake);
  if (loss === 'logistic') {
    return { total: tf.add(tf.mean(tf.softplus(dFake)), tf.mean(tf.softplus(tf.neg(dReal)))) as tf.Scalar };
  }
  const mixed = tf.add(real, tf.mul(tf.sub(fake, real), mix)) as tf.Tensor4D;
  const grad = tf.grad((x: tf.Tensor) => tf.sum(critic(x as tf.Tensor4D)))(mixed);
  const norm = tf.sqrt(tf.add(tf.sum(tf.square(grad), [1, 2, 3]), 1e-8));
  const penalty = tf.mean(tf.square(tf.div(tf.sub(norm, GP_TARGET), GP_TARGET))) as tf.Scalar;
  const wasserstein = tf.sub(tf.mean(dFake), tf.mean(dReal));
  const drift = tf.mul(tf.mean(tf.square(dReal)), DRIFT);
  return { total: tf.addN([wasserstein, tf.mul(penalty, GP_LAMBDA), drift]) as tf.Scalar, penalty };
}

export function generatorLoss(loss: LossName, dFake: tf.Tensor2D): tf.Scalar {
  return (loss === 'logistic' ? tf.mean(tf.softplus(tf.neg(dFake))) : tf.neg(tf.mean(dFake))) as tf.Scalar;
}
