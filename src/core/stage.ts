/**
 * Stage: train the current networks on a fixed number of images, reporting every step. A growth
 * (if any) happens at the start of a stage, so the new layers fade in during it.
 */
import type { GrowthAction } from './actions';
import { formatAction } from './actions';
import { summarize } from './architecture';
import type { ImageSet } from './data/imageSet';
import { sampleBatch } from './data/imageSet';
import type { Genome } from './genome';
import type { Rng } from './rng';
import type { StepStats, Trainer } from './trainer';

export interface LossPoint extends StepStats {
  stage: number;
}

export interface StageRecord {
  index: number;
  /** The growth that opened this stage (null for the first). */
  action: string | null;
  resolution: number;
  imagesStart: number;
  imagesEnd: number;
  wallMs: number;
  /** The genome at the end of the stage. */
  genome: Genome;
  params: { G: number; D: number };
  depth: { G: number; D: number };
}

export interface StagePlan {
  index: number;
  action: GrowthAction | null;
  images: number;
  batch: number;
  /** Random horizontal flips of the real images. */
  mirror?: boolean;
}

export async function runStage(
  trainer: Trainer,
  data: ImageSet,
  plan: StagePlan,
  rng: Rng,
  onStep: (p: LossPoint) => void,
  now: () => number = () => performance.now(),
): Promise<StageRecord> {
  const t0 = now();
  if (plan.action) trainer.grow(plan.action);
  const imagesStart = trainer.imagesSeen;
  while (trainer.imagesSeen - imagesStart < plan.images) {
    const batch = sampleBatch(data, plan.batch, trainer.resolution, rng, { mirror: plan.mirror ?? false });
    try {
      onStep({ ...(await trainer.step(batch)), stage: plan.index });
    } finally {
      batch.dispose();
    }
  }
  const s = summarize(trainer.genome);
  return {
    index: plan.index,
    action: plan.action ? formatAction(plan.action) : null,
    resolution: s.resolution,
    imagesStart,
    imagesEnd: trainer.imagesSeen,
    wallMs: now() - t0,
    genome: trainer.genome,
    params: { G: s.G.params, D: s.D.params },
    depth: { G: s.G.depth, D: s.D.depth },
  };
}
