import { expect, type Page } from '@playwright/test';

/** Opens the lab and waits for its engine. */
export async function openLab(page: Page, query = '?backend=wasm', timeout = 90_000): Promise<void> {
  await page.goto(`/${query}`);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-status', 'ready', { timeout });
}

/** Tiny ProGAN settings: 16 px (4 → 8 → 16), width 8, latent 16, batch 8, `kimg` thousand images a stage. */
export async function tinySettings(page: Page, kimg: string) {
  const settings = page.getByRole('form', { name: 'Run settings' });
  await settings.getByLabel('Mode').selectOption('progan');
  await settings.getByLabel('Resolution').selectOption('16');
  await settings.getByLabel('Width at 4×4').selectOption('8');
  await settings.getByLabel('Latent size').selectOption('16');
  await settings.getByLabel('kimg per stage').fill(kimg);
  await settings.getByLabel('Batch').selectOption('8');
  return settings;
}
