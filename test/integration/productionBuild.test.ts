/**
 * The compiled build (`npm run build`, which bin/test runs first) as production runs it: plain
 * `node dist/bin/*.js`, no tsx, NODE_ENV=production, against a scratch database. The migrations
 * run compiled, the API, the worker (from the prebuilt workflow bundle) and the mailer start, /health
 * says every dependency answers, the UI is served, and each process stops cleanly on SIGTERM.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort, projectRoot } from '../../bin/tools.js';
import { startSmtpCapture, type SmtpCapture } from '../../bin/smtpCapture.js';
import { dropDatabase } from '../../db/connection.js';
import { until } from '../support/polling.js';

const dist = (name: string) => path.join(projectRoot, 'dist/bin', `${name}.js`);
const base = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface Running {
  child: ChildProcess;
  output: string[];
}

describe('the compiled build', () => {
  const databaseUrl = Object.assign(new URL(base), {
    pathname: `/mopd_build_${randomBytes(5).toString('hex')}`,
  }).toString();
  const healthToken = randomBytes(24).toString('hex');
  const uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mopd-build-uploads-'));
  const processes = new Map<string, Running>();
  let smtp: SmtpCapture;
  let apiPort: number;
  let env: NodeJS.ProcessEnv;

  const start = (name: string): Running => {
    const child = spawn(process.execPath, [dist(name)], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const running = { child, output };
    processes.set(name, running);
    return running;
  };

  const stop = async ({ child }: Running): Promise<number | null> => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    return exited;
  };

  beforeAll(async () => {
    for (const file of [dist('api'), path.join(projectRoot, 'dist/workflow-bundle.js')])
      if (!fs.existsSync(file)) throw new Error(`${file} is missing: run npm run build first (bin/test does)`);
    smtp = await startSmtpCapture({ smtpPort: 0, httpPort: 0 });
    apiPort = await freePort();
    // Only what production needs: no NODE_OPTIONS or tsx loader inherited from the test runner.
    env = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      REDIS_URL: 'redis://127.0.0.1:6379',
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_TASK_QUEUE: `build-${randomBytes(4).toString('hex')}`,
      MAIL_QUEUE_PREFIX: `build-${randomBytes(4).toString('hex')}`,
      SMTP_URL: smtp.smtpUrl,
      API_PORT: String(apiPort),
      PUBLIC_URL: `http://127.0.0.1:${apiPort}`,
      SESSION_SECRET: randomBytes(32).toString('hex'),
      SECRETS_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      HEALTH_TOKEN: healthToken,
      UPLOAD_DIR: uploadDir,
      LOG_LEVEL: 'info',
    };
  });

  afterAll(async () => {
    await Promise.all([...processes.values()].map(stop));
    await smtp?.close();
    await dropDatabase(databaseUrl);
    fs.rmSync(uploadDir, { recursive: true, force: true });
  });

  it('migrates, starts, answers /health with every dependency up, serves the UI and stops on SIGTERM', async () => {
    const migrate = spawnSync(process.execPath, [dist('migrate')], { cwd: projectRoot, env, encoding: 'utf8' });
    expect(migrate.stderr).toBe('');
    expect(migrate.stdout).toContain('database migrated, rule sets installed');
    expect(migrate.status).toBe(0);

    const worker = start('worker');
    const mailer = start('mailer');
    const api = start('api');

    const health = await until(
      async () => {
        try {
          const response = await fetch(`http://127.0.0.1:${apiPort}/health`, {
            headers: { authorization: `Bearer ${healthToken}` },
          });
          return { status: response.status, body: (await response.json()) as unknown };
        } catch (error) {
          return { status: 0, body: (error as Error).message };
        }
      },
      (seen) => seen.status === 200,
      45_000,
      250,
    );
    expect(health.body).toMatchObject({
      status: 'ok',
      dependencies: { postgres: { ok: true }, redis: { ok: true }, temporal: { ok: true }, smtp: { ok: true } },
    });

    // The worker took the bundle the build wrote rather than bundling at start-up.
    await until(
      async () => worker.output.join(''),
      (text) => text.includes('worker running'),
      30_000,
      100,
    );
    const loading = worker.output
      .join('')
      .split('\n')
      .map((line) => (line.startsWith('{') ? (JSON.parse(line) as { msg?: string; workflowBundle?: string }) : {}))
      .find((line) => line.msg === 'loading workflows');
    expect(loading?.workflowBundle).toBe(path.join(projectRoot, 'dist/workflow-bundle.js'));

    const page = await fetch(`http://127.0.0.1:${apiPort}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app"');

    for (const running of [api, worker, mailer]) expect(await stop(running)).toBe(0);
  });
});
