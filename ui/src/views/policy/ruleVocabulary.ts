/**
 * What the rule editor offers, read from the rule vocabulary (facts, fields, operators, event
 * types: rules/vocabulary.ts) and the rule-set schema (each event type's parameters:
 * rules/schema.ts), so a fact, operator or event parameter added there appears here unchanged.
 * Also where a validation problem's path (`rules.3.conditions.all.1.value`) lands in the editor.
 * The editor's own hints and problems are messages (`policy.vocabulary.*`); the vocabulary's names
 * (facts, fields, operators, event types, parameters) are the rule set's words and stay as written.
 */
import { z } from 'zod';
import { ruleSetDocument } from '../../../../rules/schema';
import { describeCondition } from '../../../../rules/diff';
import {
  DEFAULT_FACTS,
  DEGREES,
  EVENT_TYPES,
  FACTS,
  OPERATORS,
  SCOPES,
  fieldOf,
  type Field,
  type RuleScope,
} from '../../../../rules/vocabulary';
import type { Condition, EditableDocument, EditableRule, Problem } from '../../ruleSets';
import { i18n } from '../../i18n';

const t = (key: string, values: Record<string, unknown> = {}) => i18n.global.t(`policy.vocabulary.${key}`, values);

export { DEFAULT_FACTS, EVENT_TYPES, OPERATORS, SCOPES, type Field, type RuleScope };

export const isScope = (scope: unknown): scope is RuleScope => (SCOPES as readonly unknown[]).includes(scope);

export type Leaf = Extract<Condition, { fact: string }>;
export const isLeaf = (c: unknown): c is Leaf => !!c && typeof c === 'object' && 'fact' in c;
export const isReference = (value: unknown): value is { fact: string; path?: string } =>
  !!value && typeof value === 'object' && !Array.isArray(value) && 'fact' in value;

/** 'withinDays' → 'Within days'. */
export const labelOf = (name: string) => {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

// ── Facts and fields ─────────────────────────────────────────────────────────────────────────

export interface FieldOption {
  /** `fact.field`, the select's value. */
  key: string;
  fact: string;
  field: string;
  spec: Field;
}

/** The fields a rule of the scope may read, grouped by fact. */
export function factsOf(scope: string): Array<{ fact: string; fields: FieldOption[] }> {
  if (!isScope(scope)) return [];
  return Object.entries(FACTS[scope]).map(([fact, fields]) => ({
    fact,
    fields: Object.entries(fields).map(([field, spec]) => ({ key: `${fact}.${field}`, fact, field, spec })),
  }));
}

export function fieldSpec(scope: string, fact: string | undefined, path: string | undefined): Field | undefined {
  if (!isScope(scope) || !fact) return undefined;
  const name = fieldOf(path);
  return name ? FACTS[scope][fact]?.[name] : undefined;
}

/** The operators that compare a field of this kind (json-rules-engine's and the vocabulary's). */
export function operatorsFor(field: Field | undefined): string[] {
  const kind = field?.type.kind;
  return Object.entries(OPERATORS)
    .filter(([, op]) => {
      if (!kind) return true;
      switch (op.kind) {
        case 'any':
        case 'list-of-fact':
          return kind !== 'list';
        case 'number':
          return kind === 'number';
        case 'contains':
          return kind === 'list';
        case 'date':
          return kind === 'date';
        case 'degree':
          return kind === 'degree';
      }
    })
    .map(([name]) => name);
}

export type ValueControl = 'checkbox' | 'number' | 'date' | 'select' | 'text' | 'list' | 'reference' | 'json';

/** How a condition's value is entered: typed by the field it compares and the operator. */
export function valueControlOf(field: Field | undefined, operator: string, value: unknown): ValueControl {
  if (isReference(value)) return 'reference';
  if (!field) return 'json';
  const op = OPERATORS[operator]?.kind;
  if (op === 'list-of-fact') return 'list';
  if (op === 'date') return 'date';
  if (op === 'degree') return 'select';
  if (op === 'contains') return 'text';
  switch (field.type.kind) {
    case 'boolean':
      return 'checkbox';
    case 'number':
      return 'number';
    case 'date':
      return 'date';
    case 'degree':
      return 'select';
    case 'text':
      return field.type.values ? 'select' : 'text';
    case 'list':
      return 'text';
  }
}

/** The values a select offers for the field. */
export function choicesOf(field: Field | undefined): readonly string[] {
  if (field?.type.kind === 'degree') return DEGREES;
  if (field?.type.kind === 'text') return field.type.values ?? [];
  return [];
}

/** A sensible first value when the field or operator changes, so the row stays well typed. */
export function defaultValue(field: Field | undefined, operator: string): unknown {
  const op = OPERATORS[operator]?.kind;
  if (op === 'list-of-fact') return [];
  if (op === 'contains' || op === 'date') return '';
  if (op === 'degree') return DEGREES[0];
  switch (field?.type.kind) {
    case 'boolean':
      return true;
    case 'number':
      return field.type.min ?? 0;
    case 'degree':
      return DEGREES[0];
    case 'text':
      return field.type.values?.[0] ?? '';
    default:
      return '';
  }
}

/** One item of a comma list, typed as the field's values are. */
export function listItem(field: Field | undefined, text: string): unknown {
  if (field?.type.kind === 'number' && text !== '' && !Number.isNaN(Number(text))) return Number(text);
  if (field?.type.kind === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

/** Any condition in words, nested groups included, for the rows the form does not edit. */
export function describe(scope: string, condition: unknown): string {
  const c = condition as Record<string, unknown>;
  if (isLeaf(c)) return isScope(scope) ? describeCondition(scope, c) : JSON.stringify(c);
  if (Array.isArray(c.all)) return `all of (${c.all.map((x) => describe(scope, x)).join('; ') || 'nothing'})`;
  if (Array.isArray(c.any)) return `any of (${c.any.map((x) => describe(scope, x)).join('; ') || 'nothing'})`;
  if (c.not) return `not (${describe(scope, c.not)})`;
  return JSON.stringify(c);
}

// ── Events and their parameters ─────────────────────────────────────────────────────────────

export interface ParamSpec {
  name: string;
  label: string;
  required: boolean;
  /** 'integer-list': whole numbers written with commas (e.g. reminder points "90, 30, 7"). */
  kind: 'number' | 'integer' | 'integer-list' | 'text' | 'sentence' | 'choice' | 'boolean';
  options: string[];
  min?: number;
  max?: number;
  /** The lower bound is excluded (e.g. hours must be more than 0). */
  minExcluded?: boolean;
}

interface JsonSchema {
  type?: string;
  const?: unknown;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  items?: JsonSchema;
}

/** scope → event type → its parameters, from the schema the API validates with. */
const PARAMS: Map<string, ParamSpec[]> = (() => {
  const found = new Map<string, ParamSpec[]>();
  const schema = z.toJSONSchema(ruleSetDocument, { io: 'input', unrepresentable: 'any' }) as unknown as JsonSchema & {
    properties: { rules: { items: JsonSchema } };
  };
  const rules = schema.properties.rules.items;
  for (const rule of rules.oneOf ?? rules.anyOf ?? [rules]) {
    const scope = rule.properties?.scope?.const;
    const event = rule.properties?.event;
    if (typeof scope !== 'string' || !event) continue;
    for (const variant of event.anyOf ?? event.oneOf ?? [event]) {
      const type = variant.properties?.type?.const;
      const params = variant.properties?.params;
      if (typeof type !== 'string' || !params?.properties) continue;
      const required = new Set(params.required ?? []);
      found.set(
        `${scope}/${type}`,
        Object.entries(params.properties).map(([name, p]) => {
          const options = (p.enum ?? []).map(String);
          const kind: ParamSpec['kind'] =
            options.length > 0
              ? 'choice'
              : p.type === 'array' && p.items?.type === 'integer'
                ? 'integer-list'
                : p.type === 'number'
                  ? 'number'
                  : p.type === 'integer'
                    ? 'integer'
                    : p.type === 'boolean'
                      ? 'boolean'
                      : (p.minLength ?? 0) >= 10
                        ? 'sentence'
                        : 'text';
          return {
            name,
            label: labelOf(name),
            required: required.has(name),
            kind,
            options,
            // A list's bounds are its items'.
            min: (p.items ?? p).minimum ?? (p.items ?? p).exclusiveMinimum,
            minExcluded: (p.items ?? p).exclusiveMinimum !== undefined,
            max: (p.items ?? p).maximum,
          };
        }),
      );
    }
  }
  return found;
})();

/** The event types a scope's rules may have. */
export const eventTypesOf = (scope: string): readonly string[] => (isScope(scope) ? EVENT_TYPES[scope] : []);

/**
 * The parameters to show for an event: those its type has, then any other the document carries
 * (shown by their value's type, so the validator's word about them has a field to sit beside).
 */
export function paramsOf(scope: string, type: string, params: Record<string, unknown>): ParamSpec[] {
  const known = PARAMS.get(`${scope}/${type}`) ?? [];
  const names = new Set(known.map((p) => p.name));
  const extra = Object.entries(params)
    .filter(([name]) => !names.has(name))
    .map(([name, value]): ParamSpec => ({
      name,
      label: labelOf(name),
      required: false,
      options: [],
      kind: typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'text',
    }));
  return [...known, ...extra];
}

export const isKnownParam = (scope: string, type: string, name: string) =>
  (PARAMS.get(`${scope}/${type}`) ?? []).some((p) => p.name === name);

export function paramHint(p: ParamSpec): string | undefined {
  const bits: string[] = [];
  if (p.kind === 'integer-list') bits.push(t('integerList'));
  if (p.kind === 'number' || p.kind === 'integer' || p.kind === 'integer-list') {
    if (p.min !== undefined && p.max !== undefined)
      bits.push(t(p.minExcluded ? 'moreThanAtMost' : 'fromTo', { min: p.min, max: p.max }));
    else if (p.min !== undefined) bits.push(t(p.minExcluded ? 'moreThan' : 'atLeast', { min: p.min }));
    if (p.kind === 'integer') bits.push(t('wholeNumber'));
  }
  if (!p.required) bits.push(t('optional'));
  const hint = bits.join('; ');
  return hint ? `${hint.charAt(0).toUpperCase()}${hint.slice(1)}.` : undefined;
}

/**
 * What is wrong with one parameter's value, judged by its spec. The server's problem for an event
 * whose parameters do not fit names only the event; this points at the parameter.
 */
export function paramProblem(p: ParamSpec, value: unknown): string | undefined {
  if (value === undefined || value === '' || value === null)
    return p.required ? t('needed', { label: p.label }) : undefined;
  if (p.kind === 'number' || p.kind === 'integer') {
    if (typeof value !== 'number') return t('isNumber', { label: p.label });
    if (p.kind === 'integer' && !Number.isInteger(value)) return t('isWholeNumber', { label: p.label });
    if (p.min !== undefined && (p.minExcluded ? value <= p.min : value < p.min)) return paramHint(p);
    if (p.max !== undefined && value > p.max) return paramHint(p);
  }
  if (p.kind === 'integer-list') {
    const days = Array.isArray(value) ? value : [value];
    if (days.some((d) => typeof d !== 'number' || !Number.isInteger(d))) return t('isIntegerList', { label: p.label });
    if (days.some((d) => (p.min !== undefined && d < p.min) || (p.max !== undefined && d > p.max))) return paramHint(p);
    if (new Set(days).size !== days.length) return t('isDistinct', { label: p.label });
  }
  if (p.kind === 'choice' && !p.options.includes(String(value)))
    return t('isOneOf', { label: p.label, options: p.options.join(', ') });
  if (p.kind === 'boolean' && typeof value !== 'boolean') return t('isBoolean', { label: p.label });
  return undefined;
}

/** Parameters for a newly chosen event type: what the old event shares with it, the rest blank. */
export function paramsForType(scope: string, type: string, old: Record<string, unknown> = {}): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const p of PARAMS.get(`${scope}/${type}`) ?? []) {
    if (p.name in old) params[p.name] = old[p.name];
    else if (p.required)
      params[p.name] =
        p.kind === 'choice'
          ? p.options[0]
          : p.kind === 'number' || p.kind === 'integer'
            ? Math.max(1, p.min ?? 1)
            : p.kind === 'boolean'
              ? false
              : '';
  }
  return params;
}

export function blankRule(scope: RuleScope): EditableRule {
  const type = EVENT_TYPES[scope][0]!;
  return {
    id: '',
    description: '',
    source: '',
    scope,
    conditions: { all: [] },
    event: { type, params: paramsForType(scope, type) },
  };
}

export function blankCondition(scope: string): Leaf {
  const first = factsOf(scope)[0]?.fields[0];
  if (!first) return { fact: '', path: '$.', operator: 'equal', value: '' };
  return { fact: first.fact, path: `$.${first.field}`, operator: 'equal', value: defaultValue(first.spec, 'equal') };
}

// ── The document's shape as far as the form needs it ────────────────────────────────────────

/** Why the form cannot show this document (then it is edited as JSON), or null. */
export function formBlocker(doc: unknown): string | null {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return t('notObject');
  const rules = (doc as { rules?: unknown }).rules;
  if (!Array.isArray(rules)) return t('needsRules');
  for (const [i, rule] of rules.entries()) {
    const r = rule as Record<string, unknown> | null;
    if (!r || typeof r !== 'object' || Array.isArray(r)) return t('ruleNotObject', { n: i + 1 });
    if (!r.conditions || typeof r.conditions !== 'object' || Array.isArray(r.conditions))
      return t('ruleNeedsConditions', { n: i + 1 });
    const event = r.event as Record<string, unknown> | null;
    if (
      !event ||
      typeof event !== 'object' ||
      !event.params ||
      typeof event.params !== 'object' ||
      Array.isArray(event.params)
    )
      return t('ruleNeedsEvent', { n: i + 1 });
  }
  return null;
}

/** The top-level group the form edits row by row: all or any; null when it is a `not` or malformed. */
export function topGroup(rule: EditableRule): { join: 'all' | 'any'; items: Condition[] } | null {
  const c = rule.conditions as Record<string, unknown>;
  const keys = Object.keys(c);
  if (keys.length !== 1) return null;
  if (Array.isArray(c.all)) return { join: 'all', items: c.all as Condition[] };
  if (Array.isArray(c.any)) return { join: 'any', items: c.any as Condition[] };
  return null;
}

// ── Problems, placed beside the field they name ─────────────────────────────────────────────

/**
 * Where a problem belongs in the form: its rule and a slot — 'id', 'description', 'source',
 * 'scope', 'priority', 'c1.field' | 'c1.operator' | 'c1.value' | 'c1' (a condition row),
 * 'conditions', 'event.type', 'param.hours', or 'rule' for the rule as a whole.
 */
export function placeProblem(path: string): { rule: number; slot: string } | null {
  const m = /^rules\.(\d+)(?:\.(.*))?$/.exec(path);
  if (!m) return null;
  const rule = Number(m[1]);
  const rest = m[2] ?? '';
  if (['id', 'description', 'source', 'scope', 'priority'].includes(rest)) return { rule, slot: rest };
  const condition = /^conditions\.(?:all|any)\.(\d+)(?:\.(.*))?$/.exec(rest);
  if (condition) {
    const row = `c${condition[1]}`;
    const part = condition[2] ?? '';
    if (part === 'fact' || part === 'path') return { rule, slot: `${row}.field` };
    if (part === 'operator') return { rule, slot: `${row}.operator` };
    if (part === 'value' || /^value\.\d+$/.test(part)) return { rule, slot: `${row}.value` };
    return { rule, slot: row };
  }
  if (rest.startsWith('conditions')) return { rule, slot: 'conditions' };
  const param = /^event\.params\.([^.]+)/.exec(rest);
  if (param) return { rule, slot: `param.${param[1]}` };
  if (rest.startsWith('event')) return { rule, slot: 'event.type' };
  return { rule, slot: 'rule' };
}

/** The element id of the control a slot names, to move focus to from the problem summary. */
export function controlId(rule: number, slot: string): string {
  if (/^c\d+$/.test(slot)) return `r${rule}-${slot}-field`;
  if (slot === 'conditions') return `r${rule}-conditions`;
  if (slot === 'rule') return `r${rule}-id`;
  return `r${rule}-${slot.replace('.', '-')}`;
}

/** The problems of each rule, by slot; and those of the document as a whole. */
export function problemsBySlot(problems: Problem[]): {
  rules: Map<number, Map<string, string[]>>;
  document: Problem[];
} {
  const rules = new Map<number, Map<string, string[]>>();
  const document: Problem[] = [];
  for (const p of problems) {
    const at = placeProblem(p.path);
    if (!at) {
      document.push(p);
      continue;
    }
    const slots = rules.get(at.rule) ?? new Map<string, string[]>();
    rules.set(at.rule, slots);
    slots.set(at.slot, [...(slots.get(at.slot) ?? []), p.message]);
  }
  return { rules, document };
}

const shownValue = (value: unknown) =>
  Array.isArray(value) ? (value.length ? value.join(', ') : 'none') : value === null ? 'none' : String(value);

/**
 * A worked case's expected or actual outcome as lines, one per value with where it is:
 * "requirements: licensing-annual-hours", "hours › licensing-annual-hours: 12".
 */
export function outcomeLines(outcome: unknown, at: string[] = []): string[] {
  if (outcome && typeof outcome === 'object' && !Array.isArray(outcome)) {
    const entries = Object.entries(outcome);
    if (entries.length === 0) return at.length ? [`${at.join(' › ')}: none`] : [];
    return entries.flatMap(([key, value]) => outcomeLines(value, [...at, key]));
  }
  return [`${at.join(' › ')}: ${shownValue(outcome)}`];
}

export type { EditableDocument, EditableRule, Condition };
