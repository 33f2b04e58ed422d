/** What every case type provides: one module per type (./trainerApplication.ts, …), gathered in ./index.ts. */
import type { Knex } from 'knex';
import type { z } from 'zod';
import type { CaseOf } from '../../db/cases.js';
import type { Db } from '../../db/connection.js';
import type { CaseSubmissions } from '../../rules/caseSubmissions.js';
import type { CaseType } from '../../rules/domain.js';
import type { CheckResult, RuleSetVersion } from './checks.js';

/** What approving a micro-credential awarded, for the applicant's notice. */
export interface Award {
  expiresOn: string | null;
  verificationUrl: string;
}

export interface CheckContext<T extends CaseType> {
  db: Db;
  c: CaseOf<T>;
  /** The pinned rule-set version, or the current one on a re-check. */
  rules: RuleSetVersion;
  today: string;
}

export interface GrantContext<T extends CaseType> {
  trx: Knex.Transaction;
  c: CaseOf<T>;
  /** The workflow's date of the decision, so a term counts from when it happened in the case's time. */
  today: string;
  now: () => Date;
  publicUrl: string;
}

export interface CaseKind<T extends CaseType> {
  /** What the applicant submits, as the API validates it (its output is what `cases.submission` stores). */
  readonly submission: z.ZodType;
  /**
   * Refusals before the case is saved, as `Conflict`s in words (an open case of the same kind).
   * The database states the same invariants as unique indexes (migration 025); a submission that
   * raced another past this check runs it again after the index refused it, so it is answered alike.
   */
  beforeSubmission(
    db: Db | Knex.Transaction,
    input: { applicantUserId: number; professionalId: number | null; submission: CaseSubmissions[T] },
  ): Promise<void>;
  /** The automatic checks the workflow runs before review. Policy questions go to the rule set. */
  automaticChecks(context: CheckContext<T>): Promise<CheckResult[]>;
  /** What an approval grants, in the decision's transaction; answers the award when there is one, for the applicant's notice. */
  grant(context: GrantContext<T>): Promise<Award | null>;
}
