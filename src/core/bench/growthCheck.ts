/**
 * A tiny growth sequence run on whatever backend is active: used by the browser tests to prove
 * that a backend trains (finite losses), grows, and leaks no tensors.
 */
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_SPACE, parseActions } from '../actions';
import { makeShapes } from '../data/shapes';
import { createBaseGenome, resolutionOf } from '../genome';
import { Rng } from '../rng';
import { runStage } from '../stage';
import { DEFAULT_TRAINER, Trainer } from '../trainer';

export interface GrowthCheck {
  backend: string;
  /** D and G losses of every step. */
  losses: number[];
  resolutions: number[];
  /** tf.memory().numTensors before the trainer existed and after it was disposed. */
  tensorsBefore: number;
  tensorsAfter: number;
  /** numTensors after the last two steps of each stage (equal when nothing leaks per step). */
  lastSteps: [number, number][];
}

export async function growthCheck(actions = 'g:3x3x8,res:8,d:3x3x8', stepsPerStage = 4): Promise<GrowthCheck> {
  const tensorsBefore = tf.memory().numTensors;
  const data = makeShapes({ count: 16, size: 8, seed: 1 });
  const rng = new Rng(1);
  const config = { ...DEFAULT_TRAINER, fadeImages: 8, space: { ...DEFAULT_SPACE, maxResolution: 8 } };
  const trainer = new Trainer(createBaseGenome({ channels: 3, latent: 8, width: 8 }), config, rng);
  const losses: number[] = [];
  const resolutions: number[] = [];
  const lastSteps: [number, number][] = [];
  try {
    for (const [index, action] of [null, ...parseActions(actions)].entries()) {
      const counts: number[] = [];
      await runStage(trainer, data, { index, action, images: 4 * stepsPerStage, batch: 4 }, rng, (p) => {
        losses.push(p.dLoss, p.gLoss);
        counts.push(tf.memory().numTensors);
      });
      resolutions.push(resolutionOf(trainer.genome));
      lastSteps.push([counts.at(-2)!, counts.at(-1)!]);
    }
  } finally {
    trainer.dispose();
  }
  return { backend: tf.getBackend(), losses, resolutions, tensorsBefore, tensorsAfter: tf.memory().numTensors, lastSteps };
}
