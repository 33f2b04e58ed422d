/**
 * The case types, one module each: what each submits, checks before it is saved, checks
 * automatically, and grants when approved. A `Record` over `CaseType`, so a new type is a compile
 * error until it has all four — never silently treated as another type.
 */
import type { Knex } from 'knex';
import type { CaseRow } from '../../db/cases.js';
import type { Db } from '../../db/connection.js';
import type { CaseType } from '../../rules/domain.js';
import type { CheckResult, RuleSetVersion } from './checks.js';
import { courseApproval } from './courseApproval.js';
import type { Award, CaseKind } from './kind.js';
import { microCredential } from './microCredential.js';
import { organizationClaim } from './organizationClaim.js';
import { trainerApplication } from './trainerApplication.js';
import { trainingRequest } from './trainingRequest.js';

export const CASE_KINDS = {
  trainer_application: trainerApplication,
  course_approval: courseApproval,
  training_request: trainingRequest,
  organization_claim: organizationClaim,
  micro_credential: microCredential,
} satisfies { [T in CaseType]: CaseKind<T> };

/**
 * The kind of a case of any type. TypeScript cannot follow that `CASE_KINDS[c.type]` and `c` vary
 * together, so the one widening is here.
 */
const kindOf = (type: CaseType) => CASE_KINDS[type] as CaseKind<CaseType>;

export function automaticChecks(context: {
  db: Db;
  c: CaseRow;
  rules: RuleSetVersion;
  today: string;
}): Promise<CheckResult[]> {
  return kindOf(context.c.type).automaticChecks(context);
}

export function grant(context: {
  trx: Knex.Transaction;
  c: CaseRow;
  today: string;
  now: () => Date;
  publicUrl: string;
}): Promise<Award | null> {
  return kindOf(context.c.type).grant(context);
}

/** A new case's checks before it is saved: a `Conflict` in words when the person already has an open case of the kind. */
export function checkBeforeSubmission(
  db: Db | Knex.Transaction,
  type: CaseType,
  input: { applicantUserId: number; professionalId: number | null; submission: unknown },
): Promise<void> {
  return kindOf(type).beforeSubmission(db, input as Parameters<CaseKind<CaseType>['beforeSubmission']>[1]);
}

/** The unique indexes that keep one open case per person and subject (migration 025). */
const OPEN_CASE_INDEXES = ['cases_one_open_organization_claim', 'cases_one_open_micro_credential'];

/** Whether an error is the database refusing a second open case that raced past `checkBeforeSubmission`. */
export function isOpenCaseConflict(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string } | null;
  return e?.code === '23505' && OPEN_CASE_INDEXES.includes(e.constraint ?? '');
}

export type { Award, CaseKind } from './kind.js';
export { PASSED_CHECK_WORDINGS, type CheckResult, type CheckWords } from './checks.js';
