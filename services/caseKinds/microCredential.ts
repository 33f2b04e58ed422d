/** Evidence for a micro-credential: documents and a reflection; approval awards it, with a public verification link. */
import { randomBytes } from 'node:crypto';
import { holdsCredential, insertAwardedCredential, verificationUrl } from '../../db/microCredentials.js';
import { OPEN_CASE_STATUSES } from '../../rules/domain.js';
import { localDateOf } from '../../rules/dates.js';
import { microCredentialEvidence } from '../../rules/caseSubmissions.js';
import { awardExpiresOn, evidenceProblems, findMicroCredential } from '../../rules/microCredentials.js';
import { DomainError } from '../errors.js';
import { check, documentCount } from './checks.js';
import type { CaseKind } from './kind.js';

export const microCredential = {
  /** The credential must be in the current catalog and the evidence enough for it; the case stores the catalog version too. */
  submission: microCredentialEvidence,

  /**
   * One open case per person and credential (the index `cases_one_open_micro_credential` states it
   * too), and none for a credential the person holds now.
   */
  async beforeSubmission(db, { applicantUserId, professionalId, submission }) {
    const credential = findMicroCredential(submission.catalogVersion, submission.credentialId);
    const title = credential?.title ?? submission.credentialId;
    const pending = await db('cases')
      .where({ type: 'micro_credential', applicant_user_id: applicantUserId })
      .whereIn('status', OPEN_CASE_STATUSES)
      .whereRaw("submission->>'credentialId' = ?", [submission.credentialId])
      .first('id');
    if (pending)
      throw new DomainError(
        'Conflict',
        `You already have evidence for “${title}” under review (case ${pending.id})`,
        'credentialId',
      );
    if (
      professionalId !== null &&
      (await holdsCredential(db, professionalId, submission.credentialId, localDateOf(new Date())))
    )
      throw new DomainError('Conflict', `You already hold “${title}”`, 'credentialId');
  },

  async automaticChecks({ db, c, today }) {
    const s = c.submission;
    const credential = findMicroCredential(s.catalogVersion, s.credentialId);
    if (!credential)
      return [
        check(
          'credential-known',
          false,
          'refuse',
          { message: '' },
          {
            message: `There is no micro-credential ${s.credentialId}.`,
            key: 'credentialKnown',
            values: { credentialId: s.credentialId },
          },
        ),
      ];
    // Documents sent with answers count too: a gap the applicant filled is no longer a gap.
    const documents = await documentCount(db, c.id);
    const problems = evidenceProblems(credential, { reflection: s.reflection, documentCount: documents });
    const documentProblem = problems.find((p) => p.field === 'documents');
    const reflectionProblem = problems.find((p) => p.field === 'reflection');
    const held = c.professional_id !== null && (await holdsCredential(db, c.professional_id, credential.id, today));
    return [
      check(
        'evidence-documents',
        !documentProblem,
        'needs_information',
        {
          message: `${documents} document(s) attached.`,
          key: 'documentsPresent',
          values: { count: String(documents) },
        },
        { message: `Documents: ${documentProblem?.message ?? ''}.` },
      ),
      check(
        'evidence-reflection',
        !reflectionProblem,
        'refuse',
        { message: 'The reflection is long enough to assess.', key: 'evidenceReflection' },
        { message: `Reflection: ${reflectionProblem?.message ?? ''}.` },
      ),
      check(
        'not-already-held',
        !held,
        'refuse',
        {
          message: `No current award of “${credential.title}” yet.`,
          key: 'notAlreadyHeld',
          values: { credential: credential.title },
        },
        {
          message: `You already hold “${credential.title}”; it is on your profile.`,
          key: 'notAlreadyHeld',
          values: { credential: credential.title },
        },
      ),
    ];
  },

  async grant({ trx, c, today, publicUrl }) {
    const s = c.submission;
    const credential = findMicroCredential(s.catalogVersion, s.credentialId);
    if (!credential)
      throw new Error(`Case ${c.id} names ${s.credentialId}, which catalog ${s.catalogVersion} does not hold`);
    const award = await insertAwardedCredential(trx, {
      professional_id: c.professional_id!,
      case_id: c.id,
      credential_id: credential.id,
      catalog_version: s.catalogVersion,
      title: credential.title,
      area: credential.area,
      competency: credential.competency,
      // 18 random bytes: 144 bits, 24 URL-safe characters; the only way to the public record.
      verification_code: randomBytes(18).toString('base64url'),
      awarded_on: today,
      expires_on: awardExpiresOn(credential, today),
    });
    return { expiresOn: award.expires_on, verificationUrl: verificationUrl(publicUrl, award.verification_code) };
  },
} satisfies CaseKind<'micro_credential'>;
