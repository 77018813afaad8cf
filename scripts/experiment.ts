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
    'At this budget the search loses to the fixed ProGAN schedule: on MNIST on every measure, on Fashion-MNIST on SWD, FID and class ' +
      'coverage (KID is within one standard deviation). The reason is visible in the architectures above: it mostly ends at 4×4 or 8×8 ' +
      '(one Fashion-MNIST seed reached 16×16, with a deeper G than D) while ProGAN reaches 32×32. A resolution growth adds random layers whose fade-in has just finished when the ' +
      'candidate is scored after 1 kimg; such a candidate still scores worse than a 4×4 model that only added a conv, so the greedy choice ' +
      'keeps the resolution low, and 16 kimg leave no room to recover. ProGAN, by construction, spends its budget climbing the resolutions.',
    '',
    'What this session changed in the search before this run (each a fix of a measured failure): every model that can still be a parent is ' +
      're-scored at each growth stage (stale early scores kept the initial model as everyone\'s parent); candidates finish their fade-in before ' +
      'they are scored; the EMA generator restarts its warm-up after a growth (it lagged behind a grown model); a stage proposes no more candidates ' +
      'than the budget can train. Before these changes the search ended at 4×4 on MNIST seed 1; now 8×8.',
    '',
    'Next to try, without weakening the baseline: score candidates by their improvement over their parent at the same resolution rather than ' +
      'across resolutions; give resolution growths a longer candidate budget (their fade alone takes half of it); measure all candidates with one ' +
      'metric (SWD is defined for every model because fakes are upsampled to 32×32) instead of ranking KID-scored models below SWD-scored ones; ' +
      'larger budgets, since DGGAN\'s published gains come at hundreds of kimg per stage.',
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
