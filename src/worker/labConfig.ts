/**
 * Run configurations of the lab: defaults, presets, limits and the growth plan of a config.
 * Pure TypeScript (no tfjs): the page validates with it before a run starts, and the worker
 * validates again with the same code.
 */
import { applyAction, completeFade, DEFAULT_SPACE, formatAction, legalActions, parseActions, whyIllegal, type ActionSpace, type GrowthAction } from '../core/actions';
import { createBaseGenome, type Genome } from '../core/genome';
import { proganActions } from '../core/progan';
import type { LabDataset, LabResolution, LossName, RunConfig, RunMode, RunStatus } from './protocol';

export const LAB_DATASETS: readonly LabDataset[] = ['shapes', 'mnist', 'fashion-mnist', 'emoji', 'upload'];

export const DATASET_LABELS: Record<LabDataset, string> = {
  shapes: 'Shapes (procedural)',
  mnist: 'MNIST digits',
  'fashion-mnist': 'Fashion-MNIST',
  emoji: 'Emoji',
  upload: 'Your images',
};
export const LAB_RESOLUTIONS: readonly LabResolution[] = [16, 32];
/** A run that holds the engine: starting, training or paused. */
export const isActiveStatus = (s: RunStatus) => s === 'starting' || s === 'running' || s === 'paused';

export const RUN_MODES: readonly RunMode[] = ['progan', 'manual', 'dggan'];
export const LOSSES: readonly LossName[] = ['wgan-gp', 'logistic'];
export const BATCHES = [4, 8, 16, 32, 64] as const;
export const WIDTHS = [8, 16, 32, 64, 128] as const;
export const LATENTS = [8, 16, 32, 64, 128] as const;

export const MODE_LABELS: Record<RunMode, string> = {
  progan: 'ProGAN',
  manual: 'Manual',
  dggan: 'Dynamic (search)',
};

/** The channels the lab's data sets have. */
export const CHANNELS: Record<LabDataset, number> = { shapes: 3, mnist: 1, 'fashion-mnist': 1, emoji: 3, upload: 3 };

export const DEFAULT_CONFIG: RunConfig = {
  dataset: 'shapes',
  datasetSize: 1024,
  resolution: 16,
  mode: 'progan',
  actions: 'g:3x3x16,res:16,d:3x3x16,res:16',
  kimgPerStage: 2,
  batch: 16,
  lr: 0.002,
  loss: 'wgan-gp',
  seed: 1,
  width: 16,
  latent: 32,
  budgetKimg: 12,
  candidateKimg: 0.5,
  topK: 2,
  keepP: 0.15,
  evalSamples: 128,
};

export interface Preset {
  id: string;
  label: string;
  description: string;
  config: Partial<RunConfig>;
}

export const PRESETS: readonly Preset[] = [
  {
    id: 'demo',
    label: '2-minute demo',
    description: 'ProGAN on shapes, 4 → 8 → 16 px with small networks and the logistic loss (no gradient penalty, so faster): blobs on backgrounds within a minute or two.',
    config: { dataset: 'shapes', mode: 'progan', resolution: 16, kimgPerStage: 4, batch: 16, width: 32, latent: 32, lr: 0.002, loss: 'logistic' },
  },
  {
    id: 'search',
    label: 'Search demo',
    description: 'The dynamic search on shapes at 16 px: G convs, D convs and resolution growths compete at every growth stage, within a 14 k image budget that must end at 16 px.',
    config: { dataset: 'shapes', mode: 'dggan', resolution: 16, kimgPerStage: 1.5, batch: 16, width: 16, latent: 32, lr: 0.002, loss: 'logistic', budgetKimg: 14, candidateKimg: 0.5, topK: 2, keepP: 0.15 },
  },
  {
    id: 'quality',
    label: 'Quality (slow)',
    description: 'ProGAN up to 32 px with wider networks and longer stages: better images, many minutes.',
    config: { dataset: 'shapes', mode: 'progan', resolution: 32, kimgPerStage: 6, batch: 16, width: 64, latent: 64, lr: 0.001, loss: 'wgan-gp' },
  },
];

export function actionSpace(config: Pick<RunConfig, 'resolution'>): ActionSpace {
  return { ...DEFAULT_SPACE, maxResolution: config.resolution };
}

export function baseGenome(config: Pick<RunConfig, 'dataset' | 'latent' | 'width'>): Genome {
  return createBaseGenome({ channels: CHANNELS[config.dataset], latent: config.latent, width: config.width });
}

/** A search score for people: SWD×1e3 to one decimal, KID to 4 significant digits ("30.24 k" when large). */
export function formatScore(metric: string, value: number): string {
  const name = metric.toUpperCase();
  if (metric === 'swd') return `${name} ${value.toFixed(1)}`;
  if (Math.abs(value) >= 1e4) return `${name} ${(value / 1000).toPrecision(4)} k`;
  return `${name} ${value.toPrecision(4)}`;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const between = (v: number, lo: number, hi: number) => Number.isFinite(v) && v >= lo && v <= hi;

/** Why `config` cannot run (the first problem found), or null. */
export function configProblem(c: RunConfig): string | null {
  if (!LAB_DATASETS.includes(c.dataset)) return `unknown data set '${c.dataset}'`;
  if (!LAB_RESOLUTIONS.includes(c.resolution)) return `resolution must be one of ${LAB_RESOLUTIONS.join(', ')} px`;
  if (!RUN_MODES.includes(c.mode)) return `unknown mode '${c.mode}'`;
  if (!LOSSES.includes(c.loss)) return `unknown loss '${c.loss}'`;
  if (!between(c.kimgPerStage, 0.01, 1000)) return 'kimg per stage must be between 0.01 and 1000';
  if (!Number.isInteger(c.batch) || !between(c.batch, 1, 256)) return 'batch must be a whole number from 1 to 256';
  if (c.kimgPerStage * 1000 < c.batch) return `a stage (${c.kimgPerStage * 1000} images) must hold at least one batch (${c.batch})`;
  if (!between(c.lr, 1e-6, 0.1)) return 'learning rate must be between 0.000001 and 0.1';
  if (!Number.isInteger(c.seed) || !between(c.seed, 0, 2 ** 32 - 1)) return 'seed must be a whole number ≥ 0';
  if (!Number.isInteger(c.width) || !between(c.width, 8, 256)) return 'width must be a whole number from 8 to 256';
  if (!Number.isInteger(c.latent) || !between(c.latent, 1, 512)) return 'latent size must be a whole number from 1 to 512';
  if (!Number.isInteger(c.datasetSize) || !between(c.datasetSize, 16, 20_000)) return 'data set size must be from 16 to 20,000 images';
  if (!Number.isInteger(c.evalSamples) || !between(c.evalSamples, 16, 2048)) return 'evaluation samples must be from 16 to 2,048';
  if (c.mode === 'dggan') {
    if (!between(c.budgetKimg, 0.01, 10_000)) return 'the budget must be a positive number of kimg';
    if (!between(c.candidateKimg, 0.01, 1000)) return 'candidate kimg must be positive';
    if (c.budgetKimg < c.kimgPerStage) return `the budget (${c.budgetKimg} kimg) must cover at least one stage (${c.kimgPerStage} kimg)`;
    if (!Number.isInteger(c.topK) || !between(c.topK, 1, 20)) return 'top-K must be a whole number from 1 to 20';
    if (!between(c.keepP, 0, 1)) return 'the keep probability must be between 0 and 1';
    return null;
  }
  try {
    planActions(c);
  } catch (e) {
    return (e as Error).message;
  }
  return null;
}

/**
 * The growth actions of a progan or manual run, dry-run against the genome so that a bad plan
 * fails before training (ConfigError naming the action). dggan: none (the search decides).
 */
export function planActions(c: RunConfig): GrowthAction[] {
  if (c.mode === 'dggan') return [];
  const space = actionSpace(c);
  let actions: GrowthAction[];
  if (c.mode === 'progan') actions = proganActions(4, c.resolution, c.width, space.minWidth);
  else {
    try {
      actions = parseActions(c.actions);
    } catch (e) {
      throw new ConfigError((e as Error).message);
    }
  }
  let genome = baseGenome(c);
  actions.forEach((a, i) => {
    const why = whyIllegal(genome, a, space);
    if (why) throw new ConfigError(`action ${i + 1} (${formatAction(a)}) is illegal: ${why}`);
    genome = completeFade(applyAction(genome, a, space));
  });
  return actions;
}

/**
 * Manual mode's action picker: the genome after the valid prefix of the typed plan, the legal
 * next actions from there, and the first problem of the plan (null when it is all valid).
 */
export function manualPlanState(c: RunConfig): { genome: Genome; valid: string[]; legal: string[]; problem: string | null } {
  const space = actionSpace(c);
  let genome = baseGenome(c);
  const valid: string[] = [];
  let problem: string | null = null;
  for (const [i, text] of c.actions.split(',').map((s) => s.trim()).filter((s) => s !== '').entries()) {
    let action: GrowthAction;
    try {
      [action] = parseActions(text) as [GrowthAction];
    } catch (e) {
      problem = (e as Error).message;
      break;
    }
    const why = whyIllegal(genome, action, space);
    if (why) {
      problem = `action ${i + 1} (${text}) is illegal: ${why}`;
      break;
    }
    genome = completeFade(applyAction(genome, action, space));
    valid.push(formatAction(action));
  }
  return { genome, valid, legal: legalActions(genome, space).map(formatAction), problem };
}
