/**
 * Workforce analytics for policy staff, reviewers and admins: the state's view of the workforce as
 * a whole (aggregates with small groups suppressed), as JSON or CSV. Not for professionals,
 * trainers, directors or inspectors: their access is to people and facilities in their own scope,
 * and statewide figures are a policy tool, not theirs to need.
 */
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import type { Db } from '../../db/connection.js';
import { analyticsCsvRows, analyticsReport, ANALYTICS_REPORTS } from '../../services/analytics/reports.js';
import { NO_REGION } from '../../db/analytics.js';
import { localDateOf } from '../../rules/dates.js';
import { REGIONS } from '../../rules/domain.js';
import { policies } from '../access/policies.js';
import { route, type RouteDefinition } from '../access/routes.js';
import { localDate } from '../schemas.js';
import * as responses from '../responses/analytics.js';

export const analyticsQuery = z
  .object({
    from: localDate.optional(),
    to: localDate.optional(),
    region: z
      .enum([...REGIONS, NO_REGION], { error: `must be one of ${[...REGIONS, NO_REGION].join(', ')}` })
      .optional(),
    period: z.enum(['month', 'quarter'], { error: 'must be month or quarter' }).optional(),
    format: z.enum(['json', 'csv'], { error: 'must be json or csv' }).default('json'),
  })
  .strict();

const SUMMARIES: Record<(typeof ANALYTICS_REPORTS)[number], string> = {
  workforce: 'Professionals by region and role, and by region and career level, on a date (`to`, today by default)',
  compliance: 'Compliance rate (last computed) by program type and region',
  'training-hours':
    'Credited training hours by topic and quarter or month (`period`, quarter by default), from `from` to `to` (the last twelve months by default)',
  demand:
    'Where training is missing: registrations, waitlists and open deadlines against events and seats by topic and region, largest gap first; people owing hours against seats left by region',
  forecast:
    'Statewide forecast by program type and region: the share at risk of not making an hours requirement by the end of its period at their pace of the last 12 months, and the hours of training needed before December 31 (sum of projected shortfalls)',
};

export function analyticsRoutes({ db }: { db: Db }): RouteDefinition[] {
  return ANALYTICS_REPORTS.map((name) =>
    route({
      method: 'get',
      path: `/api/analytics/${name}`,
      summary: `${SUMMARIES[name]}. Cells describing fewer than N people (setting analytics_small_group_threshold, 5) are suppressed, with enough others that none can be worked out from the totals; JSON or CSV`,
      tags: ['reports'],
      policy: policies.roles(
        ['policy_staff', 'reviewer', 'admin'],
        'Policy staff, reviewers and admins (state staff who see the whole registry)',
      ),
      query: analyticsQuery,
      response: responses.getAnalyticsReport,
      produces: 'text/csv',
      handle: async ({ query, res }) => {
        const { format, ...filters } = query;
        const report = await analyticsReport(db, name, filters, localDateOf(new Date()));
        if (format === 'json') return report;
        res.type('text/csv; charset=utf-8');
        res.attachment(
          `analytics-${name}-${report.from}-${report.to}${report.region ? `-${report.region.replace(/[^A-Za-z]+/g, '-')}` : ''}.csv`,
        );
        res.send(stringify(analyticsCsvRows(report)));
        return undefined;
      },
    }),
  );
}
