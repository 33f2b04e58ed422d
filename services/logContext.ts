/**
 * What every log line carries about where it was written: the request's id (set by the API for the
 * time a request is being answered) and the active trace and span, when tracing is on. The loggers'
 * pino `mixin` reads it, so a line written anywhere during a request can be found with its trace.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { context, isSpanContextValid, trace } from '@opentelemetry/api';

const requests = new AsyncLocalStorage<{ requestId: string }>();

/** Runs `work` (the rest of a request's handling) with its request id known to every log line. */
export function withRequestId<T>(requestId: string, work: () => T): T {
  return requests.run({ requestId }, work);
}

/** The request id and trace of the code running now, for a log line; empty outside both. */
export function logContext(): { requestId?: string; traceId?: string; spanId?: string } {
  const fields: { requestId?: string; traceId?: string; spanId?: string } = {};
  const requestId = requests.getStore()?.requestId;
  if (requestId) fields.requestId = requestId;
  const span = trace.getSpan(context.active())?.spanContext();
  if (span && isSpanContextValid(span)) {
    fields.traceId = span.traceId;
    fields.spanId = span.spanId;
  }
  return fields;
}
