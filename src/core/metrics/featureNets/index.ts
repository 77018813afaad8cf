/**
 * The committed feature networks (trained by `npm run train:features`), loaded on demand.
 * Which network a data set's FID/KID use, and why:
 * - mnist, fashion-mnist, emoji, shapes: their own network, trained on their own labels;
 * - uploads have no labels: the emoji network, the only colour network trained on varied images.
 *   Its FID on uploads says how far apart two image sets are in emoji-feature space, nothing more.
 */
import { FeatureNet } from '../featureNet';

export const FEATURE_NET_LABELS: Record<string, string> = {
  mnist: 'MNIST-LeNet',
  'fashion-mnist': 'FashionMNIST-LeNet',
  emoji: 'Emoji-LeNet',
  shapes: 'Shapes-LeNet',
};

const FILES: Record<string, () => Promise<{ default: unknown }>> = {
  mnist: () => import('./mnist.json'),
  'fashion-mnist': () => import('./fashion-mnist.json'),
  emoji: () => import('./emoji.json'),
  shapes: () => import('./shapes.json'),
};

/** The data set whose network measures `dataset` (uploads use the emoji network). */
export function featureNetFor(dataset: string): string {
  return dataset in FEATURE_NET_LABELS ? dataset : 'emoji';
}

export async function loadFeatureNet(dataset: string): Promise<FeatureNet> {
  const name = featureNetFor(dataset);
  const load = FILES[name];
  if (!load) throw new Error(`no trained feature network for '${name}': run npm run train:features -- ${name}`);
  return FeatureNet.fromFile((await load()).default);
}
