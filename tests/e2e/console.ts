import type { ConsoleMessage, Page } from '@playwright/test';

/** Collects console errors of the page and of its workers, and uncaught page errors. */
export function watchConsole(page: Page): { errors: string[] } {
  const errors: string[] = [];
  const onMessage = (where: string) => (msg: ConsoleMessage) => {
    if (msg.type() === 'error') errors.push(`${where}: ${msg.text()}`);
  };
  page.on('console', onMessage('page'));
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('worker', (worker) => worker.on('console', onMessage(`worker ${worker.url()}`)));
  return { errors };
}
