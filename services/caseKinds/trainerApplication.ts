/**
 * A trainer application (or renewal): qualifications, specialties, instructor certifications.
 * Approval makes an approved trainer for a term (`trainer_approval_term`).
 */
import type { Knex } from 'knex';
import { getSetting } from '../../db/settings.js';
import { trainerApplicationSubmission } from '../../rules/caseSubmissions.js';
import { addYears } from '../../rules/dates.js';
import { check, documentCount } from './checks.js';
import type { CaseKind } from './kind.js';

export interface TrainerApproval {
  userId: number;
  caseId: number;
  /** The last day of the term. */
  until: string;
  today: string;
  specialties: string[];
  regions: string[];
  certifications: Array<{ model: string; expiresOn: string; uploadId?: string | null }>;
  updatedAt: Date | Knex.Raw;
  /**
   * Leave a longer term of another case standing: the legacy importer records approvals decided
   * elsewhere, possibly long ago, which must never shorten one MOPD gave since.
   */
  keepLongerTerm: boolean;
}

/**
 * Records an approved trainer: the trainer row with the term, the instructor certifications the
 * case approved (exactly those, when a case is imported again), the trainer role while the term
 * runs (an ended one is history, as after an expiry), and the term's end on the case. A reviewer's
 * approval and the legacy importer both record it here.
 */
export async function approveTrainer(trx: Knex.Transaction, a: TrainerApproval): Promise<void> {
  const columns = {
    approved_until: a.until,
    approved_by_case_id: a.caseId,
    specialties: a.specialties,
    regions: a.regions,
  };
  const upsert = trx('trainers')
    .insert({ user_id: a.userId, ...columns })
    .onConflict('user_id')
    .merge({ ...columns, updated_at: a.updatedAt });
  if (a.keepLongerTerm)
    void upsert.where(
      trx.raw(
        'trainers.approved_by_case_id = EXCLUDED.approved_by_case_id OR trainers.approved_until < EXCLUDED.approved_until',
      ),
    );
  await upsert;
  await trx('trainer_certifications').where({ case_id: a.caseId }).delete();
  for (const cert of a.certifications) {
    await trx('trainer_certifications')
      .insert({
        trainer_user_id: a.userId,
        model: cert.model,
        expires_on: cert.expiresOn,
        upload_id: cert.uploadId ?? null,
        case_id: a.caseId,
      })
      .onConflict(['case_id', 'model'])
      .ignore();
  }
  if (a.until >= a.today)
    await trx('user_roles').insert({ user_id: a.userId, role: 'trainer' }).onConflict(['user_id', 'role']).ignore();
  await trx('cases').where({ id: a.caseId }).update({ approval_expires_on: a.until });
}

export const trainerApplication = {
  submission: trainerApplicationSubmission,

  // Anyone may apply; a renewal must name the applicant's approved application, which the API checks with the request.
  async beforeSubmission() {},

  async automaticChecks({ db, c, today }) {
    const s = c.submission;
    const documents = await documentCount(db, c.id);
    const results = [
      check(
        'documents-present',
        documents > 0,
        'needs_information',
        {
          message: `${documents} document(s) attached.`,
          key: 'documentsPresent',
          values: { count: String(documents) },
        },
        { message: 'Upload your résumé or proof of qualifications.', key: 'documentsPresent' },
      ),
    ];
    if (s.specialties.includes('cpr-first-aid')) {
      results.push(
        check(
          'instructor-certification-present',
          s.certifications.length > 0,
          'needs_information',
          { message: 'Instructor certification attached.', key: 'instructorCertificationPresent' },
          {
            message: 'To train CPR/First Aid, upload your instructor certification for each national model you teach.',
            key: 'instructorCertificationPresent',
          },
        ),
      );
    }
    for (const cert of s.certifications) {
      results.push(
        check(
          `instructor-certification-current-${cert.model}`,
          cert.expiresOn >= today,
          'needs_information',
          {
            message: `${cert.model} instructor certification is current until ${cert.expiresOn}.`,
            key: 'instructorCertificationCurrent',
            values: { model: cert.model, expiresOn: cert.expiresOn },
          },
          {
            message: `Your ${cert.model} instructor certification expired on ${cert.expiresOn}; upload the current one.`,
            key: 'instructorCertificationCurrent',
            values: { model: cert.model, expiresOn: cert.expiresOn },
          },
        ),
      );
    }
    return results;
  },

  async grant({ trx, c, today, now }) {
    const s = c.submission;
    const term = await getSetting(trx, 'trainer_approval_term');
    const previous = c.renews_case_id
      ? await trx('trainers')
          .where({ user_id: c.applicant_user_id })
          .first<{ approved_until: string } | undefined>('approved_until')
      : undefined;
    // A renewal runs on from the end of the current term; a first approval from today.
    const from = previous && previous.approved_until > today ? previous.approved_until : today;
    const until = addYears(from, term.years);
    await approveTrainer(trx, {
      userId: c.applicant_user_id,
      caseId: c.id,
      until,
      today,
      specialties: s.specialties,
      regions: s.regions,
      certifications: s.certifications,
      updatedAt: now(),
      keepLongerTerm: false,
    });
    return null;
  },
} satisfies CaseKind<'trainer_application'>;
