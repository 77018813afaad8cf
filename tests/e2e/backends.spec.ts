import { expect, test, type Page } from '@playwright/test';
import type { GrowthCheck } from '../../src/worker/protocol';

/**
 * Every browser backend trains a tiny GAN through a G conv, a resolution growth and a D conv with
 * finite losses and no leaked tensors. WebGPU runs on the software adapter here: that is the path
 * users with a GPU get, so it must never silently break.
 */
async function growthCheck(page: Page, backend: string): Promise<GrowthCheck> {
  await page.goto(`/?backend=${backend}`);
  const el = page.getByTestId('backend');
  await expect(el).toHaveAttribute('data-status', 'ready', { timeout: 90_000 });
  await expect(el).toHaveAttribute('data-backend', backend);
  return page.evaluate(() => (globalThis as unknown as { growlab: { engine: { growthCheck(): Promise<GrowthCheck> } } }).growlab.engine.growthCheck());
}

for (const backend of ['wasm', 'webgl', 'webgpu']) {
  test(`${backend}: a tiny GAN trains, grows and leaks no tensors`, async ({ page }) => {
    test.setTimeout(300_000);
    const r = await growthCheck(page, backend);
    expect(r.backend).toBe(backend);
    expect(r.resolutions).toEqual([4, 4, 8, 8]);
    expect(r.losses.every(Number.isFinite)).toBe(true);
    for (const [a, b] of r.lastSteps) expect(b).toBe(a);
    expect(r.tensorsAfter).toBe(r.tensorsBefore);
  });
}
