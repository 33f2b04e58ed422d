/** Rule-set versions tests and benchmarks publish on top of the shipped one. */
import type { Db } from '../../db/connection.js';
import type { RuleSetDocument } from '../../rules/schema.js';
import { shippedRuleSets } from '../../rules/versions/index.js';

/**
 * Publishes (or, with status 'draft', only drafts) a version that is version 1 with the
 * calendar-year (licensing) hours changed, as policy staff would: from its effective date, those
 * hours are required.
 */
export async function publishLicensingHours(
  db: Db,
  options: { version: number; effectiveFrom: string; hours: number; status?: 'published' | 'draft' },
): Promise<RuleSetDocument> {
  const v1 = shippedRuleSets[0]!;
  const document: RuleSetDocument = {
    ...v1,
    version: options.version,
    effectiveFrom: options.effectiveFrom,
    rules: v1.rules.map((rule) =>
      rule.scope === 'employment' &&
      rule.event.type === 'hours-requirement' &&
      rule.event.params.period === 'calendar-year'
        ? {
            ...rule,
            event: {
              ...rule.event,
              params: {
                ...rule.event.params,
                hours: options.hours,
                label: `Licensing: ${options.hours} clock hours each calendar year`,
              },
            },
          }
        : rule,
    ),
  };
  const status = options.status ?? 'published';
  await db('rule_set_versions').insert({
    rule_set: document.ruleSet,
    version: document.version,
    status,
    effective_from: status === 'published' ? document.effectiveFrom : null,
    document: JSON.stringify(document),
    change_note: `Licensing hours set to ${options.hours}`,
  });
  return document;
}
