/**
 * The Grafana dashboard (deploy/grafana/mopd.json) reads only series that exist: each `mopd_` name
 * it queries is one /metrics registers (read from the registry itself), each `temporal_` name one of
 * the SDK series the worker serves, so renaming a metric without the dashboard fails here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../api/metrics.js';
import type { Db } from '../../db/connection.js';
import { TEMPORAL_SDK_SERIES } from '../../bin/temporalMetrics.js';
import { projectRoot } from '../../bin/tools.js';

interface Panel {
  title: string;
  targets?: Array<{ expr: string }>;
  panels?: Panel[];
}

const dashboard = JSON.parse(fs.readFileSync(path.join(projectRoot, 'deploy/grafana/mopd.json'), 'utf8')) as {
  panels: Panel[];
};
const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
const queries = panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));

/** The series a PromQL expression reads: every identifier in a metric namespace, before `{`, `[` or `)`. */
const seriesIn = (expr: string) => [...expr.matchAll(/\b((?:mopd|temporal)_[a-z0-9_]+)\b/g)].map((m) => m[1]!);

describe('the Grafana dashboard', () => {
  // The registry only: no scrape is made, so no database is needed.
  const registry = createMetrics({ db: {} as Db }).registry;
  const registered = new Map(registry.getMetricsAsArray().map((m) => [m.name, String(m.type)]));

  it('queries something in every panel, and only metrics of its own namespaces', () => {
    expect(panels.length).toBeGreaterThanOrEqual(10);
    for (const panel of panels) expect(panel.targets?.length ?? 0, panel.title).toBeGreaterThan(0);
    for (const { panel, expr } of queries) expect(seriesIn(expr).length, `${panel}: ${expr}`).toBeGreaterThan(0);
  });

  it('reads only series that /metrics registers or the Temporal worker serves', () => {
    const unknown: string[] = [];
    for (const { panel, expr } of queries)
      for (const series of seriesIn(expr)) {
        if (series.startsWith('temporal_')) {
          const base = series.replace(/_(bucket|count|sum)$/, '');
          if (!(TEMPORAL_SDK_SERIES as readonly string[]).includes(base)) unknown.push(`${panel}: ${series}`);
          continue;
        }
        if (registered.has(series)) continue;
        const histogram = /^(.*)_(bucket|count|sum)$/.exec(series)?.[1];
        if (histogram && registered.get(histogram) === 'histogram') continue;
        unknown.push(`${panel}: ${series}`);
      }
    expect(unknown).toEqual([]);
  });

  it('shows every business series the issue names', () => {
    const read = new Set(queries.flatMap(({ expr }) => seriesIn(expr)));
    for (const series of [
      'mopd_http_request_duration_seconds_bucket',
      'mopd_outbox_waiting_emails',
      'mopd_outbox_oldest_waiting_seconds',
      'mopd_outbox_dead_letters',
      'mopd_open_cases',
      'mopd_open_cases_past_due',
      'mopd_rule_set_last_recompute_seconds',
      'mopd_deadline_reminder_emails_sent',
      'temporal_workflow_task_schedule_to_start_latency_bucket',
      'temporal_activity_execution_latency_bucket',
    ])
      expect(read.has(series), series).toBe(true);
  });
});
