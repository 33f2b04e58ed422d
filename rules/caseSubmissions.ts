/**
 * What an applicant submits for each case type: the single source for API validation, the stored
 * `cases.submission` and the automatic checks. Pure, so the query module (db/cases.ts) names the
 * stored shapes too; each case type's kind (services/caseKinds/) holds its schema.
 */
import { z } from 'zod';
import { COURSE_LEVELS, DELIVERY_MODES } from './domain.js';
import { isLocalDate, localDateOf } from './dates.js';
import { CURRENT_MICRO_CREDENTIALS, evidenceProblems, findMicroCredential } from './microCredentials.js';

const required = (what: string) => ({
  error: (issue: { input: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`),
});
const text = (max: number) =>
  z.string(required('text')).trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const localDate = z
  .string(required('a calendar date written YYYY-MM-DD'))
  .refine(isLocalDate, 'must be a calendar date written YYYY-MM-DD');
const uploadId = z.uuid('must be the id of a file you uploaded');
const hours = z
  .number(required('a number of hours'))
  .positive('must be more than 0')
  .max(100, 'must be at most 100')
  .multipleOf(0.25, 'must be in quarter hours');
const topic = z
  .string(required('a topic'))
  .regex(/^[a-z0-9-]+$/, 'must be a topic code such as health-safety')
  .max(60);

export const trainerApplicationSubmission = z
  .object({
    qualifications: text(4000),
    education: text(2000),
    experience: text(4000),
    /** Topic codes the trainer will teach, e.g. 'cpr-first-aid'. */
    specialties: z.array(topic).min(1, 'name at least one specialty').max(20),
    regions: z.array(text(40)).max(10).default([]),
    /** Résumé, diplomas, references: uploads of the applicant. */
    documents: z
      .array(z.object({ uploadId, label: text(120) }).strict())
      .max(20)
      .default([]),
    /** One instructor certification per CPR/First Aid national model taught. */
    certifications: z
      .array(z.object({ model: text(120), expiresOn: localDate, uploadId }).strict())
      .max(10)
      .default([]),
  })
  .strict();

export const courseSubmission = z
  .object({
    title: text(200),
    description: text(4000),
    sponsor: text(200),
    topic,
    level: z.enum(COURSE_LEVELS, required(`one of ${COURSE_LEVELS.join(', ')}`)),
    clockHours: hours,
    delivery: z.enum(DELIVERY_MODES, required(`one of ${DELIVERY_MODES.join(', ')}`)),
    inPersonHours: hours.optional(),
    feeCents: z
      .number(required('a number of cents'))
      .int('must be whole cents')
      .min(0, 'must not be negative')
      .max(1_000_000),
    materials: z.string().trim().max(4000).default(''),
    cprModel: text(120).optional(),
    /** Online courses: the least time the course takes, in minutes (the reviewer approves it; unset: its clock hours). */
    minimumMinutes: z
      .number(required('a number of minutes'))
      .positive('must be more than 0')
      .max(6000, 'must be at most 6000')
      .optional(),
    /** Online courses: attempts at the knowledge check (3 unless said) and the wait after a failed one (10 minutes unless said). */
    knowledgeCheckAttempts: z
      .number(required('a number'))
      .int()
      .min(1, 'must be at least 1')
      .max(10, 'must be at most 10')
      .optional(),
    knowledgeCheckWaitMinutes: z
      .number(required('a number of minutes'))
      .int()
      .min(0, 'must not be negative')
      .max(10080, 'must be at most a week')
      .optional(),
  })
  .strict()
  .refine((c) => c.delivery !== 'blended' || c.inPersonHours !== undefined, {
    path: ['inPersonHours'],
    message: 'is required for blended delivery',
  })
  .refine((c) => c.inPersonHours === undefined || c.inPersonHours <= c.clockHours, {
    path: ['inPersonHours'],
    message: 'must not exceed the clock hours',
  })
  .refine((c) => c.minimumMinutes === undefined || c.delivery === 'online', {
    path: ['minimumMinutes'],
    message: 'is for online courses only',
  });

export const trainingRequestSubmission = z
  .object({
    /**
     * Which of the exceptions the rule set lists (its `request-category` rules) this training is;
     * a category no rule lists is refused with the reason of its `request-refused` rule.
     */
    category: z
      .string(required('one of the exception categories offered'))
      .regex(/^[a-z0-9-]+$/, 'must be one of the exception categories offered')
      .max(60),
    /** Whether the hours were earned while counted in ratio with children (they then earn none). */
    inRatio: z.boolean(required('yes or no (true or false)')),
    /** A course of the MOPD catalog the training was (e.g. a DESE course); left out, the request describes its own. */
    courseId: z.number(required('a number')).int().positive().optional(),
    title: text(200),
    provider: text(200),
    topic,
    completedOn: localDate.refine((d) => d <= localDateOf(new Date()), 'must not be in the future'),
    hours,
    delivery: z.enum(DELIVERY_MODES, required(`one of ${DELIVERY_MODES.join(', ')}`)),
    inPersonHours: hours.optional(),
    cprModel: text(120).optional(),
    /** Certificate, transcript: uploads of the applicant. */
    proof: z.array(uploadId).max(10).default([]),
  })
  .strict()
  .refine((c) => c.delivery !== 'blended' || c.inPersonHours !== undefined, {
    path: ['inPersonHours'],
    message: 'is required for blended delivery',
  });

export const organizationClaimSubmission = z
  .object({
    organizationId: z.number(required('a number')).int().positive(),
    position: text(120),
    message: z.string().trim().max(2000).default(''),
  })
  .strict();

/**
 * Evidence for a micro-credential: the credential (from the catalog version in force), a written
 * reflection, and documents uploaded by the applicant. How much evidence is enough is the
 * credential's own data (rules/microCredentials.ts), checked on submission and by the workflow.
 */
export const microCredentialSubmission = z
  .object({
    credentialId: z
      .string(required('a micro-credential id'))
      .regex(/^[a-z0-9-]+$/, 'must be a micro-credential id such as safe-sleep-practice')
      .max(60),
    reflection: z.string(required('text')).max(20_000, 'must be at most 20000 characters'),
    documents: z
      .array(
        z
          .object({ uploadId, label: z.string().trim().max(120, 'must be at most 120 characters').default('') })
          .strict(),
      )
      .max(10, 'must be at most 10 documents')
      .default([]),
  })
  .strict();

/** A submission as the API takes it: the credential must be in the current catalog and the evidence enough for it, each problem named by its field. */
export const microCredentialEvidence = microCredentialSubmission.superRefine((body, ctx) => {
  const credential = findMicroCredential(CURRENT_MICRO_CREDENTIALS.version, body.credentialId);
  if (!credential) {
    ctx.addIssue({ code: 'custom', path: ['credentialId'], message: 'is not a micro-credential MOPD offers' });
    return;
  }
  for (const problem of evidenceProblems(credential, {
    reflection: body.reflection,
    documentCount: body.documents.length,
  }))
    ctx.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
});

export type TrainerApplicationSubmission = z.infer<typeof trainerApplicationSubmission>;
export type CourseSubmission = z.infer<typeof courseSubmission>;
export type TrainingRequestSubmission = z.infer<typeof trainingRequestSubmission>;
export type OrganizationClaimSubmission = z.infer<typeof organizationClaimSubmission>;
export type MicroCredentialSubmission = z.infer<typeof microCredentialSubmission> & { catalogVersion: string };

/** What `cases.submission` holds, by case type (db/cases.ts makes a case row a union of these). */
export interface CaseSubmissions {
  trainer_application: TrainerApplicationSubmission;
  course_approval: CourseSubmission;
  training_request: TrainingRequestSubmission;
  organization_claim: OrganizationClaimSubmission;
  micro_credential: MicroCredentialSubmission;
}
