/** A claim to direct an organization; approval makes the applicant one of its directors. */
import { findOrganization } from '../../db/employments.js';
import { OPEN_CASE_STATUSES } from '../../rules/domain.js';
import { organizationClaimSubmission } from '../../rules/caseSubmissions.js';
import { DomainError } from '../errors.js';
import { check } from './checks.js';
import type { CaseKind } from './kind.js';

export const organizationClaim = {
  submission: organizationClaimSubmission,

  /** One open claim per person and organization (the index `cases_one_open_organization_claim` states it too). */
  async beforeSubmission(db, { applicantUserId, submission }) {
    const pending = await db('cases')
      .where({
        type: 'organization_claim',
        applicant_user_id: applicantUserId,
        organization_id: submission.organizationId,
      })
      .whereIn('status', OPEN_CASE_STATUSES)
      .first('id');
    if (!pending) return;
    const organization = await findOrganization(db, submission.organizationId);
    throw new DomainError(
      'Conflict',
      `You already have an open claim on ${organization?.name ?? `organization ${submission.organizationId}`} (case ${pending.id})`,
      'organizationId',
    );
  },

  async automaticChecks({ db, c }) {
    const claimed = await db('organization_claims')
      .where({
        organization_id: c.submission.organizationId,
        director_user_id: c.applicant_user_id,
        status: 'approved',
      })
      .first('id');
    return [
      check(
        'not-already-claimed',
        claimed === undefined,
        'refuse',
        { message: 'No approved claim of yours on this organization yet.', key: 'notAlreadyClaimed' },
        { message: 'You already direct this organization in MOPD.', key: 'notAlreadyClaimed' },
      ),
    ];
  },

  async grant({ trx, c, now }) {
    const s = c.submission;
    const existing = await trx('organization_claims')
      .where({ organization_id: s.organizationId, director_user_id: c.applicant_user_id })
      .first<{ id: number } | undefined>('id');
    if (existing)
      await trx('organization_claims').where({ id: existing.id }).update({ status: 'approved', decided_at: now() });
    else
      await trx('organization_claims').insert({
        organization_id: s.organizationId,
        director_user_id: c.applicant_user_id,
        status: 'approved',
        decided_at: now(),
      });
    await trx('user_roles')
      .insert({ user_id: c.applicant_user_id, role: 'director' })
      .onConflict(['user_id', 'role'])
      .ignore();
    return null;
  },
} satisfies CaseKind<'organization_claim'>;
