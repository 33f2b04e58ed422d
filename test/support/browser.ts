/**
 * The whole app for browser tests: the API serving the built UI on a free port, a worker on the
 * Temporal dev server, a fresh database, and Debian's Chromium driven by playwright-core.
 */
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { inject } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createTemporalGateway, type TemporalGateway } from '../../services/workflowClient.js';
import { startWorker } from './worker.js';
import { createRedis } from '../../bin/runtime.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { authenticatorCode, testApp, TEST_PASSWORD, type TestUser } from './app.js';
import type { AppDeps } from '../../api/app.js';

export interface BrowserApp {
  database: TestDatabase;
  browser: Browser;
  baseUrl: string;
  /** Signs in through the sign-in page, with the authenticator code when the account has one. */
  signInThroughPage(page: Page, who: TestUser): Promise<void>;
  close(): Promise<void>;
}

/** `over` changes the app's set-up for one file (e.g. `mediaOrigins`). */
export async function startBrowserApp(over: Partial<AppDeps> = {}): Promise<BrowserApp> {
  const database = await createTestDatabase();
  const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const address = inject('temporalAddress');
  const taskQueue = `browser-${randomUUID()}`;
  const temporal: TemporalGateway = createTemporalGateway({ address, namespace: 'default', taskQueue });
  const worker = await startWorker(database.db, taskQueue);
  const { app } = testApp(database, redis, temporal, { uiDist: inject('uiDist'), ...over });
  const server: http.Server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  return {
    database,
    browser,
    baseUrl,
    async signInThroughPage(page, who) {
      await page.goto(`${baseUrl}/`);
      await page.waitForURL(/\/sign-in/);
      await page.getByLabel('Email').fill(who.user.email);
      await page.getByLabel('Password').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      if (who.mfaSecret) {
        await page.getByLabel('Code').fill(await authenticatorCode(who.mfaSecret));
        await page.getByRole('button', { name: 'Continue' }).click();
      }
      await page.getByRole('heading', { level: 1, name: /Welcome/ }).waitFor();
    },
    async close() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
      await worker.stop();
      await temporal.close();
      await redis.quit();
      await database.drop();
    },
  };
}
