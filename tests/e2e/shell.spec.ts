import { expect, test, type Page } from '@playwright/test';
import { watchConsole } from './console';

const BACKEND_RE = /^(webgpu|webgl|wasm|cpu)$/;
/** Backends start slowly on 2-core machines without a GPU (software WebGPU especially). */
const START_TIMEOUT = 90_000;

/**
 * Console messages (page and workers) that are errors, minus known-benign noise.
 * Warnings are collected too but only errors fail a test.
 */

async function waitForBackend(page: Page) {
  const el = page.getByTestId('backend');
  await expect(el).toHaveAttribute('data-status', /ready|error/, { timeout: START_TIMEOUT });
  const status = await el.getAttribute('data-status');
  if (status === 'error') {
    const alert = await page.getByRole('alert').textContent();
    throw new Error(`engine failed to start: ${alert ?? '(no message)'}`);
  }
  return el;
}

test('shell shows the title and the backend picked by the ladder', async ({ page }) => {
  const { errors } = watchConsole(page);
  await page.goto('/');
  await expect(page).toHaveTitle('GrowLab — watch a GAN grow');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('GrowLab — watch a GAN grow');
  await expect(page.getByRole('banner')).toBeVisible();
  await expect(page.getByRole('main')).toBeVisible();

  const el = await waitForBackend(page);
  const backend = await el.getAttribute('data-backend');
  expect(backend).toMatch(BACKEND_RE);
  await expect(el).toContainText(backend ?? '');
  // On the project's GPU-less machines the ladder must not pick a software GPU over wasm.
  if (await el.getAttribute('data-software') === 'true') {
    throw new Error(`ladder picked a software device: ${await el.textContent()}`);
  }
  // The page is cross-origin isolated (COOP/COEP from vite preview).
  expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);

  await page.screenshot({ path: process.env.SHELL_SCREENSHOT ?? test.info().outputPath('shell.png'), fullPage: true });
  expect(errors).toEqual([]);
});

test('?backend=wasm forces the wasm backend', async ({ page }) => {
  const { errors } = watchConsole(page);
  await page.goto('/?backend=wasm');
  const el = await waitForBackend(page);
  await expect(el).toHaveAttribute('data-backend', 'wasm');
  await expect(el.locator('.backend-name')).toHaveText('wasm');
  await expect(el).toHaveAttribute('data-software', 'false');
  expect(errors).toEqual([]);
});

test('?backend=webgpu forces the webgpu backend (software adapter here)', async ({ page }) => {
  const { errors } = watchConsole(page);
  await page.goto('/?backend=webgpu');
  const el = await waitForBackend(page);
  await expect(el).toHaveAttribute('data-backend', 'webgpu');
  await expect(el.locator('.backend-name')).toHaveText('webgpu');
  // No GPU on the project's machines: Chromium hands out the SwiftShader fallback adapter,
  // and the UI must say so. Set GROWLAB_HW_GPU=1 on a machine with a real GPU.
  const expectSoftware = !process.env.GROWLAB_HW_GPU;
  await expect(el).toHaveAttribute('data-software', String(expectSoftware));
  if (expectSoftware) await expect(el.locator('.badge')).toHaveText('software');
  expect(errors).toEqual([]);
});

test('an unknown forced backend shows a clear error', async ({ page }) => {
  await page.goto('/?backend=tpu');
  const el = page.getByTestId('backend');
  await expect(el).toHaveAttribute('data-status', 'error', { timeout: START_TIMEOUT });
  await expect(page.getByRole('alert')).toContainText("Unknown backend 'tpu'");
});

test('shows "starting…" while the worker initialises', async ({ page }) => {
  // Hold the worker script back for a moment so the starting state is observable.
  await page.route('**/engine.worker*', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await route.continue();
  });
  await page.goto('/');
  const el = page.getByTestId('backend');
  await expect(el).toHaveAttribute('data-status', 'starting');
  await expect(el).toContainText('starting…');
  await expect(el).toHaveAttribute('data-status', 'ready', { timeout: START_TIMEOUT });
});

test('a worker that fails to load shows a clear error', async ({ page }) => {
  await page.route('**/engine.worker*', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.goto('/');
  const el = page.getByTestId('backend');
  await expect(el).toHaveAttribute('data-status', 'error', { timeout: START_TIMEOUT });
  await expect(page.getByRole('alert')).toContainText('engine worker failed to start');
});
