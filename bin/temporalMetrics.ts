/**
 * The Temporal SDK's own metrics (its Rust core's): a worker serves them for Prometheus at
 * TEMPORAL_METRICS_ADDRESS (`/metrics`), durations in seconds. They cover the worker (task
 * latencies, slots, polls) and the worker's client calls to the Temporal server.
 */
import type { TelemetryOptions } from '@temporalio/worker';

/** The Runtime's telemetry options that serve the metrics at `bindAddress` (`host:port`). */
export function temporalMetricsTelemetry(bindAddress: string): TelemetryOptions {
  return { metrics: { prometheus: { bindAddress, useSecondsForDurations: true } } };
}

/**
 * The SDK series the Grafana dashboard reads (histograms by their base name). The SDK registers
 * them, not MOPD: test/integration/temporalMetrics.test.ts scrapes a real worker for each.
 */
export const TEMPORAL_SDK_SERIES = [
  'temporal_workflow_task_schedule_to_start_latency',
  'temporal_workflow_task_execution_latency',
  'temporal_activity_schedule_to_start_latency',
  'temporal_activity_execution_latency',
  'temporal_request_latency',
] as const;
