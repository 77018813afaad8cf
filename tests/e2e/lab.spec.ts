import { expect, test, type Locator } from '@playwright/test';
import { watchConsole } from './console';
import { openLab, tinySettings } from './helpers';

/**
 * The lab's vertical slice on a tiny ProGAN run (wasm): training runs in the worker and the page
 * shows it — backend, loss points, a growth in the architecture view and the timeline, a stage grid
 * in the gallery — and pause holds the image counter while step advances it by one batch.
 */

const SHOTS = process.env.LAB_SCREENSHOTS ?? '/tmp';


async function imagesOf(counter: Locator): Promise<number> {
  return Number(await counter.getAttribute('data-images'));
}

test('a tiny run trains in the worker and the page shows it grow', async ({ page }) => {
  test.setTimeout(120_000);
  const { errors } = watchConsole(page);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await openLab(page);
  await expect(page.getByTestId('backend').locator('.backend-name')).toHaveText('wasm');

  // A tiny config: 16 px, ProGAN (4 → 8 → 16), 0.3 kimg per stage, batch 8, width 8, WGAN-GP.
  const settings = await tinySettings(page, '0.3');
  await settings.getByLabel('Loss').selectOption('wgan-gp');

  await page.getByRole('button', { name: 'Start' }).click();
  const status = page.getByTestId('run-status');
  await expect(status).toHaveAttribute('data-status', 'running', { timeout: 30_000 });

  // Losses reach the chart.
  await expect.poll(async () => Number(await page.getByTestId('loss-chart').getAttribute('data-points')), { timeout: 30_000 }).toBeGreaterThan(0);

  // A growth: the architecture grows to 8×8 with new layers, the timeline lists it, stage 0's grid is in the gallery.
  const arch = page.getByTestId('architecture');
  await expect(arch).toHaveAttribute('data-resolution', '8', { timeout: 60_000 });
  await expect(page.getByTestId('timeline').getByText('res:8')).toBeVisible();
  await expect.poll(async () => Number(await page.getByTestId('gallery').getAttribute('data-count'))).toBeGreaterThanOrEqual(1);
  await expect(page.getByTestId('metrics-chart')).not.toHaveAttribute('data-points', '0');
  await page.screenshot({ path: `${SHOTS}/lab-growth.png` });

  // Pause: the counter stops.
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(status).toHaveAttribute('data-status', 'paused');
  const counter = page.getByTestId('images');
  let held = -1;
  await expect
    .poll(
      async () => {
        const before = await imagesOf(counter);
        await page.waitForTimeout(700);
        const after = await imagesOf(counter);
        held = after;
        return after === before;
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  await page.waitForTimeout(1000);
  expect(await imagesOf(counter)).toBe(held);

  // Step: exactly one batch more, still paused. The keyboard does the same (S).
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect.poll(() => imagesOf(counter), { timeout: 30_000 }).toBe(held + 8);
  await expect(status).toHaveAttribute('data-status', 'paused');
  // Shortcuts act on the page; a focused button keeps Space for itself, so leave the buttons first.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('s');
  await expect.poll(() => imagesOf(counter), { timeout: 30_000 }).toBe(held + 16);

  // Half steps: D's update alone (no new images counted until G's completes the step), then G's.
  const half = page.getByTestId('half-step');
  await expect(half).toHaveText('D step');
  await half.click();
  await expect(page.getByTestId('half-step-result')).toContainText('D updated', { timeout: 30_000 });
  await expect(half).toHaveText('G step');
  expect(await imagesOf(counter)).toBe(held + 16);
  await half.click();
  await expect(page.getByTestId('half-step-result')).toContainText('G updated', { timeout: 30_000 });
  await expect.poll(() => imagesOf(counter), { timeout: 30_000 }).toBe(held + 24);
  await expect(half).toHaveText('D step');
  await expect(status).toHaveAttribute('data-status', 'paused');

  // Resume (Space, with no button focused) and watch it reach 16×16.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Space');
  await expect(status).toHaveAttribute('data-status', 'running');
  await expect(arch).toHaveAttribute('data-resolution', '16', { timeout: 60_000 });
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-count', '2');
  await page.screenshot({ path: `${SHOTS}/lab-16px.png` });
  await expect(status).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(page.getByTestId('gallery')).toHaveAttribute('data-count', '3');
  await expect(page.getByTestId('interpolation-strip')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/lab-done.png`, fullPage: true });
  expect(errors).toEqual([]);
});

test('a tiny dynamic run shows the search tree with scored candidates and the chosen growth', async ({ page }) => {
  test.setTimeout(120_000);
  const { errors } = watchConsole(page);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('backend')).toHaveAttribute('data-status', 'ready', { timeout: 90_000 });

  const settings = page.getByRole('form', { name: 'Run settings' });
  await settings.getByLabel('Mode').selectOption('dggan');
  await settings.getByLabel('Resolution').selectOption('16');
  await settings.getByLabel('Width at 4×4').selectOption('8');
  await settings.getByLabel('Latent size').selectOption('16');
  await settings.getByLabel('kimg per stage').fill('0.1');
  await settings.getByLabel('Batch').selectOption('8');
  await settings.getByLabel('Budget').fill('0.4');
  await settings.getByLabel('Per candidate').fill('0.05');

  await page.getByRole('button', { name: 'Start' }).click();
  const tree = page.getByTestId('search-tree');
  await expect(tree).toBeVisible({ timeout: 30_000 });
  // A growth stage: at least two candidates grown from #0 are scored and one is chosen.
  await expect.poll(() => tree.locator('[data-testid="search-node"][data-scored="true"]').count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
  await expect(tree.locator('[data-testid="search-node"][data-chosen="true"]').nth(1)).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('timeline')).not.toHaveAttribute('data-count', '0');
  await expect(page.getByTestId('timeline')).toContainText('search: best of');
  await page.screenshot({ path: `${SHOTS}/lab-search.png`, fullPage: true });
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  expect(errors).toEqual([]);
});

/**
 * The README's screenshot: the "2-minute demo" preset on MNIST mid-run at 16×16. Slow (a minute or two), so
 * it runs only when asked: LAB_README_SHOT=1 npx playwright test lab -g README.
 */
test('README screenshot: the 2-minute demo mid-run', async ({ page }) => {
  test.skip(!process.env.LAB_README_SHOT, 'set LAB_README_SHOT=1 to take the README screenshot');
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1600, height: 1200 });
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('backend')).toHaveAttribute('data-status', 'ready', { timeout: 90_000 });
  await page.getByRole('button', { name: '2-minute demo' }).click();
  await page.getByRole('form', { name: 'Run settings' }).getByLabel('Data set').selectOption('mnist');
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('architecture')).toHaveAttribute('data-resolution', '16', { timeout: 240_000 });
  console.log(`16×16 after ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  // Halfway into the fade of the last growth: new layers still orange, samples sharpening.
  await expect.poll(async () => Number(await page.getByTestId('images').getAttribute('data-images')), { timeout: 120_000 }).toBeGreaterThanOrEqual(9000);
  await page.screenshot({ path: `${SHOTS}/lab-demo.png` });
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 240_000 });
  console.log(`done after ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  await page.screenshot({ path: `${SHOTS}/lab-demo-done.png`, fullPage: true });
});

test('README screenshot: the search demo mid-run', async ({ page }) => {
  test.skip(!process.env.LAB_README_SHOT, 'set LAB_README_SHOT=1 to take the README screenshot');
  test.setTimeout(400_000);
  await page.setViewportSize({ width: 1600, height: 1200 });
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('backend')).toHaveAttribute('data-status', 'ready', { timeout: 90_000 });
  await page.getByRole('button', { name: 'Search demo' }).click();
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-count', '2', { timeout: 300_000 });
  console.log(`second growth after ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  await page.getByTestId('search-tree').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/lab-search-demo.png`, fullPage: true });
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'done', { timeout: 300_000 });
  console.log(`done after ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  await page.screenshot({ path: `${SHOTS}/lab-search-demo-done.png`, fullPage: true });
});
