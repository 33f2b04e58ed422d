/**
 * What a browser test file sets up the same way as the others: the app for the whole file, the two
 * widths every page is walked at, and the checks each page must pass there.
 */
import { afterAll, beforeAll } from 'vitest';
import type { Page } from 'playwright-core';
import type { AppDeps } from '../../api/app.js';
import { startBrowserApp, type BrowserApp } from './browser.js';
import { expectNoAxeViolations, expectNoHorizontalScroll } from './axe.js';

/** Desktop and a 390 px phone; `name` also tells the data one width's run makes from the other's. */
export const VIEWPORTS = [
  { name: 'desktop', viewport: { width: 1280, height: 900 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
] as const;

/**
 * Starts the browser app before the file's tests and closes it after them; the function returned
 * gives the running app inside a test.
 */
export function useBrowserApp(over: Partial<AppDeps> = {}): () => BrowserApp {
  let app: BrowserApp | undefined;
  beforeAll(async () => {
    app = await startBrowserApp(over);
  });
  afterAll(async () => {
    await app?.close();
  });
  return () => {
    if (!app) throw new Error('The browser app is read before it started');
    return app;
  };
}

/** axe finds nothing on the page, and it does not scroll sideways. */
export async function checkPage(page: Page): Promise<void> {
  await expectNoAxeViolations(page);
  await expectNoHorizontalScroll(page);
}
