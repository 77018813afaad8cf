/**
 * `npm run bench:browser`: the training-step benchmark in headless Chromium, in the engine worker,
 * per backend (WebGPU, WebGL, WASM), plus the backend the ladder picks — numbers, not tests.
 *
 *   npm run bench:browser                  build, serve, and bench every backend
 *   npm run bench:browser -- --full        also the large cases on software GPU adapters (slow)
 *   npm run bench:browser -- --vs-node     also the same cases on wasm in Node, with the ratio
 *   npm run bench:browser -- --no-build    reuse dist/
 *   npm run bench:browser -- --main-thread only the main-thread measurement during a lab run
 *
 * Software adapters (SwiftShader) are 30–60× slower than wasm, so by default they run only the
 * 4×4 and 8×8 cases.
 *
 * Last, the page's main thread during a lab run (the 2-minute demo on wasm, 20 s): long tasks
 * (> 50 ms, PerformanceObserver) and event-loop lag — training must never block the page.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chromium, type Page } from '@playwright/test';
import { CASE_IDS, runCase, type BenchRow, type CaseId } from '../src/core/bench/cases';
import { useNodeBackend } from '../src/cli/nodeBackend';
import type { BackendInfo } from '../src/worker/protocol';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const STEPS = 5;
const PORT = 4174;
const URL_BASE = `http://localhost:${PORT}`;

interface Engine {
  init(o: { backend?: string }): Promise<BackendInfo>;
  benchmark(o: { cases: string[]; steps: number }): Promise<BenchRow[]>;
}

function row(r: BenchRow, extra = ''): string {
  return `  ${r.backend.padEnd(7)} ${r.case.padEnd(38)} ${r.msPerStep.toFixed(0).padStart(7)} ms/step  ${r.imagesPerSec.toFixed(1).padStart(6)} img/s  ${r.gflopPerSec.toFixed(2).padStart(6)} GFLOP/s${extra}`;
}

async function waitForServer(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(URL_BASE)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`vite preview did not start on ${URL_BASE}`);
}

async function open(page: Page, backend?: string): Promise<BackendInfo> {
  await page.goto(backend ? `${URL_BASE}/?backend=${backend}` : URL_BASE);
  await page.waitForSelector('[data-testid=backend][data-status=ready], [data-testid=backend][data-status=error]', { timeout: 180_000 });
  return page.evaluate((b) => (globalThis as unknown as { growlab: { engine: Engine } }).growlab.engine.init(b ? { backend: b } : {}), backend);
}

/** Every case on every backend that starts, after the ladder's own pick. */
async function benchBackends(page: Page): Promise<void> {
  const picked = await open(page);
  console.log(`Chromium ${browser.version()}, the ladder picked: ${picked.backend} (${picked.adapter}, ${picked.threads} thread${picked.threads > 1 ? 's' : ''})`);
  for (const line of picked.attempts) console.log(`  ${line}`);
  for (const backend of ['wasm', 'webgl', 'webgpu']) {
    const p = await browser.newPage();
    let info: BackendInfo;
    try {
      info = await open(p, backend);
    } catch (e) {
      console.log(`\n${backend}: could not start (${(e as Error).message.split('\n')[0]})`);
      await p.close();
      continue;
    }
    const cases: CaseId[] = info.software && !flag('--full') ? ['lab4', 'lab8'] : [...CASE_IDS];
    console.log(`\n${backend}: ${info.adapter}${info.software ? ' — software adapter' : ''}, ${info.threads} thread${info.threads > 1 ? 's' : ''}`);
    for (const id of cases) {
      const [r] = await p.evaluate(
        (o) => (globalThis as unknown as { growlab: { engine: Engine } }).growlab.engine.benchmark(o),
        { cases: [id], steps: STEPS },
      );
      rows.push(r!);
      console.log(row(r!));
    }
    await p.close();
  }
}

/** Long tasks and event-loop lag on the page while the lab trains (numbers, not a test). */
async function mainThreadDuringRun(page: Page): Promise<void> {
  // A string, not a function: tsx would wrap named closures in a helper the page does not have.
  await page.addInitScript(`
    window.__long = [];
    window.__frames = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) => window.__long.push(e.duration))).observe({ type: 'longtask', buffered: true });
    // Event-loop lag: how late a 20 ms timer fires (headless Chromium runs no animation frames).
    let due = performance.now() + 20;
    setTimeout(function tick() {
      const now = performance.now();
      window.__frames.push(Math.max(0, now - due));
      due = now + 20;
      setTimeout(tick, 20);
    }, 20);
  `);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await open(page, 'wasm');
  await page.getByRole('button', { name: '2-minute demo' }).click();
  await page.getByRole('button', { name: 'Start' }).click();
  await page.waitForSelector('[data-testid=run-status][data-status=running]');
  await page.evaluate(() => {
    const w = globalThis as unknown as { __long: number[]; __frames: number[] };
    w.__long = [];
    w.__frames = [];
  });
  const seconds = 20;
  await page.waitForTimeout(seconds * 1000);
  const r = await page.evaluate(() => {
    const w = globalThis as unknown as { __long: number[]; __frames: number[] };
    const images = Number(document.querySelector('[data-testid=images]')?.getAttribute('data-images'));
    return { long: [...w.__long], frames: [...w.__frames], images };
  });
  const sorted = [...r.frames].sort((a, b) => a - b);
  const pct = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const total = r.long.reduce((a, b) => a + b, 0);
  console.log(`
main thread during a lab run (2-minute demo, wasm, ${seconds} s, ${r.images} images trained):`);
  console.log(`  long tasks (> 50 ms): ${r.long.length}, ${total.toFixed(0)} ms in all (${((100 * total) / (seconds * 1000)).toFixed(1)} % of the time), longest ${Math.max(0, ...r.long).toFixed(0)} ms`);
  console.log(`  event-loop lag (a 20 ms timer, ${r.frames.length} samples): median ${pct(0.5).toFixed(1)} ms, p95 ${pct(0.95).toFixed(1)} ms, max ${pct(1).toFixed(1)} ms`);
  await page.close();
}

if (!flag('--no-build')) {
  const b = spawnSync('npx', ['vite', 'build'], { stdio: 'inherit' });
  if (b.status !== 0) throw new Error('vite build failed');
}
const server = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort'], { stdio: 'ignore', detached: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--enable-unsafe-webgpu', '--enable-unsafe-swiftshader', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const rows: BenchRow[] = [];
try {
  await waitForServer();
  const page = await browser.newPage();
  if (!flag('--main-thread')) await benchBackends(page);
  await mainThreadDuringRun(await browser.newPage());
} finally {
  await browser.close();
  if (server.pid) process.kill(-server.pid);
}

if (flag('--vs-node')) {
  await useNodeBackend('wasm');
  console.log('\nwasm in Node vs wasm in the browser worker (same cases, same step count):');
  for (const r of rows.filter((x) => x.backend === 'wasm')) {
    const node = await runCase(r.id, STEPS);
    console.log(row(node, `   browser/Node = ${(r.msPerStep / node.msPerStep).toFixed(2)}`));
  }
}
