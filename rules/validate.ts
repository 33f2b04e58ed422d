/**
 * Checks a rule-set document before it may be saved as validated: first its shape (the schema),
 * then its meaning against the vocabulary — unknown facts, fields, operators or event types,
 * values of the wrong type, rules that can never fire, and two rules that contradict each other.
 * Every problem names the rule and the field at fault, in words a policy analyst reads.
 */
import type { ZodError } from 'zod';
import { isLocalDate } from './dates.js';
import { canonicalJson } from './canonicalJson.js';
import { ruleSetDocument, type RuleSetDocument } from './schema.js';
import { DEGREES, EVENT_TYPES, FACTS, OPERATORS, SCOPES, fieldOf, type Field, type RuleScope } from './vocabulary.js';

export interface Problem {
  /** The rule's id when the problem is in a rule; null for the document as a whole. */
  ruleId: string | null;
  /** Where in the document, e.g. 'rules.3.conditions.all.1.value'. */
  path: string;
  message: string;
}

export type Validation = { ok: true; document: RuleSetDocument; problems: [] } | { ok: false; problems: Problem[] };

/**
 * The codes the registry holds (its `program_types` and `professional_roles` tables, read by the
 * service that validates a draft): a condition naming another code would never match anyone.
 */
export interface RegistryCodes {
  programTypes: readonly string[];
  professionalRoles: readonly string[];
  /**
   * Codes the registry holds but no longer offers (`active` false) that a draft may not newly
   * name: a rule written for them would govern nobody hired from now on. Codes a published version
   * already names are left out by the service, so a draft carries forward the rules that still
   * govern the people who hold them.
   */
  inactive?: { programTypes: readonly string[]; professionalRoles: readonly string[] };
}

/** The fields whose values are registry codes, by scope, fact and field; and what the registry calls them. */
const REGISTRY_FIELDS: Array<{
  scope: RuleScope;
  fact: string;
  field: string;
  codes: 'programTypes' | 'professionalRoles';
  name: string;
  where: string;
}> = [
  {
    scope: 'employment',
    fact: 'organization',
    field: 'programType',
    codes: 'programTypes',
    name: 'program type',
    where: 'Admin → Program types',
  },
  {
    scope: 'employment',
    fact: 'employment',
    field: 'role',
    codes: 'professionalRoles',
    name: 'professional role',
    where: 'Admin → Professional roles',
  },
];

/** The registry codes a leaf names, each with the path of its value and the registry it is of. */
function codesNamed(
  scope: RuleScope,
  leaf: Leaf,
  at: string,
): Array<{ path: string; value: string; entry: (typeof REGISTRY_FIELDS)[number] }> {
  const entry = REGISTRY_FIELDS.find(
    (r) => r.scope === scope && r.fact === leaf.fact && r.field === fieldOf(leaf.path),
  );
  if (!entry) return [];
  const values: Array<{ path: string; value: unknown }> = Array.isArray(leaf.value)
    ? leaf.value.map((value, i) => ({ path: `${at}.value.${i}`, value }))
    : [{ path: `${at}.value`, value: leaf.value }];
  return values
    .filter((v): v is { path: string; value: string } => typeof v.value === 'string')
    .map((v) => ({ ...v, entry }));
}

/** What is wrong with a code a leaf names: not in the registry, or no longer offered; null when neither. */
function codeProblem(
  ruleId: string,
  named: ReturnType<typeof codesNamed>[number],
  registry: RegistryCodes,
): string | null {
  const { entry, value } = named;
  if (!registry[entry.codes].includes(value))
    return `rule ${ruleId} names the ${entry.name} "${value}", which the registry does not have (it has ${registry[entry.codes].join(', ') || 'none'}); add it under ${entry.where} first, or correct the code`;
  if (registry.inactive?.[entry.codes].includes(value))
    return `rule ${ruleId} names the ${entry.name} "${value}", which the registry marks inactive (nobody is given it any more, and no version in effect names it); make it active again under ${entry.where}, or remove it from the rule`;
  return null;
}

/**
 * The program types and professional roles a document's rules name, by registry: what a
 * published version already governs (a draft may carry those forward even once inactive).
 */
export function registryCodesNamedBy(document: RuleSetDocument): {
  programTypes: string[];
  professionalRoles: string[];
} {
  const named = { programTypes: new Set<string>(), professionalRoles: new Set<string>() };
  const walk = (scope: RuleScope, c: Condition) => {
    if (isLeaf(c)) for (const n of codesNamed(scope, c, '')) named[n.entry.codes].add(n.value);
    else if ('all' in c) c.all.forEach((x) => walk(scope, x));
    else if ('any' in c) c.any.forEach((x) => walk(scope, x));
    else walk(scope, c.not);
  };
  for (const rule of document.rules) walk(rule.scope, rule.conditions as Condition);
  return { programTypes: [...named.programTypes], professionalRoles: [...named.professionalRoles] };
}

interface Leaf {
  fact: string;
  path?: string;
  operator: string;
  value: unknown;
}
type Condition = Leaf | { all: Condition[] } | { any: Condition[] } | { not: Condition };

const isLeaf = (c: Condition): c is Leaf => 'fact' in c;
const describeValue = (v: unknown) => JSON.stringify(v);

function idAt(input: unknown, index: unknown): string | null {
  const rules = (input as { rules?: unknown })?.rules;
  if (!Array.isArray(rules) || typeof index !== 'number') return null;
  const id = (rules[index] as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : null;
}

function schemaProblems(input: unknown, error: ZodError): Problem[] {
  return error.issues.map((issue) => {
    const [first, index] = issue.path;
    const ruleId = first === 'rules' ? idAt(input, index) : null;
    const path = issue.path.join('.');
    let message = issue.message;
    if (path.endsWith('params.period') || (issue.code === 'invalid_union' && path.includes('event'))) {
      message = `${issue.message}: check the event's type and that every parameter it needs is there (an hours requirement needs hours, a period and a back-fill)`;
    }
    return { ruleId, path: path || '(document)', message };
  });
}

/** What a field's value may be: checks one value against the field's type. */
function valueFits(field: Field, value: unknown): string | null {
  if (value === null)
    return field.nullable ? null : `${field.label} is never empty, so comparing it with null never matches`;
  const t = field.type;
  switch (t.kind) {
    case 'boolean':
      return typeof value === 'boolean' ? null : `${field.label} is true or false, not ${describeValue(value)}`;
    case 'number':
      if (typeof value !== 'number') return `${field.label} is a number, not ${describeValue(value)}`;
      if ((t.min !== undefined && value < t.min) || (t.max !== undefined && value > t.max))
        return `${field.label} is between ${t.min ?? '…'} and ${t.max ?? '…'}; ${value} is outside`;
      return null;
    case 'date':
      return typeof value === 'string' && isLocalDate(value)
        ? null
        : `${field.label} is a date written YYYY-MM-DD, not ${describeValue(value)}`;
    case 'degree':
      return typeof value === 'string' && (DEGREES as readonly string[]).includes(value)
        ? null
        : `${field.label} is one of ${DEGREES.join(', ')}, not ${describeValue(value)}`;
    case 'list':
      return typeof value === 'string' ? null : `${field.label} holds words such as "CDA", not ${describeValue(value)}`;
    case 'text':
      if (typeof value !== 'string') return `${field.label} is text, not ${describeValue(value)}`;
      return t.values && !t.values.includes(value)
        ? `${field.label} is one of ${t.values.join(', ')}; "${value}" is none of them`
        : null;
  }
}

function checkLeaf(
  scope: RuleScope,
  leaf: Leaf,
  at: string,
  problem: (path: string, message: string) => void,
): Field | null {
  const facts = FACTS[scope];
  const fields = facts[leaf.fact];
  if (!fields) {
    problem(`${at}.fact`, `"${leaf.fact}" is not a fact of ${scope} rules; they read ${Object.keys(facts).join(', ')}`);
    return null;
  }
  const name = fieldOf(leaf.path);
  if (!name) {
    problem(
      `${at}.path`,
      `say which field of ${leaf.fact} to read, as $.field (one of ${Object.keys(fields).join(', ')})`,
    );
    return null;
  }
  const field = fields[name];
  if (!field) {
    problem(`${at}.path`, `${leaf.fact} has no field "${name}"; it has ${Object.keys(fields).join(', ')}`);
    return null;
  }
  const operator = OPERATORS[leaf.operator];
  if (!operator) {
    problem(`${at}.operator`, `"${leaf.operator}" is not an operator; use one of ${Object.keys(OPERATORS).join(', ')}`);
    return field;
  }
  // A value may be another fact's field: it must be of the same type.
  const reference =
    leaf.value && typeof leaf.value === 'object' && !Array.isArray(leaf.value) && 'fact' in (leaf.value as object)
      ? (leaf.value as { fact: string; path?: string })
      : null;
  if (reference) {
    const other = facts[reference.fact]?.[fieldOf(reference.path) ?? ''];
    if (!other)
      problem(
        `${at}.value`,
        `the value reads ${reference.fact} ${reference.path ?? ''}, which ${scope} rules do not have`,
      );
    else if (other.type.kind !== field.type.kind)
      problem(
        `${at}.value`,
        `${field.label} cannot be compared with ${other.label}: one is ${field.type.kind}, the other ${other.type.kind}`,
      );
    return field;
  }
  const mismatch = (message: string) => problem(`${at}.value`, message);
  switch (operator.kind) {
    case 'any': {
      const wrong = valueFits(field, leaf.value);
      if (wrong) mismatch(wrong);
      break;
    }
    case 'number':
      if (field.type.kind !== 'number')
        problem(`${at}.operator`, `"${leaf.operator}" compares numbers; ${field.label} is ${field.type.kind}`);
      else if (typeof leaf.value !== 'number')
        mismatch(`${leaf.operator} needs a number, not ${describeValue(leaf.value)}`);
      break;
    case 'list-of-fact':
      // "is none of" an empty list holds for everyone: a list of exceptions with none yet (the
      // roles exempt from an hour requirement). "is one of" an empty list never holds.
      if (!Array.isArray(leaf.value) || (leaf.value.length === 0 && leaf.operator !== 'notIn'))
        mismatch(`"${leaf.operator}" needs a list of values, e.g. ["a", "b"]`);
      else
        leaf.value.forEach((v, i) => {
          const wrong = valueFits(field, v);
          if (wrong) problem(`${at}.value.${i}`, wrong);
        });
      break;
    case 'contains':
      if (field.type.kind !== 'list')
        problem(`${at}.operator`, `"${leaf.operator}" looks inside a list; ${field.label} is not one`);
      else if (typeof leaf.value !== 'string') mismatch(`"${leaf.operator}" needs a word to look for`);
      break;
    case 'date':
      if (field.type.kind !== 'date')
        problem(`${at}.operator`, `"${leaf.operator}" compares dates; ${field.label} is ${field.type.kind}`);
      else if (typeof leaf.value !== 'string' || !isLocalDate(leaf.value))
        mismatch(`${leaf.operator} needs a date written YYYY-MM-DD (or another date fact)`);
      break;
    case 'degree':
      if (field.type.kind !== 'degree')
        problem(`${at}.operator`, `"${leaf.operator}" compares degrees; ${field.label} is ${field.type.kind}`);
      else {
        const wrong = valueFits(field, leaf.value);
        if (wrong) mismatch(wrong);
      }
      break;
  }
  return field;
}

/** What one field may be, as narrowed by the conditions of an `all`: null when nothing fits. */
interface Narrowed {
  equals?: unknown;
  notEquals: unknown[];
  oneOf?: unknown[];
  low?: { value: number; inclusive: boolean };
  high?: { value: number; inclusive: boolean };
}

/** Why the leaves of an `all` can never hold together, or null. Simple values only; references are skipped. */
function neverTogether(leaves: Leaf[]): string | null {
  const byField = new Map<string, Narrowed>();
  for (const leaf of leaves) {
    if (leaf.value && typeof leaf.value === 'object' && !Array.isArray(leaf.value)) continue;
    const key = `${leaf.fact}.${fieldOf(leaf.path) ?? leaf.path ?? ''}`;
    const n = byField.get(key) ?? { notEquals: [] };
    byField.set(key, n);
    const v = leaf.value;
    switch (leaf.operator) {
      case 'equal':
        if (n.equals !== undefined && n.equals !== v)
          return `${key} cannot be both ${describeValue(n.equals)} and ${describeValue(v)}`;
        n.equals = v;
        break;
      case 'notEqual':
        n.notEquals.push(v);
        break;
      case 'in':
        if (Array.isArray(v)) n.oneOf = n.oneOf ? n.oneOf.filter((x) => v.includes(x)) : [...v];
        break;
      case 'notIn':
        if (Array.isArray(v)) n.notEquals.push(...v);
        break;
      case 'greaterThan':
      case 'greaterThanInclusive':
        if (
          typeof v === 'number' &&
          (!n.low || v > n.low.value || (v === n.low.value && leaf.operator === 'greaterThan'))
        )
          n.low = { value: v, inclusive: leaf.operator === 'greaterThanInclusive' };
        break;
      case 'lessThan':
      case 'lessThanInclusive':
        if (
          typeof v === 'number' &&
          (!n.high || v < n.high.value || (v === n.high.value && leaf.operator === 'lessThan'))
        )
          n.high = { value: v, inclusive: leaf.operator === 'lessThanInclusive' };
        break;
    }
  }
  for (const [key, n] of byField) {
    if (n.equals !== undefined && n.notEquals.includes(n.equals))
      return `${key} must be ${describeValue(n.equals)} and must not be, at once`;
    if (n.equals !== undefined && n.oneOf && !n.oneOf.includes(n.equals))
      return `${key} must be ${describeValue(n.equals)}, which is not among ${describeValue(n.oneOf)}`;
    if (n.oneOf && n.oneOf.filter((x) => !n.notEquals.includes(x)).length === 0)
      return `no value of ${key} is allowed by both its lists`;
    if (
      n.low &&
      n.high &&
      (n.low.value > n.high.value || (n.low.value === n.high.value && !(n.low.inclusive && n.high.inclusive)))
    ) {
      return `${key} cannot be ${n.low.inclusive ? 'at least' : 'more than'} ${n.low.value} and ${n.high.inclusive ? 'at most' : 'less than'} ${n.high.value}`;
    }
    if (
      typeof n.equals === 'number' &&
      ((n.low && (n.equals < n.low.value || (n.equals === n.low.value && !n.low.inclusive))) ||
        (n.high && (n.equals > n.high.value || (n.equals === n.high.value && !n.high.inclusive))))
    ) {
      return `${key} must be ${n.equals}, which its other conditions rule out`;
    }
  }
  return null;
}

/** The leaves that must all hold for a rule to fire (its top-level `all`, and nested `all`s). */
function requiredLeaves(condition: Condition): Leaf[] {
  if (isLeaf(condition)) return [condition];
  if ('all' in condition) return condition.all.flatMap(requiredLeaves);
  return [];
}

/** What two rules of the same kind decide about the same thing, when they may both fire; else null. */
function contradiction(a: RuleSetDocument['rules'][number], b: RuleSetDocument['rules'][number]): string | null {
  if (a.scope !== b.scope || a.event.type !== b.event.type) return null;
  const pa = a.event.params as Record<string, unknown>;
  const pb = b.event.params as Record<string, unknown>;
  // What the event is about: a requirement, a career level, a credential's renewal.
  const subject = (p: Record<string, unknown>) =>
    (p.requirement ?? (a.scope === 'career' ? p.level : undefined)) as unknown;
  if (subject(pa) === undefined || subject(pa) !== subject(pb)) return null;
  if (canonicalJson(pa) === canonicalJson(pb)) return null;
  // Both may fire when one rule's required conditions include all of the other's.
  const la = new Set(requiredLeaves(a.conditions as Condition).map(canonicalJson));
  const lb = new Set(requiredLeaves(b.conditions as Condition).map(canonicalJson));
  const within = (x: Set<string>, y: Set<string>) => [...x].every((c) => y.has(c));
  if (!within(la, lb) && !within(lb, la)) return null;
  const differing = Object.keys({ ...pa, ...pb }).filter((k) => canonicalJson(pa[k]) !== canonicalJson(pb[k]));
  return `rules ${a.id} and ${b.id} both apply to the same people and disagree about ${describeValue(subject(pa))}: ${differing.map((k) => `${k} ${describeValue(pa[k])} against ${describeValue(pb[k])}`).join(', ')}`;
}

/**
 * Validates a rule-set document. Given the registry's codes, a condition naming a program type or
 * professional role the registry does not hold, or newly naming one it no longer offers, is a
 * problem too (without them, any code passes: the pure checks cannot know the registry).
 */
export function validateRuleSet(input: unknown, registry?: RegistryCodes): Validation {
  const parsed = ruleSetDocument.safeParse(input);
  if (!parsed.success) return { ok: false, problems: schemaProblems(input, parsed.error) };
  const document = parsed.data;
  const problems: Problem[] = [];

  document.rules.forEach((rule, index) => {
    const at = `rules.${index}`;
    const problem = (path: string, message: string) => problems.push({ ruleId: rule.id, path, message });
    if (!(SCOPES as readonly string[]).includes(rule.scope))
      return problem(`${at}.scope`, `"${rule.scope}" is not a scope`);
    if (!EVENT_TYPES[rule.scope].includes(rule.event.type))
      problem(
        `${at}.event.type`,
        `${rule.scope} rules cannot have a "${rule.event.type}" event; they have ${EVENT_TYPES[rule.scope].join(', ')}`,
      );

    const walk = (condition: Condition, path: string) => {
      if (isLeaf(condition)) {
        checkLeaf(rule.scope, condition, path, problem);
        if (registry)
          for (const named of codesNamed(rule.scope, condition, path)) {
            const wrong = codeProblem(rule.id, named, registry);
            if (wrong) problem(named.path, wrong);
          }
        return;
      }
      if ('all' in condition) condition.all.forEach((c, i) => walk(c, `${path}.all.${i}`));
      else if ('any' in condition) {
        if (condition.any.length === 0) problem(`${path}.any`, 'an empty "any" never holds, so this rule never fires');
        condition.any.forEach((c, i) => walk(c, `${path}.any.${i}`));
      } else walk(condition.not, `${path}.not`);
    };
    const conditions = rule.conditions as Condition;
    walk(conditions, `${at}.conditions`);
    const never = neverTogether(requiredLeaves(conditions));
    if (never) problem(`${at}.conditions`, `this rule can never fire: ${never}`);
    // A value outside a field's known values never matches.
    for (const leaf of requiredLeaves(conditions)) {
      const field = FACTS[rule.scope][leaf.fact]?.[fieldOf(leaf.path) ?? ''];
      if (
        leaf.operator === 'equal' &&
        field?.type.kind === 'text' &&
        field.type.values &&
        typeof leaf.value === 'string' &&
        !field.type.values.includes(leaf.value)
      ) {
        problem(`${at}.conditions`, `this rule can never fire: ${field.label} is never "${leaf.value}"`);
      }
    }
  });

  // A list kept one rule per item (accepted issuers, request categories) names each item once.
  const listed = new Map<string, string>();
  document.rules.forEach((rule, index) => {
    const key =
      rule.event.type === 'accepted-issuer'
        ? `the issuer "${rule.event.params.issuer.trim().toLowerCase()}" of ${rule.event.params.credentialKind}`
        : rule.event.type === 'request-category'
          ? `the request category "${rule.event.params.category}"`
          : null;
    if (key === null) return;
    const first = listed.get(key);
    if (first)
      problems.push({
        ruleId: rule.id,
        path: `rules.${index}.event.params`,
        message: `${key} is already listed by ${first}`,
      });
    else listed.set(key, rule.id);
  });

  for (let i = 0; i < document.rules.length; i++) {
    for (let j = i + 1; j < document.rules.length; j++) {
      const clash = contradiction(document.rules[i]!, document.rules[j]!);
      if (clash) problems.push({ ruleId: document.rules[j]!.id, path: `rules.${j}`, message: clash });
    }
  }
  return problems.length === 0 ? { ok: true, document, problems: [] } : { ok: false, problems };
}
