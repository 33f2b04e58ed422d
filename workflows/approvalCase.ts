/**
 * One approval case from submission to decision: automatic checks, review (claimed by or
 * assigned to a reviewer), requests for information that the applicant answers or lets lapse,
 * and a decision; for trainers, the approval's expiry afterwards. Each of the five case types is
 * its own workflow type (below) running this life cycle. The workflow is the single writer of its
 * case: every step is recorded in PostgreSQL by an activity, and people act on the case through
 * updates whose validators say plainly why an action is not possible now.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  defineQuery,
  defineUpdate,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { PERMANENT_FAILURES } from '../rules/failures.js';
import type { CaseStatus, CaseType } from '../rules/domain.js';

export interface CaseInput {
  caseId: number;
}

/** What the workflow knows of its case; updates answer with it. */
export interface CaseView {
  caseId: number;
  type: CaseType;
  status: CaseStatus;
  applicantUserId: number;
  assigneeUserId: number | null;
}

export type Decision = 'approved' | 'denied';

export const claimUpdate = defineUpdate<CaseView, [{ reviewerUserId: number }]>('claim');
export const releaseUpdate = defineUpdate<CaseView, [{ reviewerUserId: number }]>('release');
export const reassignUpdate = defineUpdate<CaseView, [{ leadUserId: number; toUserId: number }]>('reassign');
export const requestInformationUpdate = defineUpdate<CaseView, [{ reviewerUserId: number; message: string }]>('requestInformation');
export const answerUpdate = defineUpdate<CaseView, [{ applicantUserId: number; message: string; uploadIds: string[] }]>('answer');
export const decideUpdate = defineUpdate<CaseView, [{ reviewerUserId: number; decision: Decision; reasons: string[] }]>('decide');
export const withdrawUpdate = defineUpdate<CaseView, [{ applicantUserId: number; reason: string }]>('withdraw');
export const recheckUpdate = defineUpdate<CaseView, [{ reviewerUserId: number }]>('recheck');
export const caseViewQuery = defineQuery<CaseView>('caseView');

export const caseWorkflowId = (type: CaseType, caseId: number) => `case-${type.replace(/_/g, '-')}-${caseId}`;
/** The workflow type running each case type. */
export const CASE_WORKFLOW_TYPES: Record<CaseType, string> = {
  trainer_application: 'trainerApplication',
  course_approval: 'courseApproval',
  training_request: 'trainingRequest',
  organization_claim: 'organizationClaim',
  micro_credential: 'microCredential',
};

const activities = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: [...PERMANENT_FAILURES] },
});

/** A refusal a person can act on: `Conflict` (not now, not in this state) or `Forbidden` (not you). */
const refuse = (type: 'Conflict' | 'Forbidden' | 'Invalid', message: string) => ApplicationFailure.create({ type, message, nonRetryable: true });

const CLOSED: readonly CaseStatus[] = ['approved', 'denied', 'refused', 'withdrawn', 'lapsed'];

async function runCase(type: CaseType, input: CaseInput): Promise<CaseView> {
  const { workflowId } = workflowInfo();
  const opened = await activities.openCase({ caseId: input.caseId, workflowId });
  const view: CaseView = { caseId: input.caseId, type, status: 'submitted', applicantUserId: opened.applicantUserId, assigneeUserId: null };
  /** Bumped on every change, so waits wake when something happened. */
  let changes = 0;
  /** Working minutes of the decision target already used (the clock stops while the applicant is asked). */
  let usedMinutes = 0;
  let reviewStartedAt = '';
  /** The timers of the current stage (set inside handlers, hence held in one object). */
  const timers: { serviceLevel: { remindAt: string; escalateAt: string } | null; information: { remindAt: string; lapseAt: string } | null } = { serviceLevel: null, information: null };
  let reminded = false;
  let escalated = false;
  let informationReminded = false;
  let step = 0;
  /** The workflow's own clock, handed to activities that work out dates and instants. */
  const at = () => new Date(Date.now()).toISOString();
  /** A key for each step, so a retried activity records it once. */
  const key = (what: string) => `${workflowId}#${++step}-${what}`;

  // Updates run one at a time: each re-checks the state it needs after the previous one finished.
  let queue: Promise<unknown> = Promise.resolve();
  function serially<T>(body: () => Promise<T>): Promise<T> {
    const run = queue.then(body);
    queue = run.catch(() => undefined);
    return run;
  }
  const mustBe = (...statuses: CaseStatus[]) => {
    if (!statuses.includes(view.status)) throw refuse('Conflict', `This case is ${view.status.replace(/_/g, ' ')}; that is not possible now`);
  };
  /** In validators only (what they refuse is never replayed): nobody reviews their own application. */
  const notOwnCase = (reviewerUserId: number) => {
    if (reviewerUserId === view.applicantUserId) throw refuse('Forbidden', 'This is your own application: another reviewer decides it');
  };
  const mustHold = (reviewerUserId: number) => {
    if (view.assigneeUserId !== reviewerUserId) {
      throw refuse('Forbidden', view.assigneeUserId === null ? 'Claim the case before acting on it' : 'Another reviewer holds this case');
    }
  };
  const changed = (status?: CaseStatus) => {
    if (status) view.status = status;
    changes++;
    return { ...view };
  };

  async function enterReview(): Promise<void> {
    const review = await activities.enterReview({ caseId: input.caseId, usedMinutes, at: at(), key: key('review') });
    view.assigneeUserId = review.assigneeUserId;
    timers.serviceLevel = { remindAt: review.remindAt, escalateAt: review.escalateAt };
    reminded = false;
    escalated = false;
    reviewStartedAt = review.startedAt;
    changed('in_review');
  }

  async function askApplicant(reviewerUserId: number | null, message: string): Promise<void> {
    const asked = await activities.requestInformation({ caseId: input.caseId, reviewerUserId, message, reviewStartedAt, usedMinutes, at: at(), key: key('information') });
    usedMinutes = asked.usedMinutes;
    timers.information = { remindAt: asked.remindAt, lapseAt: asked.lapseAt };
    informationReminded = false;
    changed('information_requested');
  }

  setHandler(caseViewQuery, () => ({ ...view }));

  setHandler(
    claimUpdate,
    ({ reviewerUserId }) =>
      serially(async () => {
        mustBe('in_review');
        if (view.assigneeUserId === reviewerUserId) return { ...view };
        if (view.assigneeUserId !== null) throw refuse('Conflict', 'Another reviewer holds this case; a lead reviewer can reassign it');
        await activities.assignCase({ caseId: input.caseId, toUserId: reviewerUserId, byUserId: reviewerUserId, how: 'claimed', key: key('claim') });
        view.assigneeUserId = reviewerUserId;
        return changed();
      }),
    {
      validator: ({ reviewerUserId }) => {
        notOwnCase(reviewerUserId);
        mustBe('in_review');
        if (view.assigneeUserId !== null && view.assigneeUserId !== reviewerUserId) throw refuse('Conflict', 'Another reviewer holds this case; a lead reviewer can reassign it');
      },
    },
  );

  setHandler(
    releaseUpdate,
    ({ reviewerUserId }) =>
      serially(async () => {
        mustBe('in_review');
        mustHold(reviewerUserId);
        await activities.assignCase({ caseId: input.caseId, toUserId: null, byUserId: reviewerUserId, how: 'released', key: key('release') });
        view.assigneeUserId = null;
        return changed();
      }),
    {
      validator: ({ reviewerUserId }) => {
        mustBe('in_review');
        mustHold(reviewerUserId);
      },
    },
  );

  setHandler(
    reassignUpdate,
    ({ leadUserId, toUserId }) =>
      serially(async () => {
        mustBe('in_review', 'information_requested');
        await activities.assignCase({ caseId: input.caseId, toUserId, byUserId: leadUserId, how: 'reassigned', key: key('reassign') });
        view.assigneeUserId = toUserId;
        return changed();
      }),
    {
      validator: ({ toUserId }) => {
        if (toUserId === view.applicantUserId) throw refuse('Conflict', 'That reviewer is the applicant; nobody reviews their own application');
        mustBe('in_review', 'information_requested');
        if (toUserId === view.assigneeUserId) throw refuse('Conflict', 'That reviewer already holds this case');
      },
    },
  );

  setHandler(
    requestInformationUpdate,
    ({ reviewerUserId, message }) =>
      serially(async () => {
        mustBe('in_review');
        mustHold(reviewerUserId);
        await askApplicant(reviewerUserId, message);
        return { ...view };
      }),
    {
      validator: ({ reviewerUserId, message }) => {
        notOwnCase(reviewerUserId);
        mustBe('in_review');
        mustHold(reviewerUserId);
        if (!message.trim()) throw refuse('Invalid', 'Say what information is needed');
      },
    },
  );

  setHandler(
    answerUpdate,
    ({ applicantUserId, message, uploadIds }) =>
      serially(async () => {
        mustBe('information_requested');
        await activities.answerInformation({ caseId: input.caseId, applicantUserId, message, uploadIds, key: key('answer') });
        timers.information = null;
        await enterReview();
        return { ...view };
      }),
    {
      validator: ({ applicantUserId }) => {
        if (applicantUserId !== view.applicantUserId) throw refuse('Forbidden', 'Only the applicant answers a request for information');
        mustBe('information_requested');
      },
    },
  );

  setHandler(
    decideUpdate,
    ({ reviewerUserId, decision, reasons }) =>
      serially(async () => {
        mustBe('in_review');
        mustHold(reviewerUserId);
        await activities.decideCase({ caseId: input.caseId, reviewerUserId, decision, reasons, at: at(), key: key(decision) });
        return changed(decision);
      }),
    {
      validator: ({ reviewerUserId, decision, reasons }) => {
        notOwnCase(reviewerUserId);
        mustBe('in_review');
        mustHold(reviewerUserId);
        if (decision === 'denied' && !reasons.some((r: string) => r.trim() !== '')) throw refuse('Invalid', 'Give the reason for denying, for the applicant to read');
      },
    },
  );

  setHandler(
    withdrawUpdate,
    ({ applicantUserId, reason }) =>
      serially(async () => {
        mustBe('submitted', 'in_review', 'information_requested');
        await activities.closeCase({ caseId: input.caseId, status: 'withdrawn', actorUserId: applicantUserId, note: reason, key: key('withdraw') });
        return changed('withdrawn');
      }),
    {
      validator: ({ applicantUserId }) => {
        if (applicantUserId !== view.applicantUserId) throw refuse('Forbidden', 'Only the applicant withdraws a case');
        mustBe('submitted', 'in_review', 'information_requested');
      },
    },
  );

  setHandler(
    recheckUpdate,
    ({ reviewerUserId }) =>
      serially(async () => {
        mustBe('in_review');
        mustHold(reviewerUserId);
        await activities.runAutomaticChecks({ caseId: input.caseId, underCurrentRules: true, actorUserId: reviewerUserId, at: at(), key: key('recheck') });
        return changed();
      }),
    {
      validator: ({ reviewerUserId }) => {
        mustBe('in_review');
        mustHold(reviewerUserId);
      },
    },
  );

  // Automatic checks first: a refusal never reaches a reviewer; a gap goes back to the applicant.
  const checks = await activities.runAutomaticChecks({ caseId: input.caseId, underCurrentRules: false, actorUserId: null, at: at(), key: key('checks') });
  if (view.status === 'submitted') {
    if (checks.outcome === 'refuse') {
      await activities.closeCase({ caseId: input.caseId, status: 'refused', actorUserId: null, note: checks.summary, key: key('refused') });
      changed('refused');
    } else if (checks.outcome === 'needs_information') {
      await serially(() => askApplicant(null, checks.summary));
    } else {
      await serially(enterReview);
    }
  }

  const until = (instant: string) => Math.max(0, Date.parse(instant) - Date.now());
  while (!CLOSED.includes(view.status)) {
    const seen = changes;
    const woken = () => changes !== seen;
    const { serviceLevel, information } = timers;
    if (view.status === 'in_review' && serviceLevel) {
      const next = !reminded ? serviceLevel.remindAt : !escalated ? serviceLevel.escalateAt : null;
      if (next === null) await condition(woken);
      else if (!(await condition(woken, until(next)))) {
        await serially(async () => {
          if (view.status !== 'in_review') return;
          if (!reminded) {
            reminded = true;
            await activities.remindCase({ caseId: input.caseId, stage: 'decision', key: key('remind') });
          } else {
            escalated = true;
            await activities.escalateCase({ caseId: input.caseId, key: key('escalate') });
          }
        });
      }
    } else if (view.status === 'information_requested' && information) {
      const asked = information;
      const next = informationReminded ? asked.lapseAt : asked.remindAt;
      if (!(await condition(woken, until(next)))) {
        await serially(async () => {
          if (view.status !== 'information_requested' || timers.information !== asked) return;
          if (!informationReminded) {
            informationReminded = true;
            await activities.remindCase({ caseId: input.caseId, stage: 'information', key: key('remind-information') });
          } else {
            await activities.closeCase({ caseId: input.caseId, status: 'lapsed', actorUserId: null, note: 'The requested information did not arrive in time.', key: key('lapsed') });
            changed('lapsed');
          }
        });
      }
    } else {
      await condition(woken);
    }
  }

  // A trainer's approval runs for a term: remind before it ends, then let it expire (a renewal
  // case approved meanwhile extends it, and the expiry then finds nothing to do).
  if (view.status === 'approved' && type === 'trainer_application') {
    const term = await activities.trainerApprovalTerm({ caseId: input.caseId });
    if (term) {
      await condition(() => false, until(term.remindAt));
      await activities.remindTrainerRenewal({ caseId: input.caseId, key: key('renewal-due') });
      await condition(() => false, until(term.expireAt));
      await activities.expireTrainerApproval({ caseId: input.caseId, key: key('approval-expired') });
    }
  }
  await condition(allHandlersFinished);
  return { ...view };
}

export function trainerApplication(input: CaseInput): Promise<CaseView> {
  return runCase('trainer_application', input);
}

export function courseApproval(input: CaseInput): Promise<CaseView> {
  return runCase('course_approval', input);
}

export function trainingRequest(input: CaseInput): Promise<CaseView> {
  return runCase('training_request', input);
}

export function organizationClaim(input: CaseInput): Promise<CaseView> {
  return runCase('organization_claim', input);
}

/** A professional's evidence for a micro-credential, reviewed by an assessor (a reviewer); approval awards it. */
export function microCredential(input: CaseInput): Promise<CaseView> {
  return runCase('micro_credential', input);
}
