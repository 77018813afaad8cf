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
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { compareFigure, compareTable, readRun, summarizeRun, type RunSummary } from '../src/cli/compare';

const DATASETS = ['mnist', 'fashion-mnist'];
const SEEDS = [1, 2, 3];
const BUDGET_KIMG = 16;
const COMMON = ['--resolution', '32', '--batch', '16', '--eval-samples', '512'];
const MODES: Record<string, string[]> = {
  // ProGAN: 4 stages of 4 kimg (4×4 → 32×32), its fixed schedule.
  progan: ['--mode', 'progan', '--kimg-per-stage', String(BUDGET_KIMG / 4)],
  dggan: ['--mode', 'dggan', '--budget-kimg', String(BUDGET_KIMG), '--kimg-per-stage', '3', '--candidate-kimg', '1', '--top-k', '2', '--keep-p', '0.12'],
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

async function report(totalSeconds: number | null): Promise<void> {
  await mkdir('docs/results', { recursive: true });
  const lines = ['# Results: DGGAN against ProGAN', ''];
  lines.push(
    `Produced by \`npm run experiment\` on ${new Date().toISOString().slice(0, 10)}: ${jobs.length} runs, ${DATASETS.join(' and ')} at 32×32, seeds ${SEEDS.join(', ')}, ` +
      `${BUDGET_KIMG} kimg per run for both methods (every image DGGAN's candidates see counts), batch 16, wasm on ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}` +
      (totalSeconds === null ? '.' : `, ${(totalSeconds / 60).toFixed(0)} minutes in all (two runs at a time).`),
    '',
    'Final metrics are measured at 32×32 on 512 generated and 512 real images (generators below 32 px are upsampled).',
    'SWD ×1e3 (ProGAN); FID and KID on the data set\'s own small feature network (not Inception); lower is better.',
    '',
  );
  for (const dataset of DATASETS) {
    const runs: RunSummary[] = [];
    for (const j of jobs.filter((x) => x.dataset === dataset)) runs.push(summarizeRun(j.dir, await readRun(j.dir)));
    lines.push(`## ${dataset}`, '', '| method | SWD ×1e3 | FID | KID ×1e3 | classes found | G depth | D depth | resolution | minutes |', '|---|---|---|---|---|---|---|---|---|');
    for (const mode of Object.keys(MODES)) {
      const rs = runs.filter((r) => r.mode === mode);
      const col = (f: (r: RunSummary) => number | undefined) => {
        const xs = rs.map(f).filter((x): x is number => x !== undefined);
        return xs.length ? meanStd(xs) : '—';
      };
      lines.push(
        `| ${mode} | ${col((r) => r.metrics?.swd?.avg)} | ${col((r) => r.metrics?.fid?.value)} | ${col((r) => (r.metrics?.kid ? r.metrics.kid.mean * 1e3 : undefined))} | ${col((r) => r.metrics?.coverage?.classesFound)} | ${col((r) => r.depth.G)} | ${col((r) => r.depth.D)} | ${col((r) => r.resolution)} | ${col((r) => (r.wallSeconds ?? 0) / 60)} |`,
      );
    }
    lines.push('', '<details><summary>Every run</summary>', '', compareTable(runs), '', '</details>', '');
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
  await writeFile('docs/results.md', lines.join('\n'));
  console.log('wrote docs/results.md');
}

const total = process.argv.includes('--report') ? null : await runAll();
await report(total);
