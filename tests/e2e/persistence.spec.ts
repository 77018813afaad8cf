import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { encode } from 'fast-png';
import { watchConsole } from './console';
import { openLab, tinySettings } from './helpers';

/**
 * Never lose a run: autosave and resume after a reload, export then import, a rollback after
 * non-finite weights, a restart on the next backend after a lost device, the bad-input corpus
 * while training goes on, and no request leaving the origin.
 */

const BAD = 'tests/fixtures/bad-inputs';
const corpus = JSON.parse(readFileSync(join(BAD, 'expected.json'), 'utf8')) as { file: string; kind: 'upload' | 'import' | 'hash'; message: string }[];


/** A tiny ProGAN run on shapes: 4 → 8 → 16 px, `kimg` thousand images a stage. */
async function tinyRun(page: Page, kimg: string) {
  const settings = await tinySettings(page, kimg);
  await settings.getByLabel('Loss').selectOption('logistic');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'running', { timeout: 30_000 });
}

const galleryCount = async (page: Page) => Number(await page.getByTestId('gallery').getAttribute('data-count'));
const imagesOf = async (page: Page) => Number(await page.getByTestId('images').getAttribute('data-images'));

test('a reload mid-run offers to continue, and continuing keeps every finished stage', async ({ page }) => {
  test.setTimeout(180_000);
  const { errors } = watchConsole(page);
  await openLab(page);
  await tinyRun(page, '0.3');
  // Saved: the library lists the run once its first stage ended and its checkpoint was stored.
  const saved = page.getByTestId('library-run');
  await expect(saved).toHaveCount(1, { timeout: 60_000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'paused');
  // The stages the library says are saved (a stage's grid shows a moment before its checkpoint is written).
  await expect(saved).toContainText(/\d+ stages?/);
  const stagesBefore = Number((await saved.textContent())!.match(/(\d+) stages?/)![1]);
  expect(stagesBefore).toBeGreaterThanOrEqual(1);
  await page.reload();
  await expect(page.getByTestId('backend')).toHaveAttribute('data-status', 'ready', { timeout: 90_000 });
  const offer = page.getByTestId('resume-offer');
  await expect(offer).toBeVisible({ timeout: 30_000 });
  await offer.getByRole('button', { name: 'Continue it' }).click();
  // Every stage finished before the reload is back at once, and the run goes on to the end.
  expect(await galleryCount(page)).toBeGreaterThanOrEqual(stagesBefore);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  await expect(page.getByTestId('gallery')).toHaveAttribute('data-count', '3');
  await expect(page.getByTestId('architecture')).toHaveAttribute('data-resolution', '16');
  expect(errors).toEqual([]);
});

test('export then import gives the same architecture, metrics and samples', async ({ page }) => {
  test.setTimeout(180_000);
  const { errors } = watchConsole(page);
  await openLab(page);
  await tinyRun(page, '0.1');
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  const look = async () => ({
    resolution: await page.getByTestId('architecture').getAttribute('data-resolution'),
    layers: await page.getByTestId('architecture').locator('[data-layer]').count(),
    metrics: await page.getByTestId('metrics-chart').getAttribute('data-points'),
    timeline: await page.getByTestId('timeline').textContent(),
    gallery: await page.getByTestId('gallery-grid').evaluate((c: HTMLCanvasElement) => c.toDataURL()),
  });
  const before = await look();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export this run' }).click();
  const file = await (await download).path();
  // Delete it from the library, then import the file.
  page.on('dialog', (d) => void d.accept());
  await page.getByTestId('library-run').getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByTestId('library-run')).toHaveCount(0);
  await page.getByTestId('import-input').setInputFiles(file);
  await expect(page.getByTestId('library-run')).toHaveCount(1, { timeout: 30_000 });
  expect(await look()).toEqual(before);
  expect(errors).toEqual([]);
});

test('non-finite weights are rolled back to the last checkpoint with a lower learning rate, and training goes on', async ({ page }) => {
  test.setTimeout(180_000);
  const { errors } = watchConsole(page);
  await openLab(page);
  await tinyRun(page, '0.2');
  await expect.poll(() => galleryCount(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(1);
  await page.evaluate(() => (globalThis as unknown as { growlab: { engine: { debugFault(k: string): Promise<void> } } }).growlab.engine.debugFault('non-finite'));
  const note = page.getByTestId('timeline-note');
  await expect(note).toContainText('rolled back', { timeout: 30_000 });
  await expect(note).toContainText('learning rate halved');
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
  await expect(page.getByTestId('gallery')).toHaveAttribute('data-count', '3');
  expect(errors).toEqual([]);
});

for (const fault of ['device-lost', 'crash'] as const)
  test(`${fault === 'crash' ? 'a crashed worker' : 'a lost device'} restarts the run on the next backend from its checkpoint`, async ({ page }) => {
    test.setTimeout(180_000);
    await openLab(page);
    await tinyRun(page, '0.2');
    // Saved: stage 0 ended and its checkpoint reached the library.
    await expect(page.getByTestId('library-run')).toHaveCount(1, { timeout: 60_000 });
    await page.evaluate((f) => (globalThis as unknown as { growlab: { engine: { debugFault(k: string): Promise<void> } } }).growlab.engine.debugFault(f), fault);
    const note = page.getByTestId('timeline-note');
    await expect(note).toContainText('restarted on cpu', { timeout: 60_000 });
    if (fault === 'crash') await expect(note).toContainText('the engine worker crashed');
    await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'cpu', { timeout: 60_000 });
    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
    await expect(page.getByTestId('gallery')).toHaveAttribute('data-count', '3');
  });

test('every bad input of the corpus gets its message while training goes on, and no request leaves the origin', async ({ page, baseURL }) => {
  test.setTimeout(240_000);
  const { errors } = watchConsole(page);
  const foreign: string[] = [];
  page.context().on('request', (r) => {
    const url = new URL(r.url());
    if (!['blob:', 'data:'].includes(url.protocol) && url.origin !== new URL(baseURL!).origin) foreign.push(r.url());
  });
  await openLab(page);
  // Train on uploaded images, so the upload picker is on screen during the run.
  const settings = page.getByRole('form', { name: 'Run settings' });
  await settings.getByLabel('Data set').selectOption('upload');
  const good = Array.from({ length: 16 }, (_, i) => ({
    name: `good-${i}.png`,
    mimeType: 'image/png',
    buffer: Buffer.from(encode({ width: 32, height: 32, channels: 3, depth: 8, data: new Uint8Array(32 * 32 * 3).fill(i * 15) })),
  }));
  const picker = page.getByLabel(/Your images/);
  await picker.setInputFiles(good);
  await expect(page.getByTestId('upload')).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await tinyRun(page, '50');
  const status = page.getByTestId('run-status');
  for (const c of corpus) {
    // Messages are shown after the file name, so anchors to the start and end do not apply.
    const message = new RegExp(c.message.replace(/\^/g, '').replace(/\$(?=\)|$)/g, ''));
    if (c.kind === 'upload') {
      await picker.setInputFiles(join(BAD, c.file));
      await expect(page.getByRole('list', { name: 'Files that could not be used' }), c.file).toContainText(message, { timeout: 30_000 });
    } else if (c.kind === 'import') {
      await page.getByTestId('import-input').setInputFiles(join(BAD, c.file));
      await expect(page.getByTestId('library-error'), c.file).toContainText(message, { timeout: 30_000 });
    } else {
      await page.evaluate((h) => (window.location.hash = h), readFileSync(join(BAD, c.file), 'utf8'));
      await expect(page.getByTestId('hash-problems'), c.file).toContainText(message);
    }
    await expect(status, `after ${c.file}`).toHaveAttribute('data-status', 'running');
  }
  const images = await imagesOf(page);
  await expect.poll(() => imagesOf(page), { timeout: 30_000 }).toBeGreaterThan(images);
  await page.getByRole('button', { name: /Stop/ }).click();
  expect(foreign).toEqual([]);
  expect(errors).toEqual([]);
});
