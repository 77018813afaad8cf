import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { encode } from 'fast-png';
import { watchConsole } from './console';
import { openLab, tinySettings } from './helpers';

/**
 * The lab beyond shapes: a built data set (MNIST) trains, uploads are decoded in the worker with a
 * message per bad file, a run forced onto WebGPU trains and grows, and the page passes axe-core.
 */


/** A w×h PNG of one colour with a darker square: enough for the decoder, different per index. */
function png(i: number, w = 40, h = 40): Buffer {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const inside = x > 10 && x < 30 && y > 10 && y < 30;
      data.set(inside ? [20, 20, (i * 37) % 256] : [(i * 53) % 256, 200, 240], (y * w + x) * 3);
    }
  return Buffer.from(encode({ width: w, height: h, data, channels: 3, depth: 8 }));
}

test('MNIST trains in the lab: its digits are the training data and the losses are finite', async ({ page }) => {
  test.setTimeout(120_000);
  const { errors } = watchConsole(page);
  await openLab(page);
  const settings = await tinySettings(page, '0.1');
  await settings.getByLabel('Data set').selectOption('mnist');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByRole('img', { name: /training images at 16×16/ })).toBeVisible({ timeout: 60_000 });
  await expect.poll(async () => Number(await page.getByTestId('loss-chart').getAttribute('data-points')), { timeout: 60_000 }).toBeGreaterThan(0);
  await expect(page.getByTestId('architecture')).toHaveAttribute('data-resolution', '8', { timeout: 60_000 });
  await page.getByRole('button', { name: /Stop/ }).click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'stopped', { timeout: 30_000 });
  expect(errors).toEqual([]);
});

test('uploads: good images make a data set, each bad file gets its own message, and a run trains on them', async ({ page }) => {
  test.setTimeout(120_000);
  const { errors } = watchConsole(page);
  await openLab(page);
  const settings = await tinySettings(page, '0.1');
  await settings.getByLabel('Data set').selectOption('upload');
  await expect(page.getByRole('button', { name: 'Start' })).toBeDisabled();
  const good = Array.from({ length: 18 }, (_, i) => ({ name: `good-${i}.png`, mimeType: 'image/png', buffer: png(i) }));
  const bad = [
    { name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('this is text, not a picture') },
    { name: 'empty.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(0) },
    { name: 'tiny.png', mimeType: 'image/png', buffer: png(1, 8, 8) },
    { name: '<img src=x onerror=alert(1)>.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]) },
  ];
  await page.getByLabel(/Your images/).setInputFiles([...good, ...bad]);
  const upload = page.getByTestId('upload');
  await expect(upload).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
  await expect(page.getByTestId('upload-summary')).toContainText('18 of 22 files usable');
  const problems = page.getByRole('list', { name: 'Files that could not be used' });
  await expect(problems.getByRole('listitem')).toHaveCount(4);
  await expect(problems).toContainText('notes.png');
  await expect(problems).toContainText('empty.jpg');
  await expect(problems).toContainText('tiny.png');
  // The hostile name is shown as text, never as markup.
  await expect(problems).toContainText('<img src=x onerror=alert(1)>.png');
  expect(await page.locator('.upload-problems img').count()).toBe(0);

  await page.getByRole('button', { name: 'Start' }).click();
  await expect.poll(async () => Number(await page.getByTestId('loss-chart').getAttribute('data-points')), { timeout: 60_000 }).toBeGreaterThan(0);
  await page.getByRole('button', { name: /Stop/ }).click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'stopped', { timeout: 30_000 });

  // Too few usable images: a clear message, and the lab keeps the last usable set out of the way.
  await page.getByLabel(/Your images/).setInputFiles(good.slice(0, 3));
  await expect(upload).toHaveAttribute('data-status', 'unusable', { timeout: 30_000 });
  await expect(page.getByRole('list', { name: 'Files that could not be used' })).toContainText('too few images: 3 of the 3 files are usable');
  expect(errors).toEqual([]);
});

test('a lab run forced onto WebGPU trains with finite losses and grows', async ({ page }) => {
  test.setTimeout(240_000);
  const { errors } = watchConsole(page);
  await page.goto('/?backend=webgpu');
  const backend = page.getByTestId('backend');
  await expect(backend).toHaveAttribute('data-status', 'ready', { timeout: 120_000 });
  await expect(backend).toHaveAttribute('data-backend', 'webgpu');
  const settings = await tinySettings(page, '0.05');
  await settings.getByLabel('Loss').selectOption('logistic');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('architecture')).toHaveAttribute('data-resolution', '8', { timeout: 180_000 });
  await expect(page.getByTestId('timeline').getByText('res:8')).toBeVisible();
  const losses = await page.getByTestId('loss-chart').getAttribute('data-last-losses');
  const [d, g] = (losses ?? '').split(',').map(Number);
  expect(Number.isFinite(d) && Number.isFinite(g)).toBe(true);
  await page.getByRole('button', { name: /Stop/ }).click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'stopped', { timeout: 60_000 });
  expect(errors).toEqual([]);
});

test('the main page has no serious or critical accessibility violations (axe-core)', async ({ page }) => {
  await openLab(page);
  for (const open of [false, true]) {
    if (open) await page.getByRole('button', { name: /info/i }).first().click();
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
  }
});
