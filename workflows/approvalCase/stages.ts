/**
 * The stages of a case, in the order it meets them: the automatic checks, then (in turn, until a
 * decision, a withdrawal or a lapse closes it) review under its service level and the applicant's
 * window to answer, and once decided, a trainer's term. Each stage's timers and activities are
 * those the case workflow has always run, in the same order, so running cases replay unchanged.
 */
import { allHandlersFinished, condition } from '@temporalio/workflow';
import { activities, until, type CaseState } from './caseState.js';

/** Automatic checks first: a refusal never reaches a reviewer; a gap goes back to the applicant. */
export async function checks(c: CaseState): Promise<void> {
  const checked = await activities.runAutomaticChecks({
    caseId: c.caseId,
    underCurrentRules: false,
    actorUserId: null,
    at: c.at(),
    key: c.key('checks'),
  });
  // Withdrawn meanwhile: nothing more to do here.
  if (c.view.status !== 'submitted') return;
  if (checked.outcome === 'refuse') {
    await activities.closeCase({
      caseId: c.caseId,
      status: 'refused',
      actorUserId: null,
      note: checked.summary,
      key: c.key('refused'),
    });
    c.changed('refused');
  } else if (checked.outcome === 'needs_information') {
    await c.serially(() => c.askApplicant(null, checked.summary));
  } else {
    await c.serially(() => c.enterReview());
  }
}

/**
 * One wait in review: until something changes, or the service level's next step comes (remind
 * the holder at the target, escalate to the lead reviewers after); none once both are done.
 */
export async function awaitReview(c: CaseState, woken: () => boolean): Promise<void> {
  const clock = c.review!;
  const next = !clock.reminded ? clock.remindAt : !clock.escalated ? clock.escalateAt : null;
  if (next === null) {
    await condition(woken);
    return;
  }
  if (await condition(woken, until(next))) return;
  await c.serially(async () => {
    if (c.view.status !== 'in_review') return;
    // The round as it is now: an answer may have started a new one while this step waited its turn.
    const round = c.review!;
    if (!round.reminded) {
      round.reminded = true;
      await activities.remindCase({ caseId: c.caseId, stage: 'decision', key: c.key('remind') });
    } else {
      round.escalated = true;
      await activities.escalateCase({ caseId: c.caseId, key: c.key('escalate') });
    }
  });
}

/** One wait for the applicant's answer: until something changes, or the reminder, then the lapse, comes. */
export async function awaitAnswer(c: CaseState, woken: () => boolean): Promise<void> {
  const asked = c.information!;
  if (await condition(woken, until(asked.reminded ? asked.lapseAt : asked.remindAt))) return;
  await c.serially(async () => {
    if (c.view.status !== 'information_requested' || c.information !== asked) return;
    if (!asked.reminded) {
      asked.reminded = true;
      await activities.remindCase({ caseId: c.caseId, stage: 'information', key: c.key('remind-information') });
    } else {
      await activities.closeCase({
        caseId: c.caseId,
        status: 'lapsed',
        actorUserId: null,
        note: 'The requested information did not arrive in time.',
        key: c.key('lapsed'),
      });
      c.changed('lapsed');
    }
  });
}

/**
 * A trainer's approval runs for a term: remind before it ends, then let it expire (a renewal case
 * approved meanwhile extends it, and the expiry then finds nothing to do).
 */
export async function trainerTerm(c: CaseState): Promise<void> {
  const term = await activities.trainerApprovalTerm({ caseId: c.caseId });
  if (!term) return;
  await condition(() => false, until(term.remindAt));
  await activities.remindTrainerRenewal({ caseId: c.caseId, key: c.key('renewal-due') });
  await condition(() => false, until(term.expireAt));
  await activities.expireTrainerApproval({ caseId: c.caseId, key: c.key('approval-expired') });
}

/** Closed: an approved trainer's term follows; then the case ends once every update has answered. */
export async function decided(c: CaseState): Promise<void> {
  if (c.view.status === 'approved' && c.type === 'trainer_application') await trainerTerm(c);
  await condition(allHandlersFinished);
}
