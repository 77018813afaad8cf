/** The `growlab` command line: the same engine as the browser lab, headless in Node. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { METRIC_NAMES, type MetricName } from '../core/evaluate';
import { LOSS_NAMES } from '../core/loss';
import { NODE_BACKENDS } from './nodeBackend';
import { compare, type CompareMetric } from './compare';
import { metrics, type MetricsOptions } from './metrics';
import { resumeSearch } from './search';
import { DATASETS, MODES, train, UsageError, type TrainOptions } from './train';

function positiveInt(name: string, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1 || n > max)
      throw new InvalidArgumentError(`${name} must be a whole number from 1 to ${max}, got '${value}'.`);
    return n;
  };
}

function positiveNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n <= 0)
      throw new InvalidArgumentError(`${name} must be a number greater than 0, got '${value}'.`);
    return n;
  };
}

function probability(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 1) throw new InvalidArgumentError(`must be a number in (0, 1], got '${value}'.`);
  return n;
}

function powerOfTwo(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 8 || n > 256 || (n & (n - 1)) !== 0)
    throw new InvalidArgumentError(`must be a power of two from 8 to 256, got '${value}'.`);
  return n;
}

function seed(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`must be a whole number ≥ 0, got '${value}'.`);
  return n;
}

function metricList(value: string): MetricName[] {
  if (value.trim() === 'none') return [];
  const names = value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const bad = names.filter((n) => !(METRIC_NAMES as readonly string[]).includes(n));
  if (bad.length > 0 || names.length === 0)
    throw new InvalidArgumentError(`unknown metric '${bad[0] ?? value}': use any of ${METRIC_NAMES.join(', ')}, comma-separated, or none.`);
  return [...new Set(names)] as MetricName[];
}

const program = new Command()
  .name('growlab')
  .description('GrowLab: grow a GAN while it trains (Dynamically Grown GANs, AAAI 2021) — headless CLI')
  .showHelpAfterError('(run with --help for usage)')
  .configureOutput({ outputError: (s, write) => write(`growlab: ${s.replace(/^error: /, '')}`) });

program
  .command('train')
  .description('grow and train a GAN stage by stage; writes run.json and one sample grid per stage')
  .addOption(new Option('--dataset <name>', 'training data').choices(DATASETS).default('shapes'))
  .option('--resolution <px>', 'data resolution, a power of two (8–256): growth stops there', powerOfTwo, 32)
  .option('--dataset-size <n>', 'images generated for procedural data sets', positiveInt('--dataset-size', 100_000), 2048)
  .addOption(new Option('--mode <mode>', 'manual: follow --actions; progan: fixed lockstep schedule; dggan: grow by searching').choices(MODES).default('manual'))
  .option('--actions <list>', 'manual growth steps, comma-separated: g:KxKxW (conv on G), d:KxKxW (conv on D), res:W or res:Wg/Wd (double the resolution)')
  .option('--kimg-per-stage <k>', 'thousands of real images shown to D per stage', positiveNumber('--kimg-per-stage'), 2)
  .option('--fade-kimg <k>', 'thousands of images over which a growth fades in (default: half a stage)', positiveNumber('--fade-kimg'))
  .option('--batch <n>', 'minibatch size', positiveInt('--batch', 1024), 16)
  .option('--lr <rate>', 'Adam learning rate (β = 0, 0.99 as in ProGAN)', positiveNumber('--lr'), 1e-3)
  .addOption(new Option('--loss <name>', 'GAN loss').choices(LOSS_NAMES).default('wgan-gp'))
  .option('--latent <n>', 'latent dimension', positiveInt('--latent', 1024), 64)
  .option('--width <n>', 'channels of the 4×4 blocks of G and D', positiveInt('--width', 256), 64)
  .option('--max-width <n>', 'widest layer a growth may add (the search space; --actions are checked against it)', positiveInt('--max-width', 256), 256)
  .option('--samples <n>', 'images in each sample grid', positiveInt('--samples', 256), 64)
  .option('--mirror', 'augment the real images with random horizontal flips', false)
  .option('--budget-kimg <k>', 'dggan: thousands of images for the whole run, candidates included', positiveNumber('--budget-kimg'))
  .option('--candidate-kimg <k>', 'dggan: thousands of images each candidate trains before scoring (default: half a stage)', positiveNumber('--candidate-kimg'))
  .option('--top-k <k>', 'dggan: parents per growth stage (the best K models so far)', positiveInt('--top-k', 100), 3)
  .option('--keep-p <p>', 'dggan: probability that a legal action becomes a candidate', probability, 0.5)
  .option('--min-candidates <n>', 'dggan: candidates per growth stage at least (each kind of action is always tried)', positiveInt('--min-candidates', 100), 3)
  .option('--no-reach-resolution', 'dggan: do not reserve budget to end at the data resolution (the search may stop below it)')
  .option('--metrics <list>', 'metrics after every stage: any of swd,fid,kid, or none (SWD needs ≥ 16 px)', metricList, [...METRIC_NAMES])
  .option('--eval-samples <n>', 'real and generated images per metric evaluation', positiveInt('--eval-samples', 10_000), 512)
  .option('--seed <n>', 'random seed: the same seed on the same backend repeats a run', seed, 1)
  .addOption(new Option('--backend <name>', 'tfjs backend').choices(NODE_BACKENDS).default('wasm'))
  .option('--out <dir>', 'output folder (created if missing)')
  .option('--resume <dir>', 'continue the interrupted dggan run in <dir> from its last checkpoint (its own settings)')
  .addHelpText('after', '\nExample:\n  npx growlab train --dataset shapes --mode manual --actions "g:3x3x32,res:32,d:5x5x16,g:1x1x32" \\\n    --kimg-per-stage 2 --batch 16 --seed 1 --out runs/demo\n  npx growlab train --dataset mnist --mode dggan --budget-kimg 20 --kimg-per-stage 2 --out runs/dggan')
  .action(async (opts: TrainOptions & { resume?: string }) => {
    const log = (line: string) => console.log(line);
    if (opts.resume) await resumeSearch(opts.resume, log);
    else if (!opts.out) throw new UsageError("required option '--out <dir>' not specified");
    else await train(opts, `growlab ${process.argv.slice(2).join(' ')}`, log);
  });

/** Every failure ends as one readable line (the stack with GROWLAB_DEBUG=1). */
function fail(err: unknown): void {
  const e = err instanceof Error ? err : new Error(String(err));
  console.error(`growlab: ${e instanceof UsageError ? '' : 'error: '}${e.message}`);
  if (process.env.GROWLAB_DEBUG) console.error(e.stack);
  process.exitCode = e instanceof UsageError ? 2 : 1;
}
process.on('uncaughtException', (e) => (fail(e), process.exit()));
process.on('unhandledRejection', (e) => (fail(e), process.exit()));

program
  .command('metrics')
  .description('SWD, FID and KID between two image sets (folders of PNG/JPEG/GIF, or .npy uint8 [N,H,W,C])')
  .requiredOption('--real <path>', 'real images: a folder or a .npy file')
  .requiredOption('--fake <path>', 'generated images: a folder or a .npy file')
  .option('--metrics <list>', 'any of swd,fid,kid', metricList, [...METRIC_NAMES])
  .option('--features <dataset>', 'feature network for FID/KID and class coverage: mnist, fashion-mnist, emoji or shapes')
  .option('--save-features <dir>', 'also write real_features.npy and fake_features.npy there')
  .option('--json', 'print one JSON object')
  .option('--seed <n>', 'random seed of SWD patches/directions and KID subsets', seed, 1)
  .addOption(new Option('--backend <name>', 'tfjs backend').choices(NODE_BACKENDS).default('wasm'))
  .addHelpText('after', '\nExample:\n  npx growlab metrics --real reals/ --fake fakes.npy --metrics swd,fid,kid --features mnist --json')
  .action(async (opts: MetricsOptions) => {
    const result = await metrics(opts);
    if (opts.json) console.log(JSON.stringify(result));
    else console.log(describeResult(result));
  });

program
  .command('compare')
  .description('compare finished runs: a table of final metrics and architectures, and a figure of a metric against images seen')
  .argument('<dirs...>', 'run folders written by growlab train')
  .option('--figure <file.svg>', 'write the figure there')
  .addOption(new Option('--metric <name>', 'metric of the figure').choices(['swd', 'fid', 'kid']).default('swd'))
  .action(async (dirs: string[], opts: { figure?: string; metric: CompareMetric }) => {
    console.log(await compare(dirs, opts.figure, opts.metric));
  });

/** A readable summary of `growlab metrics` (the JSON has every field). */
function describeResult(r: Record<string, unknown>): string {
  const lines: string[] = [];
  const swdR = r.swd as { avg: number; levels: { res: number; swd: number }[]; label: string } | undefined;
  if (swdR) lines.push(`${swdR.label}: ${swdR.avg.toFixed(2)} (${swdR.levels.map((l) => `${l.res}px ${l.swd.toFixed(2)}`).join(', ')})`);
  const fidR = r.fid as { fid: number; label: string; warning?: string } | undefined;
  if (fidR) lines.push(`${fidR.label}: ${fidR.fid.toFixed(3)}${fidR.warning ? ` — ${fidR.warning}` : ''}`);
  const kidR = r.kid as { mean: number; std: number; label: string } | undefined;
  if (kidR) lines.push(`${kidR.label}: ${kidR.mean.toFixed(5)} ± ${kidR.std.toFixed(5)}`);
  const cov = r.coverage as { classesFound: number; classes: number; meanConfidence: number; label: string } | undefined;
  if (cov) lines.push(`${cov.label}: ${cov.classesFound}/${cov.classes} classes, mean confidence ${cov.meanConfidence.toFixed(3)}`);
  return lines.join('\n');
}

try {
  await program.parseAsync(process.argv);
} catch (e) {
  fail(e);
}
