/**
 * One running case as its workflow holds it: the view people see, the clocks of the current
 * stage, the keys of its steps, and the two transitions that start a clock (into review, to the
 * applicant). Updates and the main line both act through it, one at a time (`serially`).
 */
import { ApplicationFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import type { CaseStatus, CaseType } from '../../rules/domain.js';
import { PERMANENT_FAILURES, type RefusalType } from '../../rules/failures.js';
import type { CaseResumption, CaseView } from './definitions.js';

export const activities = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: [...PERMANENT_FAILURES],
  },
});

/** A refusal a person can act on: `Conflict` (not now, not in this state), `Forbidden` (not you), `Invalid` (not like this). */
export const refuse = (type: RefusalType, message: string) =>
  ApplicationFailure.create({ type, message, nonRetryable: true });

const CLOSED: readonly CaseStatus[] = ['approved', 'denied', 'refused', 'withdrawn', 'lapsed'];

/** The service level of one review round: remind the holder at the target, escalate after. */
export interface ReviewClock {
  remindAt: string;
  escalateAt: string;
  reminded: boolean;
  escalated: boolean;
}

/** The applicant's window to answer one request for information: a reminder, then the lapse. */
export interface InformationWindow {
  remindAt: string;
  lapseAt: string;
  reminded: boolean;
}

/** Milliseconds until an instant on the workflow's clock (none once it has passed). */
export const until = (instant: string) => Math.max(0, Date.parse(instant) - Date.now());

export class CaseState {
  readonly workflowId = workflowInfo().workflowId;
  readonly view: CaseView;
  /** Working minutes of the decision target already used (the clock stops while the applicant is asked). */
  usedMinutes = 0;
  reviewStartedAt = '';
  /** The clock of the current review round (set inside handlers, hence held here). */
  review: ReviewClock | null = null;
  /** The window of the open request for information, if any. */
  information: InformationWindow | null = null;
  /** Bumped on every change, so waits wake when something happened. */
  private changes = 0;
  private step = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly type: CaseType,
    readonly caseId: number,
    applicantUserId: number,
  ) {
    this.view = { caseId, type, status: 'submitted', applicantUserId, assigneeUserId: null };
  }

  get closed(): boolean {
    return CLOSED.includes(this.view.status);
  }

  /** The workflow's own clock, handed to activities that work out dates and instants. */
  at(): string {
    return new Date(Date.now()).toISOString();
  }

  /** A key for each step, so a retried activity records it once. */
  key(what: string): string {
    return `${this.workflowId}#${++this.step}-${what}`;
  }

  /** A condition that turns true once anything changes after this call. */
  changedSinceNow(): () => boolean {
    const seen = this.changes;
    return () => this.changes !== seen;
  }

  /** Records a change (and the new status, if any); answers with a copy of the view. */
  changed(status?: CaseStatus): CaseView {
    if (status) this.view.status = status;
    this.changes++;
    return { ...this.view };
  }

  /** Updates run one at a time: each re-checks the state it needs after the previous one finished. */
  serially<T>(body: () => Promise<T>): Promise<T> {
    const run = this.queue.then(body);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Takes the case up where its row stands (a workflow started again by reconcile): status, holder, clocks and step count. */
  resumeFrom(state: CaseResumption): void {
    this.step = state.lastStep;
    this.view.assigneeUserId = state.assigneeUserId;
    this.usedMinutes = state.usedMinutes;
    this.reviewStartedAt = state.reviewStartedAt;
    this.review = state.review && { ...state.review };
    this.information = state.information && { ...state.information };
    this.changed(state.status);
  }

  /** Into review (again): assigned by workload when that is on, with a fresh service-level clock. */
  async enterReview(): Promise<void> {
    const review = await activities.enterReview({
      caseId: this.caseId,
      usedMinutes: this.usedMinutes,
      at: this.at(),
      key: this.key('review'),
    });
    this.view.assigneeUserId = review.assigneeUserId;
    this.review = { remindAt: review.remindAt, escalateAt: review.escalateAt, reminded: false, escalated: false };
    this.reviewStartedAt = review.startedAt;
    this.changed('in_review');
  }

  /** Back to the applicant with a question (from a reviewer, or from the automatic checks): the service-level clock stops. */
  async askApplicant(reviewerUserId: number | null, message: string): Promise<void> {
    const asked = await activities.requestInformation({
      caseId: this.caseId,
      reviewerUserId,
      message,
      reviewStartedAt: this.reviewStartedAt,
      usedMinutes: this.usedMinutes,
      at: this.at(),
      key: this.key('information'),
    });
    this.usedMinutes = asked.usedMinutes;
    this.information = { remindAt: asked.remindAt, lapseAt: asked.lapseAt, reminded: false };
    this.changed('information_requested');
  }
}
