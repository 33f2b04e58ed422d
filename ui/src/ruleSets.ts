/** The rules part of the API client: rule-set versions, drafts, worked cases, publication and simulation. */
import { call, type ComplianceReport } from './api';
import type { PublicationStatus, RuleSetStatus } from '../../rules/domain';
import type { RuleSetDiff } from '../../rules/diff';
import type { Problem } from '../../rules/validate';
import type { CaseOutcome, WorkedCase } from '../../rules/workedCases';

export type { Problem, RuleSetDiff, CaseOutcome, WorkedCase };

/** The one rule set the registry runs (rules/versions COMPLIANCE_RULE_SET). */
export const RULE_SET = 'mopd-compliance';

export interface VersionSummary {
  ruleSet: string;
  version: number;
  status: RuleSetStatus;
  effectiveFrom: string | null;
  changeNote: string;
  authorUserId: number | null;
  basedOnVersion: number | null;
  approvedByUserId: number | null;
  rollbackOfVersion: number | null;
  rollbackReason: string | null;
  validatedAt: string | null;
  publishedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Publication {
  id: number;
  version: number;
  effectiveFrom: string;
  status: PublicationStatus;
  total: number;
  done: number;
  changed: number;
}

/** A condition as the editor holds it: a leaf or a group, possibly still malformed while being edited. */
export type Condition =
  | { fact: string; path?: string; operator: string; value: unknown; params?: Record<string, unknown> }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

/** A rule as the editor holds it: the document is edited before it is valid, so nothing here is trusted. */
export interface EditableRule {
  id: string;
  scope: string;
  description: string;
  source: string;
  priority?: number;
  conditions: Condition;
  event: { type: string; params: Record<string, unknown> };
  [key: string]: unknown;
}

export interface EditableDocument {
  ruleSet: string;
  version: number;
  title: string;
  effectiveFrom: string;
  rules: EditableRule[];
  [key: string]: unknown;
}

export interface VersionDetail {
  /** With who drafted it and who approved its publication (four eyes). */
  version: VersionSummary & {
    author?: string | null;
    draftedBy?: string[];
    approvedBy?: string | null;
    approvedAt?: string | null;
  };
  /** Whether the reader may approve its publication now, and if not by four eyes, why. */
  approval?: { youMayApprove: boolean; refusal: string | null };
  document: EditableDocument;
  comparedWith: number | null;
  diff: RuleSetDiff | null;
  problems: Problem[];
  cases: CaseOutcome[] | null;
}

/** Everyone whose status a change would turn, and where they are (the simulation API). */
interface Turned {
  toCompliant: number;
  toNonCompliant: number;
}
export interface SimulationResult {
  people: number;
  turned: Turned;
  byOrganization: Array<{ organizationId: number; name: string; people: number } & Turned>;
  byRegion: Array<{ region: string | null; people: number } & Turned>;
  /** Each program type by its code and the registry's labels (older results may lack them). */
  byProgramType: Array<{ programType: string; labelEn?: string; labelEs?: string; people: number } & Turned>;
  credit: {
    recordsCompared: number;
    recordsChanged: number;
    hoursBefore: number;
    hoursAfter: number;
    byReason: Array<{ code: string; text: string; records: number; hoursDifference: number }>;
  };
  samples: Array<{
    professionalId: number;
    name: string;
    before: { compliant: boolean };
    after: { compliant: boolean };
  }>;
}

export interface Simulation {
  id: number | string;
  status: 'running' | 'completed' | 'failed';
  asOf: string;
  version: number;
  comparedWithVersion: number | null;
  total: number;
  done: number;
  error?: string;
  result: SimulationResult | null;
}

const base = (ruleSet: string) => `/api/rule-sets/${encodeURIComponent(ruleSet)}`;

export const ruleSets = {
  versions: (ruleSet = RULE_SET) =>
    call<{
      versions: Array<VersionSummary & { author: string | null; approvedBy: string | null }>;
      publications: Publication[];
    }>('GET', `${base(ruleSet)}/versions`),
  version: (version: number, ruleSet = RULE_SET) => call<VersionDetail>('GET', `${base(ruleSet)}/versions/${version}`),
  startDraft: (fromVersion: number, changeNote: string, ruleSet = RULE_SET) =>
    call<{ version: number }>('POST', `${base(ruleSet)}/drafts`, { fromVersion, changeNote }),
  saveDraft: (version: number, document: EditableDocument, changeNote?: string, ruleSet = RULE_SET) =>
    call<{ problems: Problem[]; cases: CaseOutcome[] | null }>(
      'PUT',
      `${base(ruleSet)}/versions/${version}`,
      changeNote === undefined ? { document } : { document, changeNote },
    ),
  validate: (version: number, ruleSet = RULE_SET) =>
    call<{ status: RuleSetStatus; problems: Problem[]; cases: CaseOutcome[] | null }>(
      'POST',
      `${base(ruleSet)}/versions/${version}/validate`,
    ),
  publish: (version: number, effectiveFrom: string, ruleSet = RULE_SET) =>
    call<{ publicationId: number }>('POST', `${base(ruleSet)}/versions/${version}/publish`, { effectiveFrom }),
  cancelPublication: (publicationId: number) =>
    call<{ cancelling: true }>('POST', `/api/rule-set-publications/${publicationId}/cancel`),
  rollBack: (toVersion: number, reason: string, ruleSet = RULE_SET) =>
    call<{ version: number }>('POST', `${base(ruleSet)}/rollbacks`, { toVersion, reason }),
  cases: (ruleSet = RULE_SET) => call<{ cases: WorkedCase[] }>('GET', `${base(ruleSet)}/cases`),
  saveCase: (definition: WorkedCase, ruleSet = RULE_SET) =>
    call<{ saved: string }>('PUT', `${base(ruleSet)}/cases/${encodeURIComponent(definition.id)}`, definition),
  deleteCase: (caseId: string, ruleSet = RULE_SET) =>
    call<{ removed: string }>('DELETE', `${base(ruleSet)}/cases/${encodeURIComponent(caseId)}`),
  simulate: (version: number, asOf: string, ruleSet = RULE_SET) =>
    call<{ simulationId: number | string }>('POST', `${base(ruleSet)}/versions/${version}/simulations`, { asOf }),
  simulation: (id: number | string) =>
    call<Simulation>('GET', `/api/rule-set-simulations/${encodeURIComponent(String(id))}`),
  simulatedPerson: (id: number | string, professionalId: number) =>
    call<{ before: ComplianceReport; after: ComplianceReport }>(
      'GET',
      `/api/rule-set-simulations/${encodeURIComponent(String(id))}/people/${professionalId}`,
    ),
};

/** Today in Missouri, as the registry counts days. */
export const todayInMissouri = () => new Date().toLocaleDateString('en-CA', { timeZone: 'America/Chicago' });
