/**
 * `growlab compare DIR...`: a table of finished runs (final SWD, FID, KID, class coverage, G and D
 * depth and parameters, images used, wall time, backend) and an SVG figure of a metric against
 * images seen, with every growth event marked.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { StageMetrics } from '../core/evaluate';
import { UsageError, type RunFile } from './train';

export type CompareMetric = 'swd' | 'fid' | 'kid';

export interface RunSummary {
  name: string;
  /** Final metrics: at the data resolution where the run recorded them (`final`), else its last stage's. */
  mode: string;
  dataset: string;
  seed: number;
  metrics?: StageMetrics;
  depth: { G: number; D: number };
  params: { G: number; D: number };
  resolution: number;
  images: number;
  wallSeconds?: number;
  backend: string;
  /** [images, value] after each stage, for the figure. */
  curve: Partial<Record<CompareMetric, [number, number][]>>;
  /** Images at which a growth opened a stage. */
  growths: number[];
}

export async function readRun(dir: string): Promise<RunFile> {
  const path = join(dir, 'run.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new UsageError(`${path} does not exist: give folders written by growlab train`);
  }
  let run: RunFile;
  try {
    run = JSON.parse(text) as RunFile;
  } catch {
    throw new UsageError(`${path} is not JSON (a run interrupted while writing?)`);
  }
  if (run.version !== 1 || !Array.isArray(run.stages)) throw new UsageError(`${path} is not a GrowLab run`);
  return run;
}

export const metricValue = (m: StageMetrics | undefined, metric: CompareMetric): number | undefined =>
  metric === 'swd' ? m?.swd?.avg : metric === 'fid' ? m?.fid?.value : m?.kid?.mean;

export function summarizeRun(dir: string, run: RunFile): RunSummary {
  const last = run.stages.at(-1);
  if (!last) throw new UsageError(`${dir}/run.json has no finished stage`);
  const curve: RunSummary['curve'] = {};
  for (const metric of ['swd', 'fid', 'kid'] as const)
    curve[metric] = run.stages.flatMap((s) => {
      const v = metricValue(s.metrics, metric);
      return v === undefined ? [] : [[s.imagesEnd, v] as [number, number]];
    });
  const growths = run.stages.filter((s) => s.action).map((s) => s.imagesStart);
  const summary: RunSummary = {
    name: basename(dir),
    mode: run.config.mode,
    dataset: run.dataset.name,
    seed: run.config.seed,
    // A dggan run's final model may be a candidate that had no training stage after it.
    depth: run.search?.final.depth ?? last.depth,
    params: run.search?.final.params ?? last.params,
    resolution: run.search?.final.resolution ?? last.resolution,
    images: run.search?.imagesUsed ?? last.imagesEnd,
    backend: run.backend.backend,
    curve,
    growths,
  };
  const final = run.final ?? last.metrics;
  if (final) summary.metrics = final;
  if (run.wallSeconds !== undefined) summary.wallSeconds = run.wallSeconds;
  return summary;
}

const fmt = (v: number | undefined, digits: number) => (v === undefined ? '—' : v.toFixed(digits));

export function compareTable(runs: RunSummary[]): string {
  const rows = [
    '| run | mode | data | SWD ×1e3 | FID | KID | classes | G depth / params | D depth / params | res | kimg | wall | backend |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...runs.map((r) =>
      [
        r.name,
        r.mode,
        r.dataset,
        fmt(r.metrics?.swd?.avg, 1),
        fmt(r.metrics?.fid?.value, 2),
        r.metrics?.kid ? `${r.metrics.kid.mean.toFixed(3)} ± ${r.metrics.kid.std.toFixed(3)}` : '—',
        r.metrics?.coverage ? `${r.metrics.coverage.classesFound}/${r.metrics.coverage.classes}` : '—',
        `${r.depth.G} / ${r.params.G.toLocaleString('en')}`,
        `${r.depth.D} / ${r.params.D.toLocaleString('en')}`,
        `${r.resolution}`,
        (r.images / 1000).toFixed(1),
        r.wallSeconds === undefined ? '—' : `${(r.wallSeconds / 60).toFixed(1)} min`,
        r.backend,
      ].join(' | '),
    ).map((line) => `| ${line} |`),
  ];
  const labels = [...new Set(runs.flatMap((r) => [r.metrics?.fid?.label, r.metrics?.kid?.label].filter(Boolean)))];
  return [...rows, '', ...labels.map((l) => `- ${l}`)].join('\n');
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** A line per run of `metric` against images seen; dashed lines mark growths. Plain SVG. */
export function compareFigure(runs: RunSummary[], metric: CompareMetric): string {
  const W = 720;
  const H = 420;
  const m = { l: 64, r: 180, t: 30, b: 48 };
  const pts = runs.flatMap((r) => r.curve[metric] ?? []);
  if (pts.length === 0) throw new UsageError(`no run has ${metric.toUpperCase()} values to plot (metrics need --metrics ${metric})`);
  const xMax = Math.max(...runs.map((r) => r.images), ...pts.map((p) => p[0])) || 1;
  const yMax = Math.max(...pts.map((p) => p[1])) * 1.05 || 1;
  const x = (v: number) => m.l + (v / xMax) * (W - m.l - m.r);
  const y = (v: number) => H - m.b - (v / yMax) * (H - m.t - m.b);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${m.l}" y="18" font-size="14">${metric.toUpperCase()} against images seen (lower is better; dashed: growth)</text>`,
    `<line x1="${m.l}" y1="${H - m.b}" x2="${W - m.r}" y2="${H - m.b}" stroke="black"/>`,
    `<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${H - m.b}" stroke="black"/>`,
    `<text x="${(m.l + W - m.r) / 2}" y="${H - 12}" text-anchor="middle">images seen (thousands)</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const xv = (xMax * i) / 4;
    const yv = (yMax * i) / 4;
    out.push(`<text x="${x(xv)}" y="${H - m.b + 16}" text-anchor="middle">${(xv / 1000).toFixed(1)}</text>`);
    out.push(`<text x="${m.l - 6}" y="${y(yv) + 4}" text-anchor="end">${yv.toPrecision(3)}</text>`);
  }
  runs.forEach((r, i) => {
    const c = COLORS[i % COLORS.length]!;
    for (const g of r.growths) out.push(`<line x1="${x(g)}" y1="${m.t}" x2="${x(g)}" y2="${H - m.b}" stroke="${c}" stroke-dasharray="3 4" stroke-opacity="0.5"/>`);
    const curve = r.curve[metric] ?? [];
    if (curve.length) out.push(`<polyline fill="none" stroke="${c}" stroke-width="2" points="${curve.map(([a, b]) => `${x(a).toFixed(1)},${y(b).toFixed(1)}`).join(' ')}"/>`);
    for (const [a, b] of curve) out.push(`<circle cx="${x(a).toFixed(1)}" cy="${y(b).toFixed(1)}" r="3" fill="${c}"/>`);
    out.push(`<text x="${W - m.r + 10}" y="${m.t + 16 * i + 10}" fill="${c}">${esc(`${r.name} (${r.mode})`)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}

export async function compare(dirs: string[], figure: string | undefined, metric: CompareMetric): Promise<string> {
  if (dirs.length === 0) throw new UsageError('give at least one run folder');
  const runs = await Promise.all(dirs.map(async (d) => summarizeRun(d, await readRun(d))));
  if (figure) await writeFile(figure, compareFigure(runs, metric));
  return compareTable(runs) + (figure ? `\n\nfigure: ${figure}` : '');
}
