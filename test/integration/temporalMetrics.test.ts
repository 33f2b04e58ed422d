/**
 * The Temporal SDK's metrics, as a real worker process serves them with TEMPORAL_METRICS_ADDRESS:
 * once it has run a case's workflow tasks and activities, every SDK series the Grafana dashboard
 * reads (bin/temporalMetrics.ts) is on its /metrics. The worker is bin/worker.ts under tsx, on the
 * dev server, against a test database; the case is submitted through the API as a person would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort, projectRoot } from '../../bin/tools.js';
import { TEMPORAL_SDK_SERIES } from '../../bin/temporalMetrics.js';
import { startHttpApp, type HttpApp } from '../support/httpApp.js';
import { anOrganization } from '../support/fixtures.js';
import { aUser, signIn } from '../support/app.js';
import { until } from '../support/polling.js';

let http: HttpApp;
let worker: ChildProcess;
let metricsUrl: string;
const output: string[] = [];

beforeAll(async () => {
  http = await startHttpApp('temporal-metrics');
  const port = await freePort();
  metricsUrl = `http://127.0.0.1:${port}/metrics`;
  worker = spawn(process.execPath, ['--import', 'tsx', 'bin/worker.ts'], {
    cwd: projectRoot,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: http.database.url,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_TASK_QUEUE: http.taskQueue,
      WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
      TEMPORAL_METRICS_ADDRESS: `127.0.0.1:${port}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  worker.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  worker.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
});

afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.kill('SIGTERM');
    await exited;
  }
  await http?.close();
});

const scrape = async () => {
  try {
    const response = await fetch(metricsUrl);
    return response.ok ? await response.text() : '';
  } catch {
    return '';
  }
};

describe('the worker’s Temporal SDK metrics', () => {
  it('serves every SDK series the dashboard reads once it has run a workflow and its activities', async () => {
    // Served as soon as the runtime is installed, before any task.
    await until(scrape, (text) => text.includes('# TYPE temporal_'), 60_000, 250).catch((error: unknown) => {
      throw new Error(`${String(error)}\nworker said:\n${output.join('')}`);
    });

    const { db } = http.database;
    const organization = await anOrganization(db, { name: 'Cardinal Kids Academy', region: 'Central' });
    const me = await signIn(http.app, await aUser(db, ['professional']));
    const id = (
      await me
        .post('/api/cases/organization-claims', { organizationId: organization.id, position: 'Director' })
        .expect(201)
    ).body.case.id as number;
    // The worker's workflow put the case in review through its activities.
    await until(
      async () => (await db('cases').where({ id }).first())?.status as string,
      (status) => status === 'in_review',
      60_000,
    );

    const text = await until(scrape, (t) => TEMPORAL_SDK_SERIES.every((s) => t.includes(`${s}_bucket{`)), 30_000, 500);
    for (const series of TEMPORAL_SDK_SERIES) expect(text, series).toContain(`${series}_bucket{`);
    // Durations in seconds (useSecondsForDurations): a bucket bound under one second exists.
    expect(text).toMatch(/temporal_activity_execution_latency_bucket\{[^}]*le="0\.\d+"/);
    expect(text).toContain(`task_queue="${http.taskQueue}"`);
  });
});
