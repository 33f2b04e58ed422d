/**
 * OpenTelemetry traces, on when OTEL_EXPORTER_OTLP_ENDPOINT is configured (or a test hands in an
 * exporter), off otherwise: nothing here is even loaded then. On, a process gets a tracer
 * provider (W3C trace context, AsyncLocalStorage), the HTTP, Express, PostgreSQL (pg) and Redis
 * (ioredis) instrumentations, and spans exported over OTLP/HTTP in batches. Temporal's own
 * interceptors carry the trace from the API's client through the workflow into its activities:
 * the client's is on every Temporal client (services/workflowClient.ts), the workflow's are in the
 * bundle (bin/workflowBundle.ts), the activity's and the workflow spans' exporter on the worker
 * (`workerTracing`).
 */
import { createRequire } from 'node:module';
import type { ReadableSpan, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Resource } from '@opentelemetry/resources';
import type { WorkerOptions } from '@temporalio/worker';
import type { Request } from 'express';
import { routeOf } from '../api/metrics.js';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/worker/index.js';

export interface Tracing {
  /** What ends every span of the process (the workflows' spans too, through the worker's sink). */
  processor: SpanProcessor;
  resource: Resource;
  /** Sends what is still buffered and stops. */
  shutdown(): Promise<void>;
}

/**
 * Starts tracing for this process, named `service`, exporting to `endpoint` (OTLP/HTTP) or to
 * `exporter`; without either it does nothing and returns undefined. Call it before the process
 * creates its database pool, Redis connections and Express app (the modules are patched here).
 */
export async function startTracing(options: {
  service: string;
  endpoint?: string;
  exporter?: SpanExporter;
}): Promise<Tracing | undefined> {
  if (!options.endpoint && !options.exporter) return undefined;
  const [
    { NodeTracerProvider },
    { BatchSpanProcessor, SimpleSpanProcessor },
    { resourceFromAttributes },
    { registerInstrumentations },
    { HttpInstrumentation },
    { ExpressInstrumentation },
    { PgInstrumentation },
    { IORedisInstrumentation },
  ] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/instrumentation'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-express'),
    import('@opentelemetry/instrumentation-pg'),
    import('@opentelemetry/instrumentation-ioredis'),
  ]);
  const exporter =
    options.exporter ??
    new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter({
      url: `${options.endpoint!.replace(/\/$/, '')}/v1/traces`,
    });
  const resource = resourceFromAttributes({ 'service.name': options.service });
  // A test's exporter sees each span as it ends; the collector gets them in batches.
  const processor = options.exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter);
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  provider.register();
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        // Prometheus's scrapes are not traced.
        ignoreIncomingRequestHook: (req) => req.url === '/metrics',
        // The server span is named by the route pattern that answered, as the metrics label it.
        applyCustomAttributesOnSpan: (span, request, response) => {
          const req = (response as { req?: Request }).req;
          if (!req || !('method' in request) || !req.route) return;
          const route = routeOf(req);
          span.setAttribute('http.route', route);
          span.updateName(`${req.method} ${route}`);
        },
      }),
      new ExpressInstrumentation(),
      new PgInstrumentation(),
      new IORedisInstrumentation(),
    ],
  });
  // The instrumentations patch a module when it is next required: require each now, so the copies
  // this process already imported (as ES modules share CommonJS modules' exports) are patched too.
  const require = createRequire(import.meta.url);
  for (const name of ['node:http', 'node:https', 'express', 'pg', 'ioredis']) require(name);
  return {
    processor: workflowSpansTo(processor),
    resource,
    async shutdown() {
      unregister();
      await provider.shutdown();
    },
  };
}

/**
 * The workflow interceptors' spans come out of the sandbox shaped as OpenTelemetry SDK 1.x made
 * them (`parentSpanId`, `instrumentationLibrary`); this process's SDK (2.x) and its OTLP exporter
 * read `parentSpanContext` and `instrumentationScope`. Without this the workflow's spans would lose
 * their parents in the exported trace.
 */
function workflowSpansTo(processor: SpanProcessor): SpanProcessor {
  return {
    onStart: () => undefined,
    forceFlush: () => processor.forceFlush(),
    shutdown: async () => undefined,
    onEnd(span) {
      const made = span as ReadableSpan & {
        parentSpanId?: string;
        instrumentationLibrary?: { name: string; version?: string };
      };
      const own = made.spanContext();
      processor.onEnd({
        ...made,
        spanContext: () => own,
        parentSpanContext:
          made.parentSpanContext ??
          (made.parentSpanId
            ? { traceId: own.traceId, spanId: made.parentSpanId, traceFlags: own.traceFlags }
            : undefined),
        instrumentationScope: made.instrumentationScope ??
          made.instrumentationLibrary ?? { name: '@temporalio/interceptor-workflow' },
      });
    },
  };
}

/** A span exporter that drops everything: the workflows' spans when tracing is off. */
const droppingExporter: SpanExporter = {
  export: (_spans, done) => done({ code: 0 }),
  shutdown: async () => undefined,
};

/**
 * What a worker needs for traces: the activity interceptor (an activity's spans, its PostgreSQL
 * and Redis calls among them, join the workflow's trace) and the sink the bundled workflow
 * interceptors send their spans to. Off, the sink drops them and the interceptor records nothing.
 */
export function workerTracing(tracing: Tracing | undefined): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  return {
    interceptors: { activity: [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx) })] },
    sinks: {
      exporter: tracing
        ? makeWorkflowExporter(tracing.processor as never, tracing.resource as never)
        : makeWorkflowExporter(droppingExporter as never, undefined as never),
    },
  };
}
