/**
 * The search's stage metric (ALGORITHM.md): SWD (×1e3 average) for models from 16 px, KID on the
 * data set's feature network below; without a feature network, SWD throughout. Both are measured
 * at the data resolution (fakes upsampled), so every model is compared with the same real images
 * and a low-resolution model pays for its blockiness. The search ranks SWD-scored models above
 * KID-scored ones.
 */
import type { ImageSet } from '../data/imageSet';
import { evaluate } from '../evaluate';
import type { FeatureNet } from '../metrics/featureNet';
import { SWD_MIN_RES } from '../metrics/swd';
import type { Trainer } from '../trainer';
import type { Score } from './search';

/** Why `data` cannot be scored without a feature network, or null. */
export function searchScoreProblem(data: ImageSet, net: FeatureNet | null): string | null {
  return !net && data.size < SWD_MIN_RES ? `SWD needs data of at least ${SWD_MIN_RES} px and ${data.name} has no feature network` : null;
}

/** The score of a model: `n` generated and `n` real images, SWD patches and KID subsets from `seed`. */
export function searchScorer(data: ImageSet, net: FeatureNet | null, o: { n: number; seed: number }): (t: Trainer) => Promise<Score> {
  const problem = searchScoreProblem(data, net);
  if (problem) throw new Error(problem);
  return async (t) => {
    const useSwd = t.resolution >= SWD_MIN_RES || !net;
    const m = await evaluate(t, data, net, { metrics: [useSwd ? 'swd' : 'kid'], n: o.n, seed: o.seed, resolution: data.size });
    return useSwd ? { value: m.swd!.avg, metric: 'swd' } : { value: m.kid!.mean, metric: 'kid' };
  };
}
