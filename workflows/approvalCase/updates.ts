/**
 * How people act on a case: each update's validator refuses, in words, what is not possible now
 * (what it refuses is never recorded, nor replayed); its handler re-checks once the updates before
 * it have finished, records the step through an activity and answers with the case's view.
 */
import { setHandler } from '@temporalio/workflow';
import type { CaseStatus } from '../../rules/domain.js';
import { activities, refuse, type CaseState } from './caseState.js';
import {
  answerUpdate,
  caseViewQuery,
  claimUpdate,
  decideUpdate,
  reassignUpdate,
  recheckUpdate,
  releaseUpdate,
  requestInformationUpdate,
  withdrawUpdate,
} from './definitions.js';

export function acceptUpdates(c: CaseState): void {
  const { view, caseId } = c;
  const mustBe = (...statuses: CaseStatus[]) => {
    if (!statuses.includes(view.status))
      throw refuse('Conflict', `This case is ${view.status.replace(/_/g, ' ')}; that is not possible now`);
  };
  /** In validators only (what they refuse is never replayed): nobody reviews their own application. */
  const notOwnCase = (reviewerUserId: number) => {
    if (reviewerUserId === view.applicantUserId)
      throw refuse('Forbidden', 'This is your own application: another reviewer decides it');
  };
  const mustHold = (reviewerUserId: number) => {
    if (view.assigneeUserId !== reviewerUserId) {
      throw refuse(
        'Forbidden',
        view.assigneeUserId === null ? 'Claim the case before acting on it' : 'Another reviewer holds this case',
      );
    }
  };
  const mustHoldInReview = ({ reviewerUserId }: { reviewerUserId: number }) => {
    mustBe('in_review');
    mustHold(reviewerUserId);
  };

  setHandler(caseViewQuery, () => ({ ...view }));

  setHandler(
    claimUpdate,
    ({ reviewerUserId }) =>
      c.serially(async () => {
        mustBe('in_review');
        if (view.assigneeUserId === reviewerUserId) return { ...view };
        if (view.assigneeUserId !== null)
          throw refuse('Conflict', 'Another reviewer holds this case; a lead reviewer can reassign it');
        await activities.assignCase({
          caseId,
          toUserId: reviewerUserId,
          byUserId: reviewerUserId,
          how: 'claimed',
          key: c.key('claim'),
        });
        view.assigneeUserId = reviewerUserId;
        return c.changed();
      }),
    {
      validator: ({ reviewerUserId }) => {
        notOwnCase(reviewerUserId);
        mustBe('in_review');
        if (view.assigneeUserId !== null && view.assigneeUserId !== reviewerUserId)
          throw refuse('Conflict', 'Another reviewer holds this case; a lead reviewer can reassign it');
      },
    },
  );

  setHandler(
    releaseUpdate,
    ({ reviewerUserId }) =>
      c.serially(async () => {
        mustHoldInReview({ reviewerUserId });
        await activities.assignCase({
          caseId,
          toUserId: null,
          byUserId: reviewerUserId,
          how: 'released',
          key: c.key('release'),
        });
        view.assigneeUserId = null;
        return c.changed();
      }),
    { validator: mustHoldInReview },
  );

  setHandler(
    reassignUpdate,
    ({ leadUserId, toUserId }) =>
      c.serially(async () => {
        mustBe('in_review', 'information_requested');
        await activities.assignCase({
          caseId,
          toUserId,
          byUserId: leadUserId,
          how: 'reassigned',
          key: c.key('reassign'),
        });
        view.assigneeUserId = toUserId;
        return c.changed();
      }),
    {
      validator: ({ toUserId }) => {
        if (toUserId === view.applicantUserId)
          throw refuse('Conflict', 'That reviewer is the applicant; nobody reviews their own application');
        mustBe('in_review', 'information_requested');
        if (toUserId === view.assigneeUserId) throw refuse('Conflict', 'That reviewer already holds this case');
      },
    },
  );

  setHandler(
    requestInformationUpdate,
    ({ reviewerUserId, message }) =>
      c.serially(async () => {
        mustHoldInReview({ reviewerUserId });
        await c.askApplicant(reviewerUserId, message);
        return { ...view };
      }),
    {
      validator: ({ reviewerUserId, message }) => {
        notOwnCase(reviewerUserId);
        mustHoldInReview({ reviewerUserId });
        if (!message.trim()) throw refuse('Invalid', 'Say what information is needed');
      },
    },
  );

  setHandler(
    answerUpdate,
    ({ applicantUserId, message, uploadIds }) =>
      c.serially(async () => {
        mustBe('information_requested');
        await activities.answerInformation({ caseId, applicantUserId, message, uploadIds, key: c.key('answer') });
        c.information = null;
        await c.enterReview();
        return { ...view };
      }),
    {
      validator: ({ applicantUserId }) => {
        if (applicantUserId !== view.applicantUserId)
          throw refuse('Forbidden', 'Only the applicant answers a request for information');
        mustBe('information_requested');
      },
    },
  );

  setHandler(
    decideUpdate,
    ({ reviewerUserId, decision, reasons }) =>
      c.serially(async () => {
        mustHoldInReview({ reviewerUserId });
        await activities.decideCase({ caseId, reviewerUserId, decision, reasons, at: c.at(), key: c.key(decision) });
        return c.changed(decision);
      }),
    {
      validator: ({ reviewerUserId, decision, reasons }) => {
        notOwnCase(reviewerUserId);
        mustHoldInReview({ reviewerUserId });
        if (decision === 'denied' && !reasons.some((r: string) => r.trim() !== ''))
          throw refuse('Invalid', 'Give the reason for denying, for the applicant to read');
      },
    },
  );

  setHandler(
    withdrawUpdate,
    ({ applicantUserId, reason }) =>
      c.serially(async () => {
        mustBe('submitted', 'in_review', 'information_requested');
        await activities.closeCase({
          caseId,
          status: 'withdrawn',
          actorUserId: applicantUserId,
          note: reason,
          key: c.key('withdraw'),
        });
        return c.changed('withdrawn');
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
      c.serially(async () => {
        mustHoldInReview({ reviewerUserId });
        await activities.runAutomaticChecks({
          caseId,
          underCurrentRules: true,
          actorUserId: reviewerUserId,
          at: c.at(),
          key: c.key('recheck'),
        });
        return c.changed();
      }),
    { validator: mustHoldInReview },
  );
}
