/**
 * `npm run experiment`: DGGAN against ProGAN at equal image budgets on MNIST and Fashion-MNIST at
 * 32×32, three seeds each, two runs at a time (one per core). Writes runs under
 * runs/experiment/, then docs/results.md (table with mean ± std, figures, sample grids, the
 * architectures DGGAN chose, wall time and machine) and docs/results/ (SVG figures, PNG grids).
 *
 *   npm run experiment                  the full experiment (~1 hour on 2 cores)
 *   npm run experiment -- --report      only rewrite docs/results.md from finished runs
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { compareFigure, compareTable, readRun, summarizeRun, type RunSummary } from '../src/cli/compare';

const DATASETS = ['mnist', 'fashion-mnist'];
const SEEDS = [1, 2, 3];
const BUDGET_KIMG = 16;
// Both methods grow layers of at most 64 channels (ProGAN's widths at --width 64): the search may not buy
// quality with compute the baseline does not have (a 256-channel 32×32 layer costs 64× a 32-channel one).
const COMMON = ['--resolution', '32', '--batch', '16', '--eval-samples', '512', '--max-width', '64'];
const MODES: Record<string, string[]> = {
  // ProGAN: 4 stages of 4 kimg (4×4 → 32×32), its fixed schedule.
  progan: ['--mode', 'progan', '--kimg-per-stage', String(BUDGET_KIMG / 4)],
  dggan: ['--mode', 'dggan', '--budget-kimg', String(BUDGET_KIMG), '--kimg-per-stage', '2', '--candidate-kimg', '0.5', '--top-k', '2', '--keep-p', '0.12'],
};
const OUT = 'runs/experiment';

const jobs = DATASETS.flatMap((dataset) => SEEDS.flatMap((seed) => Object.keys(MODES).map((mode) => ({ dataset, seed, mode, dir: join(OUT, `${dataset}-${mode}-s${seed}`) }))));

function runJob(j: (typeof jobs)[number]): Promise<void> {
  return new Promise((resolve, reject) => {
    const args = ['bin/growlab.js', 'train', '--dataset', j.dataset, '--seed', String(j.seed), ...COMMON, ...MODES[j.mode]!, '--out', j.dir];
    const t0 = Date.now();
    const p = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('close', (code) => {
      console.log(`${code === 0 ? 'done' : 'FAILED'} ${j.dir} in ${((Date.now() - t0) / 60000).toFixed(1)} min${code === 0 ? '' : `: ${err.trim()}`}`);
      if (code === 0) resolve();
      else reject(new Error(`${j.dir} failed`));
    });
  });
}

async function runAll(): Promise<number> {
  const t0 = Date.now();
  const queue = [...jobs];
  const workers = Math.max(1, Math.min(2, cpus().length));
  await Promise.all(Array.from({ length: workers }, async () => {
    for (let j = queue.shift(); j; j = queue.shift()) await runJob(j);
  }));
  return (Date.now() - t0) / 1000;
}

const meanStd = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const s = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1));
  return `${m.toFixed(2)} ± ${s.toFixed(2)}`;
};

/** DGGAN against ProGAN on each measure, in words: better, worse, or within one standard deviation. */
function verdict(runs: RunSummary[]): string {
  const stats = (mode: string, f: (r: RunSummary) => number | undefined) => {
    const xs = runs.filter((r) => r.mode === mode).map(f).filter((x): x is number => x !== undefined);
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    return { m, s: Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1)) };
  };
  const measures: [string, (r: RunSummary) => number | undefined, boolean][] = [
    ['SWD', (r) => r.metrics?.swd?.avg, true],
    ['FID', (r) => r.metrics?.fid?.value, true],
    ['KID', (r) => r.metrics?.kid?.mean, true],
    ['classes found', (r) => r.metrics?.coverage?.classesFound, false],
  ];
  const parts = measures.map(([name, f, lowerBetter]) => {
    const d = stats('dggan', f);
    const p = stats('progan', f);
    const apart = Math.abs(d.m - p.m) > Math.max(d.s, p.s);
    const better = lowerBetter ? d.m < p.m : d.m > p.m;
    return `${name} ${apart ? (better ? '**better**' : 'worse') : 'within one std'} (${d.m.toFixed(1)} vs ${p.m.toFixed(1)})`;
  });
  return `DGGAN against ProGAN, means over the seeds: ${parts.join('; ')}.`;
}

async function report(totalSeconds: number | null): Promise<void> {
  await mkdir('docs/results', { recursive: true });
  const lines = ['# Results: DGGAN against ProGAN', ''];
  lines.push(
    `Produced by \`npm run experiment\` on ${new Date().toISOString().slice(0, 10)}: ${jobs.length} runs, ${DATASETS.join(' and ')} at 32×32, seeds ${SEEDS.join(', ')}, ` +
      `${BUDGET_KIMG} kimg per run for both methods (every image DGGAN's candidates see counts), batch 16, wasm on ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}` +
      (totalSeconds === null ? '.' : `, ${(totalSeconds / 60).toFixed(0)} minutes in all (two runs at a time; per-run minutes include any other load on the machine).`),
    '',
    'Final metrics are measured at 32×32 on 512 generated and 512 real images (generators below 32 px are upsampled).',
    'SWD ×1e3 (ProGAN); FID and KID on the data set\'s own small feature network (not Inception); lower is better.',
    '',
  );
  for (const dataset of DATASETS) {
    const runs: RunSummary[] = [];
    for (const j of jobs.filter((x) => x.dataset === dataset)) runs.push(summarizeRun(j.dir, await readRun(j.dir)));
    lines.push(`## ${dataset}`, '', '| method | SWD ×1e3 | FID | KID | classes found | G depth | D depth | resolution | minutes |', '|---|---|---|---|---|---|---|---|---|');
    for (const mode of Object.keys(MODES)) {
      const rs = runs.filter((r) => r.mode === mode);
      const col = (f: (r: RunSummary) => number | undefined) => {
        const xs = rs.map(f).filter((x): x is number => x !== undefined);
        return xs.length ? meanStd(xs) : '—';
      };
      lines.push(
        `| ${mode} | ${col((r) => r.metrics?.swd?.avg)} | ${col((r) => r.metrics?.fid?.value)} | ${col((r) => r.metrics?.kid?.mean)} | ${col((r) => r.metrics?.coverage?.classesFound)} | ${col((r) => r.depth.G)} | ${col((r) => r.depth.D)} | ${col((r) => r.resolution)} | ${col((r) => (r.wallSeconds ?? 0) / 60)} |`,
      );
    }
    lines.push('', verdict(runs), '', '<details><summary>Every run</summary>', '', compareTable(runs), '', '</details>', '');
    const fig = `docs/results/${dataset}-swd.svg`;
    await writeFile(fig, compareFigure(runs, 'swd'));
    lines.push(`![SWD at 32×32 against images seen; dashed lines: growths](results/${dataset}-swd.svg)`, '');
    for (const mode of Object.keys(MODES)) {
      const j = jobs.find((x) => x.dataset === dataset && x.mode === mode && x.seed === SEEDS[0])!;
      const src = mode === 'dggan' ? join(j.dir, 'samples-final.png') : join(j.dir, `samples-stage-3.png`);
      const dst = `docs/results/${dataset}-${mode}-samples.png`;
      await copyFile(src, dst).catch(() => undefined);
      lines.push(`${mode}, seed ${SEEDS[0]}: ![${mode} samples](results/${dataset}-${mode}-samples.png)`, '');
    }
    lines.push('Architectures DGGAN chose (final model of each seed):', '');
    for (const j of jobs.filter((x) => x.dataset === dataset && x.mode === 'dggan')) {
      const run = await readRun(j.dir);
      const g = run.search?.final.genome;
      if (!g) continue;
      const convs = (blocks: { res: number; layers: { kernel: number; out: number; in: number }[] }[]) =>
        blocks.map((b) => `${b.res}px[${b.layers.map((l) => `${l.kernel}×${l.kernel}`).join(' ')}]`).join(' ');
      lines.push(`- seed ${j.seed}: G ${convs(g.g.blocks)} · D ${convs(g.d.blocks)}; chosen growths: ${run.stages.filter((s) => s.action).map((s) => s.action).join(', ') || 'none'}; ${run.search!.history.length} models tried`);
    }
    lines.push('');
  }
  lines.push(
    '## Reading the result',
    '',
    'The verdict lines under each table are computed from the runs. Where DGGAN is behind, it is for the reason the budget makes plain: ' +
      '16 kimg is a tiny budget for a search (ProGAN spends all of it training one model; DGGAN spends about a third on candidates it throws ' +
      'away), and DGGAN\'s published gains come at hundreds of kimg per stage. Where it is ahead, it is with the architectures above: the ' +
      'search chooses its widths and, when it can afford it, extra convolutions (G and D differently), and ends at the data resolution ' +
      'because of the deadline.',
    '',
    '## What was tried, measured each time with this command (never by weakening the baseline)',
    '',
    '1. **Earlier session** (3-kimg stages, 1-kimg candidates, at least 2 candidates drawn at random from all legal actions): the search ended ' +
      'at 4×4 or 8×8. MNIST: SWD 159.5 ± 8.1, FID 157.0 ± 6.1; Fashion-MNIST: SWD 148.8 ± 36.7, FID 66.4 ± 7.8. Fixes then: parents re-scored ' +
      'every stage, candidates scored after their fade, the EMA warm-up restarted after a growth, candidates capped by the budget.',
    '2. **Every kind of action at every stage, and a resolution deadline** (2-kimg stages, 0.5-kimg candidates, at least 3 candidates: a G conv, ' +
      'a D conv and a resolution growth are always among them; a parent that could no longer afford its remaining resolution growths ' +
      'proposes only those). MNIST: SWD 147.1 ± 32.8, FID 101.4 ± 22.5, KID 51.7 ± 11.9; Fashion-MNIST: SWD 127.5 ± 7.3, FID 53.0 ± 2.4 and ' +
      'KID 8.0 ± 1.2 — better than ProGAN\'s 56.5 ± 6.1 and 9.4 ± 0.6 — but 4 of the 6 final models were still below 32×32: stale ' +
      'low-resolution models among the top-K were grown late, and a stage could spend the images the deadline had counted on.',
    '3. **Dead ends and reserved budget**: a model that can no longer reach the data resolution is no parent, and a stage leaves the images ' +
      'the remaining resolution growths need. Stopped after 30 minutes: one run doubled to 32×32 with 256 channels (the action space allowed ' +
      '2× the width at each growth), a layer 64× as expensive as ProGAN\'s, and needed 25 minutes for one stage.',
    '4. **This run** (the runs on this page, trained by commit 8a48370): the same, with layers of at most 64 channels for both methods (`--max-width 64`; ProGAN\'s own widths are 64 → 32 at ' +
      '`--width 64`), so the search cannot buy quality with compute the baseline does not have. On MNIST all three searches reach 32×32 ' +
      'with a deeper G than D (a 5×5 or 1×1 conv added to G) and come within one standard deviation of ProGAN on SWD, FID and KID — but ' +
      'erratically: seed 3 beats every ProGAN run (SWD 53.5, FID 54.5, 7 classes) while seeds 1 and 2 collapse onto 2–3 digit classes ' +
      '(seed 1\'s grid above is nearly all zeros). The search\'s score (SWD or KID on 256 samples) does not see mode collapse; adding class ' +
      'coverage to it is the next thing to try. On ' +
      'Fashion-MNIST two of three still ended below 32×32 — a bug this run exposed: the deadline costed a 0.5-kimg candidate as 500 images ' +
      'while training runs whole batches (512 at batch 16), so its reserve fell short by a few dozen images a stage, every model turned into a ' +
      '"dead end", and the fallback grew stale 4×4 models. Fixed after this run (stages costed in whole batches, the budget never overrun, ' +
      'and when every model is a dead end the ones closest to the data resolution climb), with a unit test; not yet re-measured.',
    '',
    'Next to try: a score that sees mode collapse (class coverage beside SWD); longer budgets (the search\'s overhead shrinks as stages grow); scoring candidates by their improvement over their parent; ' +
      'a compute-aware score (FLOPs as well as SWD), so wide layers must earn their cost.',
    '',
  );
  await writeFile('docs/results.md', lines.join('\n'));
  console.log('wrote docs/results.md');
}

// The total wall time is kept beside the runs so `--report` can rewrite the page later.
const timing = join(OUT, 'timing.json');
let total: number | null = null;
if (process.argv.includes('--report')) {
  total = (JSON.parse(await readFile(timing, 'utf8').catch(() => '{}')) as { totalSeconds?: number }).totalSeconds ?? null;
} else {
  total = await runAll();
  await writeFile(timing, JSON.stringify({ totalSeconds: total }));
}
await report(total);
