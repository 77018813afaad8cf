/**
 * `npm run train:features [-- mnist fashion-mnist emoji shapes]`: trains the small FeatureNet of
 * each labelled data set on its own labels (80 % train / 20 % test, seeded), prints the test
 * accuracy, and writes src/core/metrics/featureNets/<dataset>.json (committed; ~110 KB each).
 */
import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadImageSet } from '../src/cli/datasets';
import { useNodeBackend } from '../src/cli/nodeBackend';
import type { ImageSet } from '../src/core/data/imageSet';
import { FeatureNet } from '../src/core/metrics/featureNet';
import { FEATURE_NET_LABELS } from '../src/core/metrics/featureNets';
import { Rng } from '../src/core/rng';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '../src/core/metrics/featureNets');
const PLAN: Record<string, { epochs: number; maxImages: number }> = {
  mnist: { epochs: 10, maxImages: 10_000 },
  'fashion-mnist': { epochs: 5, maxImages: 30_000 },
  emoji: { epochs: 25, maxImages: 10_000 },
  shapes: { epochs: 12, maxImages: 10_000 },
};

function subset(set: ImageSet, idx: number[]): { x: Uint8Array; y: Uint8Array } {
  const per = set.size * set.size * set.channels;
  const x = new Uint8Array(idx.length * per);
  const y = new Uint8Array(idx.length);
  idx.forEach((i, k) => {
    x.set(set.pixels.subarray(i * per, (i + 1) * per), k * per);
    y[k] = set.labels![i]!;
  });
  return { x, y };
}

async function train(name: string): Promise<void> {
  const plan = PLAN[name];
  if (!plan) throw new Error(`no feature network plan for '${name}' (have ${Object.keys(PLAN).join(', ')})`);
  const set = loadImageSet(name, { size: plan.maxImages });
  if (!set.labels || !set.classes) throw new Error(`${name} has no labels`);
  const rng = new Rng(7);
  const order = Array.from({ length: set.count }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const used = order.slice(0, Math.min(plan.maxImages, order.length));
  const nTest = Math.round(used.length * 0.2);
  const test = subset(set, used.slice(0, nTest));
  const trainIdx = used.slice(nTest);
  const label = FEATURE_NET_LABELS[name] ?? `${name}-net`;
  const net = new FeatureNet({ dataset: name, label, channels: set.channels, classes: set.classes }, rng);
  const opt = tf.train.adam(3e-3);
  const vars = [...net.weights.values()];
  const batch = 64;
  const t0 = performance.now();
  for (let epoch = 0; epoch < plan.epochs; epoch++) {
    for (let i = trainIdx.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [trainIdx[i], trainIdx[j]] = [trainIdx[j]!, trainIdx[i]!];
    }
    let lossSum = 0;
    for (let b = 0; b + batch <= trainIdx.length; b += batch) {
      const { x, y } = subset(set, trainIdx.slice(b, b + batch));
      const input = net.prepare(x, batch, set.size, set.channels);
      const target = tf.oneHot(tf.tensor1d(y, 'int32'), set.classes.length);
      const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(target, net.forward(input)[1]) as tf.Scalar, true, vars)!;
      lossSum += (await loss.data())[0]!;
      tf.dispose([input, target, loss]);
    }
    console.log(`  ${name} epoch ${epoch + 1}/${plan.epochs}: loss ${(lossSum / Math.floor(trainIdx.length / batch)).toFixed(4)} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  const { probs } = await net.embed(test.x, nTest, set.size, set.channels);
  const k = set.classes.length;
  let correct = 0;
  for (let i = 0; i < nTest; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (probs[i * k + c]! > probs[i * k + best]!) best = c;
    if (best === test.y[i]) correct++;
  }
  const accuracy = correct / nTest;
  console.log(`${label}: test accuracy ${(100 * accuracy).toFixed(2)} % on ${nTest} held-out images (${set.classes.length} classes, trained on ${trainIdx.length})`);
  writeFileSync(join(OUT, `${name}.json`), JSON.stringify(net.toFile(accuracy, { train: trainIdx.length, test: nTest, epochs: plan.epochs })));
  opt.dispose();
  net.dispose();
}

await useNodeBackend('wasm');
const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const name of names.length ? names : Object.keys(PLAN)) await train(name);
