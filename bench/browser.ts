/**
 * `npm run bench:browser`: the training-step benchmark in headless Chromium, in the engine worker,
 * per backend (WebGPU, WebGL, WASM), plus the backend the ladder picks — numbers, not tests.
 *
 *   npm run bench:browser                  build, serve, and bench every backend
 *   npm run bench:browser -- --full        also the large cases on software GPU adapters (slow)
 *   npm run bench:browser -- --vs-node     also the same cases on wasm in Node, with the ratio
 *   npm run bench:browser -- --no-build    reuse dist/
 *
 * Software adapters (SwiftShader) are 30–60× slower than wasm, so by default they run only the
 * 4×4 and 8×8 cases.
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
