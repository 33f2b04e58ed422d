/**
 * Prometheus metrics on /metrics: request durations by route, the process's own figures, and the
 * work (outbox, dead letters, open cases by state and age, cases past their reviewer deadline, the
 * last recompute, reminders sent). Read with METRICS_TOKEN as a bearer token, or by a signed-in
 * admin; anyone else gets 401.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../db/connection.js';
import { workFigures } from '../db/metrics.js';
import { holds } from './access/principal.js';

export interface Metrics {
  registry: Registry;
  /** Times every request, labelled by the route pattern that answered it (never the raw URL). */
  timeRequests: RequestHandler;
  /** Answers /metrics to the token's holder or an admin. */
  serve: RequestHandler;
}

/** The route pattern that answered (`/api/cases/:id`); requests no route answered share one label. */
export function routeOf(req: Request): string {
  const pattern = req.route?.path as unknown;
  if (typeof pattern !== 'string') return 'unmatched';
  return `${req.baseUrl}${pattern === '/' && req.baseUrl ? '' : pattern}` || '/';
}

function tokenMatches(header: string | undefined, token: string | undefined): boolean {
  if (!token || !header) return false;
  const given = /^Bearer (.+)$/i.exec(header.trim())?.[1] ?? '';
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(token));
}

export function createMetrics(deps: { db: Db; token?: string }): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'mopd_' });

  const requestDuration = new Histogram({
    name: 'mopd_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Gauge<L>({ name, help, labelNames, registers: [registry] });
  const outboxWaiting = gauge('mopd_outbox_waiting_emails', 'Emails in the outbox not yet sent (pending or queued)');
  const outboxOldest = gauge(
    'mopd_outbox_oldest_waiting_seconds',
    'Age of the oldest email waiting in the outbox; 0 when none waits',
  );
  const deadLetters = gauge('mopd_outbox_dead_letters', 'Emails that failed for good and wait for an admin');
  const openCases = gauge('mopd_open_cases', 'Open approval cases by status and age since submission', [
    'status',
    'age',
  ] as const);
  const pastDue = gauge(
    'mopd_open_cases_past_due',
    "Open approval cases past their reviewer's deadline (service-level breaches), by status",
    ['status'] as const,
  );
  const lastRecompute = gauge(
    'mopd_rule_set_last_recompute_seconds',
    "The last finished recompute of a rule set's publication, from when it could start to when it finished",
    ['rule_set'] as const,
  );
  const remindersSent = gauge('mopd_deadline_reminder_emails_sent', 'Deadline reminder emails sent, ever');

  // Read once per scrape, before the registry is written out.
  const readWork = async () => {
    const figures = await workFigures(deps.db);
    outboxWaiting.set(figures.outbox.waiting);
    outboxOldest.set(figures.outbox.oldestWaitingSeconds);
    deadLetters.set(figures.outbox.dead);
    openCases.reset();
    for (const row of figures.openCases) openCases.set({ status: row.status, age: row.age }, row.count);
    pastDue.reset();
    for (const row of figures.casesPastDue) pastDue.set({ status: row.status }, row.count);
    lastRecompute.reset();
    for (const row of figures.lastRecompute) lastRecompute.set({ rule_set: row.ruleSet }, row.seconds);
    remindersSent.set(figures.remindersSent);
  };

  return {
    registry,
    timeRequests: (req, res, next) => {
      const end = requestDuration.startTimer();
      res.once('finish', () => end({ method: req.method, route: routeOf(req), status_code: String(res.statusCode) }));
      next();
    },
    serve: async (req, res) => {
      const admin = req.principal && holds(req.principal, 'admin') && !req.principal.mfaEnrollmentRequired;
      if (!admin && !tokenMatches(req.headers.authorization, deps.token)) {
        res.setHeader('www-authenticate', 'Bearer');
        res
          .status(401)
          .json({ error: { type: 'Unauthenticated', message: 'Metrics need the metrics token or an admin' } });
        return;
      }
      await readWork();
      res.type(registry.contentType).send(await registry.metrics());
    },
  };
}
