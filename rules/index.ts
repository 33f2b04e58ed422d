export * from './compliance.js';
export * from './dates.js';
export * from './domain.js';
export * from './engine.js';
export * from './schema.js';
export { shippedRuleSets, COMPLIANCE_RULE_SET } from './versions/index.js';
