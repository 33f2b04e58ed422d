/**
 * Evaluates a rule-set version with json-rules-engine. One engine per scope is built once per
 * version and reused; facts are supplied per run. The engine decides which events fire; this
 * module only reads their parameters.
 */
import { Engine, type RuleProperties } from 'json-rules-engine';
import type {
  CareerLevelParams,
  CareerRule,
  CredentialRenewalParams,
  CredentialRule,
  EnrollmentRule,
  EmploymentRule,
  HireDeadlineParams,
  HoursRequirementParams,
  PrerequisiteParams,
  RefresherParams,
  RequestCategoryParams,
  RequestRule,
  RuleSetDocument,
  TrainingRule,
} from './schema.js';
import type { CredentialKind, DegreeLevel, DeliveryMode, EmploymentRole, TrainingSource } from './domain.js';
import { addDays, type LocalDate } from './dates.js';
import { vocabularyOperators } from './operators.js';
import { SCOPES as RULE_SCOPES } from './vocabulary.js';

/** Facts of the `training` scope: one training as its credit is decided. */
export interface TrainingFacts {
  training: {
    approved: boolean;
    delivery: DeliveryMode | null;
    topic: string;
    sponsor: string | null;
    hours: number;
    /** The course's clock hours; `hours` is less when the person attended part of it. */
    courseHours: number;
    inPersonHours: number | null;
    source: TrainingSource;
    /** Local date the training was completed. */
    completedOn: LocalDate;
    /** Local date the person registered for it (online courses); null when unknown. */
    registeredOn: LocalDate | null;
    /** The national model of a CPR/First Aid course, e.g. 'American Red Cross'. */
    cprModel: string | null;
    /** Whether the trainer who issued attendance holds an uploaded instructor certification. */
    trainerHasInstructorCertification: boolean | null;
    /** The person was counted in staff-to-child ratio while training. */
    inRatio: boolean;
    /** An online module was used to train a group. */
    usedForGroup: boolean;
  };
  /** What the registry already holds about this person and this course. */
  history: {
    /** Credited completions of the same course earlier in the same calendar year. */
    creditedCompletionsOfCourseThisYear: number;
    /** Another online course was in progress while this one was. */
    overlapsAnotherCourseInProgress: boolean;
  };
}

/** Facts of the `employment` scope: one employment at one organization. */
export interface EmploymentFacts {
  organization: {
    licensed: boolean;
    subsidized: boolean;
    servesInfants: boolean;
    contractYearStartMonth: number | null;
    county: string;
    /** A registered program type's code (program_types), e.g. 'child_care'. */
    programType: string;
  };
  /** `role` is a registered professional role's code (professional_roles). */
  employment: { role: EmploymentRole; hireDate: LocalDate; endDate: LocalDate | null };
}

/** Facts of the `career` scope: what a person has learned, for their career level. */
export interface CareerFacts {
  education: {
    /** The highest degree held (DEGREE_LEVELS), or null. */
    highestDegree: DegreeLevel | null;
    /** Credentials held, by title, e.g. 'CDA'. */
    credentials: string[];
    /** College credit hours of coursework. */
    collegeCreditHours: number;
  };
  training: {
    /** Credited clock hours of all time. */
    lifetimeCreditedHours: number;
  };
}

/** Facts of the `credential` scope: one credential a person holds. */
export interface CredentialFacts {
  credential: {
    kind: CredentialKind;
    issuer: string;
    issuedOn: LocalDate;
    expiresOn: LocalDate;
    /**
     * Whether an `accepted-issuer` rule names the issuer for the kind; the engine works it out
     * (true when the version lists no issuer for the kind), so callers leave it out.
     */
    issuerAccepted?: boolean;
  };
}

/** Facts of the `request` scope: an individual training request as it is submitted. */
export interface RequestFacts {
  request: {
    /** The exception category the person chose. */
    category: string;
    /** Whether a `request-category` rule lists it; the engine works it out, so callers leave it out. */
    categoryListed?: boolean;
  };
}

/** An exception category a person may submit as an individual training request. */
export interface RequestCategory extends RequestCategoryParams {
  ruleId: string;
}

/** Facts of the `enrollment` scope: a person asking to start an online course. */
export interface EnrollmentFacts {
  course: { sponsor: string | null; delivery: DeliveryMode | null; topic: string };
  learner: {
    /** Online courses the person has started (or is paying for) and not finished or withdrawn from. */
    onlineCoursesInProgress: number;
  };
}

export interface CareerLevel extends CareerLevelParams {
  ruleId: string;
}

export interface CreditReason {
  ruleId: string;
  code: string;
  text: string;
}

export interface CreditDecision {
  creditedHours: number;
  reasons: CreditReason[];
  ruleSet: string;
  version: number;
}

export type EmploymentOutcome =
  | { type: 'hours-requirement'; ruleId: string; params: HoursRequirementParams }
  | { type: 'hire-deadline'; ruleId: string; params: HireDeadlineParams }
  | { type: 'prerequisite'; ruleId: string; params: PrerequisiteParams }
  | { type: 'refresher'; ruleId: string; params: RefresherParams };

type AnyRule = TrainingRule | EmploymentRule | CareerRule | CredentialRule | EnrollmentRule | RequestRule;
type Scope = AnyRule['scope'];
const SCOPES: readonly Scope[] = RULE_SCOPES;

function toEngineRule(rule: AnyRule): RuleProperties {
  return {
    name: rule.id,
    conditions: rule.conditions as RuleProperties['conditions'],
    event: { type: rule.event.type, params: { ...rule.event.params, ruleId: rule.id } },
    ...(rule.priority ? { priority: rule.priority } : {}),
  };
}

/** A field path of the simple form `$.a.b`, as keys; null for anything richer. */
function simplePath(path: string | undefined): string[] | null {
  if (path === undefined) return [];
  return /^\$(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(path) ? path.slice(2).split('.') : null;
}

/**
 * Every (fact, path) a scope's conditions read, including facts used as values; null when some
 * condition reads in a way this cannot follow (then nothing is memoized).
 */
function readsOf(rules: AnyRule[]): Array<[string, string[]]> | null {
  const reads = new Map<string, [string, string[]]>();
  const visit = (condition: unknown): boolean => {
    if (typeof condition !== 'object' || condition === null) return true;
    const c = condition as Record<string, unknown>;
    if (Array.isArray(c.all)) return c.all.every(visit);
    if (Array.isArray(c.any)) return c.any.every(visit);
    if ('not' in c) return visit(c.not);
    if (typeof c.fact !== 'string' || c.params !== undefined) return false;
    const keys = simplePath(c.path as string | undefined);
    if (!keys) return false;
    reads.set(`${c.fact}${c.path ?? ''}`, [c.fact, keys]);
    const value = c.value as Record<string, unknown> | null;
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'fact' in value)
      return visit({ ...value, operator: 'equal', value: null });
    return true;
  };
  for (const rule of rules) if (!visit(rule.conditions)) return null;
  return [...reads.values()];
}

const UNDEFINED = '\u0000undefined';

/** A memo key of the facts a scope reads: equal keys mean the engine sees equal inputs. */
function factsKey(reads: Array<[string, string[]]>, facts: Record<string, unknown>): string {
  return JSON.stringify(
    reads.map(([fact, keys]) => {
      let value: unknown = facts[fact];
      for (const key of keys)
        value = value === null || value === undefined ? undefined : (value as Record<string, unknown>)[key];
      return value === undefined ? UNDEFINED : value;
    }),
  );
}

/** How many distinct fact combinations an engine remembers before starting afresh. */
const MEMO_LIMIT = 50_000;

export class CompiledRuleSet {
  readonly ruleSet: string;
  readonly version: number;
  private readonly engines: Record<Scope, Engine>;
  private readonly rulesById: Map<string, AnyRule>;

  constructor(readonly document: RuleSetDocument) {
    this.ruleSet = document.ruleSet;
    this.version = document.version;
    this.rulesById = new Map(document.rules.map((rule) => [rule.id, rule]));
    const engines = {} as Record<Scope, Engine>;
    for (const scope of SCOPES) {
      const engine = new Engine([], { allowUndefinedFacts: false });
      for (const operator of vocabularyOperators()) engine.addOperator(operator);
      engines[scope] = engine;
    }
    for (const rule of document.rules) engines[rule.scope].addRule(toEngineRule(rule));
    this.engines = engines;
    this.employmentReads = readsOf(document.rules.filter((r) => r.scope === 'employment'));
  }

  /**
   * Employment outcomes depend only on the facts the employment rules read (for version 1, a
   * few program flags), so a statewide recompute evaluates each distinct combination once.
   */
  private readonly employmentReads: Array<[string, string[]]> | null;
  private readonly employmentMemo = new Map<string, Promise<EmploymentOutcome[]>>();

  /** Decides how many of a training's hours count. Each fired credit rule may only lower them. */
  async decideCredit(facts: TrainingFacts): Promise<CreditDecision> {
    const { events } = await this.engines.training.run({ ...facts });
    let creditedHours = facts.training.hours;
    const reasons: CreditReason[] = [];
    for (const event of events) {
      const ruleId = String(event.params?.ruleId);
      const rule = this.rulesById.get(ruleId);
      if (!rule || rule.scope !== 'training') continue;
      const { reasonCode, reason } = rule.event.params;
      if (rule.event.type === 'credit-none') creditedHours = 0;
      else creditedHours = Math.min(creditedHours, facts.training.inPersonHours ?? 0);
      reasons.push({ ruleId, code: reasonCode, text: reason });
    }
    return { creditedHours, reasons, ruleSet: this.ruleSet, version: this.version };
  }

  /**
   * The first day whose training meets a hire-date deadline this version opened for `requirement`:
   * the hire date, or as many days before it as the rule's `countsCompletedDaysBeforeHire` says.
   */
  hireDeadlineCountsFrom(requirement: string, hireDate: LocalDate): LocalDate {
    const rule = this.document.rules.find(
      (r) => r.event.type === 'hire-deadline' && (r.event.params as HireDeadlineParams).requirement === requirement,
    );
    const daysBefore = rule ? ((rule.event.params as HireDeadlineParams).countsCompletedDaysBeforeHire ?? 0) : 0;
    return addDays(hireDate, -daysBefore);
  }

  /** What one employment obliges its holder to do: hour requirements, hire-date deadlines, prerequisites, refreshers. */
  employmentOutcomes(facts: EmploymentFacts): Promise<EmploymentOutcome[]> {
    if (!this.employmentReads) return this.evaluateEmployment(facts);
    const key = factsKey(this.employmentReads, facts as unknown as Record<string, unknown>);
    let outcomes = this.employmentMemo.get(key);
    if (!outcomes) {
      if (this.employmentMemo.size >= MEMO_LIMIT) this.employmentMemo.clear();
      outcomes = this.evaluateEmployment(facts);
      this.employmentMemo.set(key, outcomes);
      // A failed evaluation is not remembered.
      outcomes.catch(() => this.employmentMemo.delete(key));
    }
    return outcomes;
  }

  private async evaluateEmployment(facts: EmploymentFacts): Promise<EmploymentOutcome[]> {
    const { events } = await this.engines.employment.run({ ...facts });
    const outcomes: EmploymentOutcome[] = [];
    for (const fired of events) {
      const ruleId = String(fired.params?.ruleId);
      const rule = this.rulesById.get(ruleId);
      if (!rule || rule.scope !== 'employment') continue;
      const { event } = rule;
      if (event.type === 'hours-requirement') outcomes.push({ type: event.type, ruleId, params: event.params });
      else if (event.type === 'hire-deadline') outcomes.push({ type: event.type, ruleId, params: event.params });
      else if (event.type === 'prerequisite') outcomes.push({ type: event.type, ruleId, params: event.params });
      else outcomes.push({ type: event.type, ruleId, params: event.params });
    }
    // In the document's order: the engine reports rules as they finish, and a rule with more
    // conditions finishes later.
    const order = [...this.rulesById.keys()];
    return outcomes.sort((a, b) => order.indexOf(a.ruleId) - order.indexOf(b.ruleId));
  }

  /** The highest career level whose rule the person's education and hours satisfy, or null. */
  async careerLevel(facts: CareerFacts): Promise<CareerLevel | null> {
    const { events } = await this.engines.career.run({ ...facts });
    let best: CareerLevel | null = null;
    for (const fired of events) {
      const ruleId = String(fired.params?.ruleId);
      const rule = this.rulesById.get(ruleId);
      if (rule?.scope !== 'career') continue;
      if (!best || rule.event.params.level > best.level) best = { ...rule.event.params, ruleId };
    }
    return best;
  }

  /** Why a person may not start this online course now; empty when they may. */
  async enrollmentRefusals(facts: EnrollmentFacts): Promise<CreditReason[]> {
    const { events } = await this.engines.enrollment.run({ ...facts });
    const reasons: CreditReason[] = [];
    for (const fired of events) {
      const ruleId = String(fired.params?.ruleId);
      const rule = this.rulesById.get(ruleId);
      if (rule?.scope === 'enrollment')
        reasons.push({ ruleId, code: rule.event.params.reasonCode, text: rule.event.params.reason });
    }
    return reasons;
  }

  /** What renewing a credential asks of its holder (when to remind), or null if nothing. */
  async credentialRenewal(facts: CredentialFacts): Promise<(CredentialRenewalParams & { ruleId: string }) | null> {
    const { events } = await this.engines.credential.run(this.withIssuerAccepted(facts));
    for (const fired of events) {
      const ruleId = String(fired.params?.ruleId);
      const rule = this.rulesById.get(ruleId);
      if (rule?.scope === 'credential' && rule.event.type === 'credential-renewal')
        return { ...rule.event.params, ruleId };
    }
    return null;
  }

  /** The issuers this version accepts for a kind of credential (for a CPR/First Aid card, the national models), in rule order. */
  acceptedIssuers(kind: CredentialKind): string[] {
    return this.document.rules.flatMap((r) =>
      r.scope === 'credential' && r.event.type === 'accepted-issuer' && r.event.params.credentialKind === kind
        ? [r.event.params.issuer]
        : [],
    );
  }

  private withIssuerAccepted(facts: CredentialFacts): CredentialFacts {
    const accepted = this.acceptedIssuers(facts.credential.kind);
    const issuer = facts.credential.issuer.trim().toLowerCase();
    return {
      credential: {
        ...facts.credential,
        issuerAccepted: accepted.length === 0 || accepted.some((a) => a.trim().toLowerCase() === issuer),
      },
    };
  }

  /** Why a credential may not be added as given (an issuer the version does not accept); empty when it may. */
  async credentialRefusals(facts: CredentialFacts): Promise<CreditReason[]> {
    const { events } = await this.engines.credential.run(this.withIssuerAccepted(facts));
    const reasons: CreditReason[] = [];
    for (const fired of events) {
      const ruleId = String(fired.params?.ruleId);
      const rule = this.rulesById.get(ruleId);
      if (rule?.scope === 'credential' && rule.event.type === 'credential-refused')
        reasons.push({ ruleId, code: rule.event.params.reasonCode, text: rule.event.params.reason });
    }
    return reasons;
  }

  /** The exception categories this version accepts as individual training requests, in rule order. */
  requestCategories(): RequestCategory[] {
    return this.document.rules.flatMap((r) =>
      r.scope === 'request' && r.event.type === 'request-category' ? [{ ...r.event.params, ruleId: r.id }] : [],
    );
  }

  /** Why an individual training request may not be submitted (a category the version does not list); empty when it may. */
  async requestRefusals(facts: RequestFacts): Promise<CreditReason[]> {
    const categoryListed = this.requestCategories().some((c) => c.category === facts.request.category);
    const { events } = await this.engines.request.run({ request: { ...facts.request, categoryListed } });
    const reasons: CreditReason[] = [];
    for (const fired of events) {
      const ruleId = String(fired.params?.ruleId);
      const rule = this.rulesById.get(ruleId);
      if (rule?.scope === 'request' && rule.event.type === 'request-refused')
        reasons.push({ ruleId, code: rule.event.params.reasonCode, text: rule.event.params.reason });
    }
    return reasons;
  }
}

const compiled = new WeakMap<RuleSetDocument, CompiledRuleSet>();

/** The compiled form of a document, built once per document object. */
export function compileRuleSet(document: RuleSetDocument): CompiledRuleSet {
  let engine = compiled.get(document);
  if (!engine) {
    engine = new CompiledRuleSet(document);
    compiled.set(document, engine);
  }
  return engine;
}
