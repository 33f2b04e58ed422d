/** The rule-set versions shipped with the code, loaded into rule_set_versions by the seeds. */
import complianceV1 from './mopd-compliance.v1.json' with { type: 'json' };
import { parseRuleSetDocument, type RuleSetDocument } from '../schema.js';

export const shippedRuleSets: RuleSetDocument[] = [parseRuleSetDocument(complianceV1)];

export const COMPLIANCE_RULE_SET = 'mopd-compliance';
