/**
 * `growlab train --mode dggan`: the dynamic growing search on a data set, within an image budget
 * (candidates included). Writes run.json (every candidate with its parent, action, score and
 * architecture; the final model; losses of every step), samples-final.png, and checkpoint.json
 * between stages: `growlab train --resume DIR` continues an interrupted search exactly.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createBaseGenome } from '../core/genome';
import { evaluate } from '../core/evaluate';
import { loadFeatureNet } from '../core/metrics/featureNets';
import { Rng } from '../core/rng';
import { searchScoreProblem, searchScorer } from '../core/search/score';
import { DEFAULT_SEARCH, runSearch, type SearchCheckpoint } from '../core/search/search';
import { readCheckpoint, writeCheckpoint, type RunMarks } from './checkpointFile';
import { Trainer } from '../core/trainer';
import { useNodeBackend } from './nodeBackend';
import { closeRun, describeMetrics, failRun, loadDataset, newRunFile, trainerConfig, UsageError, writeGrid, writeJson, type RunFile, type TrainOptions } from './train';

/** Samples per search score: small, the score only has to rank candidates of one stage. */
export const SEARCH_EVAL_SAMPLES = 256;

/** The interrupted run as it was at its checkpoint: later losses and stages are dropped (they are trained again). */
function resumedRun(old: RunFile, marks: RunMarks, command: string): RunFile {
  const { error: _e, finishedAt: _f, wallSeconds: _w, ...rest } = old;
  return { ...rest, status: 'running', command: `${old.command} && ${command}`, losses: old.losses.slice(0, marks.losses), stages: old.stages.slice(0, marks.stages) };
}

export async function trainSearch(
  o: TrainOptions,
  command: string,
  log: (line: string) => void,
  resume?: { run: RunFile; checkpoint: SearchCheckpoint & { marks: RunMarks } },
): Promise<RunFile> {
  if (o.actions) throw new UsageError('--actions is only for --mode manual (dggan searches for its own actions)');
  if (!o.budgetKimg) throw new UsageError('--mode dggan needs --budget-kimg (all images of the run, candidates included), e.g. --budget-kimg 20');
  const backend = await useNodeBackend(o.backend);
  const data = loadDataset(o);
  await mkdir(o.out, { recursive: true });
  const net = await loadFeatureNet(data.name);
  const scoreProblem = searchScoreProblem(data, net);
  if (scoreProblem) throw new UsageError(scoreProblem);
  const rng = new Rng(o.seed);
  const cfg = {
    ...DEFAULT_SEARCH,
    topK: o.topK,
    keepProbability: o.keepP,
    minCandidates: o.minCandidates ?? DEFAULT_SEARCH.minCandidates,
    reachResolution: o.reachResolution ?? true,
    stageImages: Math.round(o.kimgPerStage * 1000),
    candidateImages: Math.round((o.candidateKimg ?? o.kimgPerStage / 2) * 1000),
    budgetImages: Math.round(o.budgetKimg * 1000),
    batch: o.batch,
    mirror: o.mirror,
  };
  // A candidate is scored after its fade-in has finished (by default over half its images), so
  // a new layer is judged with its full effect rather than half blended in.
  const config = { ...trainerConfig(o), fadeImages: Math.round((o.fadeKimg ?? cfg.candidateImages / 2000) * 1000) };
  const initial = resume ? null : new Trainer(createBaseGenome({ channels: data.channels, latent: o.latent, width: o.width }), config, rng.fork());
  const run: RunFile = resume ? resumedRun(resume.run, resume.checkpoint.marks, command) : newRunFile(o, command, backend, data);
  const runPath = join(o.out, 'run.json');
  log(`GrowLab: dggan search on ${data.name} ${data.size}×${data.size}, budget ${o.budgetKimg} kimg (stages ${o.kimgPerStage}, candidates ${cfg.candidateImages / 1000} kimg, top-${cfg.topK}, p = ${cfg.keepProbability}, ≥ ${cfg.minCandidates} candidates${cfg.reachResolution ? ', ends at the data resolution' : ''}), backend ${backend.backend}, seed ${o.seed}`);
  let trainer: Trainer | null = null;
  try {
    const t0 = performance.now();
    let lastImages = 0;
    if (resume) log(`resuming at growth stage ${resume.checkpoint.stage} (${(resume.checkpoint.used / 1000).toFixed(1)} kimg used)`);
    const result = await runSearch(
      resume ? resume.checkpoint : initial!,
      data,
      searchScorer(data, net, { n: SEARCH_EVAL_SAMPLES, seed: o.seed + 11 }),
      cfg,
      rng,
      {
        onEvent: (e) => {
        if (e.type === 'step') {
          run.losses.push({ ...e.point, stage: e.candidateId });
          if (!Number.isFinite(e.point.dLoss) || !Number.isFinite(e.point.gLoss))
            throw new Error(`training diverged at ${e.imagesUsed} images (candidate #${e.candidateId}: D loss ${e.point.dLoss}, G loss ${e.point.gLoss}); try a lower --lr`);
        }
        else if (e.type === 'stage-started') log(`${e.kind === 'grow' ? 'growth' : 'training'} stage ${e.stage} (${(e.imagesUsed / 1000).toFixed(1)}/${o.budgetKimg} kimg used)`);
        else if (e.type === 'candidate-created')
          log(`  candidate #${e.candidate.id}${e.candidate.parentId === null ? '' : ` from #${e.candidate.parentId} + ${e.candidate.action}`}: ${e.candidate.resolution}px, G ${e.candidate.depth.G} convs, D ${e.candidate.depth.D} convs`);
        else if (e.type === 'candidate-scored') {
          lastImages = e.imagesUsed;
          log(`  #${e.id} scored ${e.metric.toUpperCase()} ${e.score.toFixed(4)}`);
        } else log(`  chose #${e.id} (${e.score.toFixed(4)})`);
        },
        onCheckpoint: async (c) => {
          await writeCheckpoint(join(o.out, 'checkpoint.json'), c, { losses: run.losses.length, stages: run.stages.length });
          // Test hook: simulate a crash right after a checkpoint.
          if (Number(process.env.GROWLAB_STOP_AT_STAGE) === c.stage) throw new Error(`stopped at growth stage ${c.stage} (GROWLAB_STOP_AT_STAGE)`);
        },
        afterTraining: async (t, record) => {
        // Each training stage ends with the same full measurement as the other modes.
        const metrics = o.metrics.length > 0 ? await evaluate(t, data, net, { metrics: o.metrics, n: o.evalSamples, seed: o.seed + 7, resolution: data.size }) : undefined;
        run.stages.push({
          index: run.stages.length,
          action: record.action,
          resolution: record.resolution,
          imagesStart: run.stages.at(-1)?.imagesEnd ?? 0,
          imagesEnd: lastImages,
          wallMs: performance.now() - t0,
          genome: t.genome,
          params: record.params,
          depth: record.depth,
          ...(metrics ? { metrics } : {}),
        });
        if (metrics) log(`  model #${record.id}: ${describeMetrics(metrics)}`);
        await writeJson(runPath, run);
        },
      },
    );
    trainer = result.trainer;
    run.search = { history: result.history, final: result.final, imagesUsed: result.imagesUsed };
    const metrics = o.metrics.length > 0 ? await evaluate(trainer, data, net, { metrics: o.metrics, n: o.evalSamples, seed: o.seed + 7, resolution: data.size }) : undefined;
    if (metrics) run.final = metrics;
    const z = trainer.latents(o.samples, new Rng(o.seed + 1_000_003));
    const samples = trainer.sample(z);
    await writeGrid(join(o.out, 'samples-final.png'), samples, data.size);
    samples.dispose();
    z.dispose();
    log(`final model #${result.final.id}: ${result.final.resolution}px, G ${result.final.depth.G} convs/${result.final.params.G} params, D ${result.final.depth.D} convs/${result.final.params.D} params, ${result.history.length} models tried, ${(result.imagesUsed / 1000).toFixed(1)} kimg used`);
    if (metrics) log(`final, at ${data.size}×${data.size}: ${describeMetrics(metrics)}`);
    run.status = 'done';
  } catch (e) {
    failRun(run, e);
  } finally {
    await closeRun(run, runPath);
    trainer?.dispose();
    net.dispose();
  }
  return run;
}

/** Continues the dggan run in `dir` from its last checkpoint, with the run's own settings. */
export async function resumeSearch(dir: string, log: (line: string) => void): Promise<RunFile> {
  const run = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8').catch(() => {
    throw new UsageError(`${dir}/run.json does not exist: --resume needs the folder of a dggan run`);
  })) as RunFile;
  if (run.config.mode !== 'dggan') throw new UsageError(`--resume continues dggan searches; ${dir} holds a ${run.config.mode} run`);
  if (run.status === 'done') throw new UsageError(`${dir} holds a finished run: nothing to resume`);
  const checkpoint = await readCheckpoint(join(dir, 'checkpoint.json')).catch((e: Error) => {
    throw new UsageError(`${dir}/checkpoint.json cannot be read (${e.message}); the run stopped before its first checkpoint`);
  });
  return trainSearch({ ...run.config, out: dir }, `growlab train --resume ${dir}`, log, { run, checkpoint });
}
