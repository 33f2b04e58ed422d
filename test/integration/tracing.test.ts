/**
 * Traces, end to end on the real services: one API request that submits an approval case leaves
 * ONE trace holding the API's HTTP and Express spans, the Temporal client's StartWorkflow, the
 * workflow's run, its activities and their PostgreSQL queries under them; and the request's log
 * lines carry that trace's id. Spans go to an in-memory exporter instead of a collector.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Writable } from 'node:stream';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { SpanKind } from '@opentelemetry/api';
import { pino } from 'pino';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTracing, type Tracing } from '../../bin/tracing.js';
import { logContext } from '../../services/logContext.js';
import { createTemporalGateway, type TemporalGateway } from '../../services/workflowClient.js';
import { createRedis } from '../../bin/runtime.js';
import { startWorker } from '../support/worker.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { anOrganization } from '../support/fixtures.js';
import { aUser, signIn, testApp } from '../support/app.js';
import { until } from '../support/polling.js';

const exporter = new InMemorySpanExporter();
const lines: string[] = [];
let tracing: Tracing | undefined;
let database: TestDatabase;
let redis: ReturnType<typeof createRedis>;
let temporal: TemporalGateway;
let worker: { stop(): Promise<void> };
let app: Express;
const taskQueue = `tracing-${randomUUID()}`;

beforeAll(async () => {
  // Before the pool, the Redis connection and the app are made, as the entry points do.
  tracing = await startTracing({ service: 'mopd-test', exporter });
  database = await createTestDatabase();
  redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  temporal = createTemporalGateway({ address: inject('temporalAddress'), namespace: 'default', taskQueue });
  worker = await startWorker(database.db, taskQueue, { tracing });
  const logger = pino(
    { level: 'info', mixin: logContext },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    }),
  );
  app = testApp(database, redis, temporal, {
    logger,
    uploadDir: path.join('/tmp', `mopd-tracing-${randomUUID()}`),
  }).app;
});

afterAll(async () => {
  await worker?.stop();
  await temporal?.close();
  await redis?.quit();
  await database?.drop();
  await tracing?.shutdown();
});

/** The span's parent's id, however this SDK version spells it. */
const parentOf = (span: ReadableSpan) =>
  (span as { parentSpanId?: string }).parentSpanId ??
  (span as { parentSpanContext?: { spanId: string } }).parentSpanContext?.spanId;

/** Whether `span` descends from `ancestor` within `spans`. */
function descendsFrom(span: ReadableSpan, ancestor: ReadableSpan, spans: ReadableSpan[]): boolean {
  const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
  for (let parent = parentOf(span); parent; parent = parentOf(byId.get(parent)!)) {
    if (parent === ancestor.spanContext().spanId) return true;
    if (!byId.has(parent)) return false;
  }
  return false;
}

describe('a traced request', () => {
  it('is one trace from the HTTP request through the Temporal client into the workflow, its activities and their queries', async () => {
    const { db } = database;
    const organization = await anOrganization(db, { name: 'Bluebird Learning Center', region: 'Central' });
    const me = await signIn(app, await aUser(db, ['professional']));
    exporter.reset();
    lines.length = 0;

    const submitted = await me
      .post('/api/cases/organization-claims', { organizationId: organization.id, position: 'Director' })
      .expect(201);
    const caseId = submitted.body.case.id as number;

    const server = exporter
      .getFinishedSpans()
      .find((s) => s.kind === SpanKind.SERVER && s.attributes['http.route'] === '/api/cases/organization-claims');
    expect(server, 'the HTTP server span of the submission').toBeDefined();
    const traceId = server!.spanContext().traceId;
    const inTrace = () => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);

    // The workflow puts the case in review through activities; wait until their spans have ended.
    const spans = await until(
      // Said by name if the wait gives up.
      async () => Object.assign(inTrace(), { toJSON: () => inTrace().map((s) => s.name) }),
      (found) => {
        const ids = new Set(found.map((s) => s.spanContext().spanId));
        const activity = found.find((s) => s.name.startsWith('RunActivity:') && ids.has(parentOf(s) ?? ''));
        return !!activity && found.some((s) => s.name.startsWith('pg') && descendsFrom(s, activity, found));
      },
      60_000,
    );
    const named = (prefix: string) => spans.filter((s) => s.name.startsWith(prefix));

    // The API: the HTTP server span, Express's middleware and route spans, queries made while answering.
    // (The test's own HTTP client is traced too: its span is the trace's root, the server's parent.)
    const httpServers = spans.filter(
      (s) => s.kind === SpanKind.SERVER && s.instrumentationScope.name === '@opentelemetry/instrumentation-http',
    );
    expect(httpServers).toEqual([server]);
    expect(server!.name).toBe('POST /api/cases/organization-claims');
    expect(spans.some((s) => s.instrumentationScope.name.includes('express') && descendsFrom(s, server!, spans))).toBe(
      true,
    );
    // The Temporal client's start of the case's workflow, under the request.
    const [start] = named('StartWorkflow:');
    expect(start, spans.map((s) => s.name).join(', ')).toBeDefined();
    expect(descendsFrom(start!, server!, spans)).toBe(true);
    // The workflow's spans (made in its sandbox, sent out through the worker's sink): it scheduled
    // the activity (StartActivity), and the activity ran (RunActivity) under that; the workflow's
    // own RunWorkflow span ends only when the case does, and is then under StartWorkflow.
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
    const activity = named('RunActivity:').find(
      (a) =>
        byId.get(parentOf(a) ?? '')?.name.startsWith('StartActivity:') &&
        spans.some((s) => s.name.startsWith('pg') && descendsFrom(s, a, spans)),
    );
    expect(activity, spans.map((s) => s.name).join(', ')).toBeDefined();
    const scheduled = byId.get(parentOf(activity!)!)!;
    expect(scheduled.name).toBe(`StartActivity:${activity!.name.slice('RunActivity:'.length)}`);
    expect(parentOf(scheduled), 'the workflow run the activity was scheduled from').toBeDefined();
    for (const run of named('RunWorkflow:')) expect(descendsFrom(run, start!, spans)).toBe(true);
    // PostgreSQL queries the activity made, under it.
    const queries = spans.filter((s) => s.name.startsWith('pg.query') && descendsFrom(s, activity!, spans));
    expect(queries.length).toBeGreaterThan(0);
    expect(queries[0]!.attributes['db.system'] ?? queries[0]!.attributes['db.system.name']).toBe('postgresql');

    // Every span here is this request's: the case's workflow is in the same trace, not a new one.
    expect(new Set(spans.map((s) => s.spanContext().traceId))).toEqual(new Set([traceId]));
    const row = await db('cases').where({ id: caseId }).first();
    expect(start!.attributes.temporalWorkflowId).toBe(row!.workflow_id);

    // The request's log line carries its trace id and request id.
    const entries = lines.map(
      (line) => JSON.parse(line) as { msg: string; traceId?: string; requestId?: string; access?: { route?: string } },
    );
    const access = entries.find((e) => e.msg === 'request' && e.access?.route === '/api/cases/organization-claims');
    expect(access).toMatchObject({ traceId, requestId: submitted.headers['x-request-id'] });
  });
});
