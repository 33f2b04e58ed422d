/** Request schemas: the single source of validation, request types and the OpenAPI document. */
import { z } from 'zod';
import {
  CASE_TYPES,
  CREDENTIAL_KINDS,
  DEGREE_LEVELS,
  EDUCATION_KINDS,
  EMPLOYMENT_ROLES,
  LANGUAGES,
  REGIONS,
  REGISTRY_CODE_PATTERN,
  ROLES,
  TRAINING_SOURCES,
  UPLOAD_PURPOSES,
} from '../rules/domain.js';
import { isLocalDate, localDateOf } from '../rules/dates.js';

const required = (what: string) => ({
  error: (issue: { input: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`),
});

/** An id in a path: digits only. */
export const id = z.coerce
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .positive('must be positive')
  .max(Number.MAX_SAFE_INTEGER);
/** An id in a JSON body: a positive whole number, not a string. */
export const bodyId = z
  .number(required('a number'))
  .int('must be a whole number')
  .positive('must be positive')
  .max(Number.MAX_SAFE_INTEGER);
export const localDate = z
  .string(required('a calendar date written YYYY-MM-DD'))
  .refine(isLocalDate, 'must be a calendar date written YYYY-MM-DD');
const text = (max: number) =>
  z.string(required('text')).trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
export const email = z
  .string(required('an email address'))
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email('must be an email address'));
/** ASVS V2.1: at least 12 characters, at most 128, any characters. */
export const password = z
  .string(required('a password'))
  .min(12, 'must be at least 12 characters')
  .max(128, 'must be at most 128 characters');

/** A link people will click: http(s) only, since a `javascript:` or `data:` address would run as script. */
export const webAddress = z
  .url({ protocol: /^https?$/, error: 'must be a web address starting with http:// or https://' })
  .max(500, 'must be at most 500 characters');

export const idParams = z.object({ id }).strict();
export const uuidParams = z.object({ id: z.uuid('must be an upload id') }).strict();

/** A professional role: any code of the professional_roles registry (seeded with EMPLOYMENT_ROLES; admins add more). */
const registeredRole = z
  .string(required(`a registered role, e.g. ${EMPLOYMENT_ROLES.join(', ')}`))
  .regex(REGISTRY_CODE_PATTERN, 'must be a registered role code');

export const newEmployment = z
  .object({
    professionalId: bodyId,
    organizationId: bodyId,
    role: registeredRole,
    hireDate: localDate,
    endDate: localDate.nullish(),
  })
  .strict()
  .refine((e) => !e.endDate || e.endDate >= e.hireDate, {
    path: ['endDate'],
    message: 'must not be before the hire date',
  });

const staffRole = registeredRole;
/** A director asks an existing person to join the staff: their MOPD ID; the person accepts. */
export const staffInvitation = z
  .object({
    mopdId: z
      .string(required('an MOPD ID'))
      .trim()
      .regex(/^MO[0-9]{7}$/i, 'must be an MOPD ID: MO and seven digits'),
    role: staffRole,
    hireDate: localDate,
  })
  .strict();
/** A director adds someone MOPD has no record of. */
export const newStaffPerson = z
  .object({ firstName: text(100), lastName: text(100), email, role: staffRole, hireDate: localDate })
  .strict();

export const completedTraining = z
  .object({
    professionalId: bodyId,
    courseId: bodyId,
    completedOn: localDate,
    hours: z
      .number()
      .positive('must be more than 0')
      .max(100, 'must be at most 100')
      .multipleOf(0.25, 'must be in quarter hours')
      .optional(),
    source: z.enum(TRAINING_SOURCES).default('attendance'),
    registeredOn: localDate.optional(),
    startedAt: z.iso
      .datetime({ offset: true, error: 'must be a date and time with its offset, e.g. 2026-03-02T14:00:00-06:00' })
      .transform((v) => new Date(v))
      .optional(),
    completedAt: z.iso
      .datetime({ offset: true, error: 'must be a date and time with its offset, e.g. 2026-03-02T15:00:00-06:00' })
      .transform((v) => new Date(v))
      .optional(),
    // Not `trainerHasInstructorCertification`: the registry's trainer_certifications answer that, and an
    // unknown key is refused with 400 naming it, so a client still sending it learns it is not taken.
    inRatio: z.boolean().optional(),
    usedForGroup: z.boolean().optional(),
  })
  .strict()
  .refine((t) => !t.startedAt || !t.completedAt || t.startedAt <= t.completedAt, {
    path: ['completedAt'],
    message: 'must not be before startedAt',
  })
  .refine((t) => !t.completedAt || localDateOf(t.completedAt) === t.completedOn, {
    path: ['completedOn'],
    message: 'must be the local (America/Chicago) date of completedAt',
  });

export const complianceQuery = z.object({ asOf: localDate.optional() }).strict();

const paging = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
};
export const searchQuery = z.object({ search: z.string().trim().max(100).optional(), ...paging }).strict();

/** A language MOPD speaks: what the UI shows and emails are written in. */
export const language = z.enum(LANGUAGES, required(`one of ${LANGUAGES.join(', ')}`));
export const languageChoice = z.object({ language }).strict();

export const signUp = z
  .object({
    firstName: text(100),
    lastName: text(100),
    email,
    password,
    county: text(60).optional(),
    language: language.optional(),
  })
  .strict();
export const signIn = z
  .object({ email, password: z.string(required('a password')).min(1, 'is required').max(128) })
  .strict();
export const secondFactor = z
  .object({
    code: z
      .string()
      .regex(/^\d{6}$/, 'must be the 6 digits your app shows')
      .optional(),
    recoveryCode: z.string().trim().min(8).max(20).optional(),
  })
  .strict()
  .refine((b) => Boolean(b.code) !== Boolean(b.recoveryCode), {
    path: ['code'],
    message: 'give either the 6-digit code or a recovery code',
  });
export const mfaCode = z
  .object({
    code: z.string(required('the 6 digits your app shows')).regex(/^\d{6}$/, 'must be the 6 digits your app shows'),
  })
  .strict();
export const passwordResetRequest = z.object({ email }).strict();
export const token = z.string(required('the token from the link')).min(20, 'is not a valid link token').max(100);
export const passwordResetConfirm = z.object({ token, password }).strict();
export const verifyEmail = z.object({ token }).strict();

export const roleList = z
  .object({
    roles: z
      .array(z.enum(ROLES))
      .max(ROLES.length)
      .refine((r) => new Set(r).size === r.length, 'must not repeat a role'),
  })
  .strict();
export const organizationIds = z.object({ organizationIds: z.array(bodyId).max(500) }).strict();
export const claimApproval = z.object({ organizationId: bodyId }).strict();
export const newStaffUser = z
  .object({ email, displayName: text(120), roles: roleList.shape.roles.min(1, 'give at least one role') })
  .strict();
export const booleanSetting = z.object({ value: z.boolean(required('true or false')) }).strict();
export const auditQuery = z
  .object({
    entity: z.string().max(60).optional(),
    entityId: z.string().max(60).optional(),
    actorUserId: id.optional(),
    beforeId: id.optional(),
    limit: paging.limit,
  })
  .strict();
export const uploadFields = z
  .object({ purpose: z.enum(UPLOAD_PURPOSES, required(`one of ${UPLOAD_PURPOSES.join(', ')}`)) })
  .strict();

export const employmentEnd = z.object({ endDate: localDate }).strict();
export const staffReportQuery = z
  .object({ asOf: localDate.optional(), format: z.enum(['json', 'csv', 'pdf']).default('json') })
  .strict();
export const transcriptQuery = z.object({ format: z.enum(['json', 'csv', 'pdf']).default('json') }).strict();

const uploadId = z.uuid('must be the id of a file you uploaded');
const notInFuture = (date: string) => date <= localDateOf(new Date());

export const newEducation = z
  .object({
    kind: z.enum(EDUCATION_KINDS, required(`one of ${EDUCATION_KINDS.join(', ')}`)),
    title: text(200),
    institution: text(200).optional(),
    field: text(120).optional(),
    degreeLevel: z.enum(DEGREE_LEVELS, required(`one of ${DEGREE_LEVELS.join(', ')}`)).optional(),
    creditHours: z
      .number(required('a number'))
      .positive('must be more than 0')
      .max(300, 'must be at most 300')
      .optional(),
    completedOn: localDate.refine(notInFuture, 'must not be in the future').optional(),
    uploadId: uploadId.optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (e.kind === 'degree' && !e.degreeLevel)
      ctx.addIssue({ code: 'custom', path: ['degreeLevel'], message: 'is required for a degree' });
    if (e.kind !== 'degree' && e.degreeLevel)
      ctx.addIssue({ code: 'custom', path: ['degreeLevel'], message: 'is only for degrees' });
    if (e.kind !== 'coursework' && e.creditHours !== undefined)
      ctx.addIssue({ code: 'custom', path: ['creditHours'], message: 'is only for coursework' });
  });

export const newCredential = z
  .object({
    kind: z.enum(CREDENTIAL_KINDS, required(`one of ${CREDENTIAL_KINDS.join(', ')}`)).default('cpr_first_aid_card'),
    issuer: text(120),
    issuedOn: localDate.refine(notInFuture, 'must not be in the future'),
    expiresOn: localDate,
    /** The scan a reviewer verifies the card from. */
    uploadId,
  })
  .strict()
  .refine((c) => c.expiresOn > c.issuedOn, { path: ['expiresOn'], message: 'must be after the issue date' });

const optionalText = (max: number) => text(max).nullable().optional();
export const contactUpdate = z
  .object({
    phone: z
      .string(required('text'))
      .trim()
      .regex(/^[0-9()+\-. ]{7,20}$/, 'must be a phone number (digits, spaces, +, -, parentheses)')
      .nullable()
      .optional(),
    addressLine: optionalText(200),
    city: optionalText(100),
    zip: z
      .string(required('text'))
      .regex(/^[0-9]{5}$/, 'must be 5 digits')
      .nullable()
      .optional(),
    county: optionalText(60),
    region: z
      .enum(REGIONS, required(`one of ${REGIONS.join(', ')}`))
      .nullable()
      .optional(),
  })
  .strict()
  .refine((c) => Object.keys(c).length > 0, 'give at least one field to change');

const organizationFields = {
  name: text(200),
  licenseNumber: text(40).nullable(),
  licensed: z.boolean(required('true or false')),
  licenseExempt: z.boolean(required('true or false')),
  subsidized: z.boolean(required('true or false')),
  servesInfants: z.boolean(required('true or false')),
  contractYearStartMonth: z
    .number(required('a month, 1 to 12'))
    .int('must be a whole number')
    .min(1, 'must be 1 to 12')
    .max(12, 'must be 1 to 12')
    .nullable(),
  addressLine: text(200).nullable(),
  city: text(100).nullable(),
  zip: z
    .string(required('text'))
    .regex(/^[0-9]{5}$/, 'must be 5 digits')
    .nullable(),
  county: text(60),
  region: z.enum(REGIONS, required(`one of ${REGIONS.join(', ')}`)).nullable(),
  /** A registered program type's code (program_types). */
  programType: z
    .string(required('a registered program type'))
    .regex(REGISTRY_CODE_PATTERN, 'must be a registered program type code'),
};
export const newOrganization = z
  .object({
    ...organizationFields,
    programType: organizationFields.programType.optional(),
    licenseNumber: organizationFields.licenseNumber.optional(),
    licenseExempt: organizationFields.licenseExempt.optional(),
    servesInfants: organizationFields.servesInfants.optional(),
    contractYearStartMonth: organizationFields.contractYearStartMonth.optional(),
    addressLine: organizationFields.addressLine.optional(),
    city: organizationFields.city.optional(),
    zip: organizationFields.zip.optional(),
    region: organizationFields.region.optional(),
  })
  .strict();
export const organizationUpdate = z
  .object(organizationFields)
  .partial()
  .strict()
  .refine((o) => Object.keys(o).length > 0, 'give at least one field to change');
export type OrganizationFields = z.infer<typeof organizationUpdate>;

const workingDays = z
  .number(required('a number of working days'))
  .int('must be whole days')
  .min(1, 'must be at least 1')
  .max(120, 'must be at most 120');
const clock = z.string(required('a time HH:MM')).regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'must be a time HH:MM');
export const caseSettings = z
  .object({
    serviceLevels: z
      .partialRecord(
        z.enum(CASE_TYPES),
        z.object({ decideWithinWorkingDays: workingDays, escalateAfterWorkingDays: workingDays }).strict(),
      )
      .optional(),
    businessCalendar: z
      .object({
        timeZone: z.literal('America/Chicago'),
        workingDays: z.array(z.number().int().min(1).max(7)).min(1, 'name at least one working day').max(7),
        opensAt: clock,
        closesAt: clock,
        holidays: z.array(localDate).max(400),
      })
      .strict()
      .refine((c) => c.opensAt < c.closesAt, { path: ['closesAt'], message: 'must be after the opening time' })
      .optional(),
    informationWindow: z
      .object({
        answerWithinDays: z.number().int().min(1).max(365),
        remindDaysBefore: z.number().int().min(0).max(364),
      })
      .strict()
      .refine((w) => w.remindDaysBefore < w.answerWithinDays, {
        path: ['remindDaysBefore'],
        message: 'must be fewer days than the answer window',
      })
      .optional(),
    trainerApprovalTerm: z
      .object({ years: z.number().int().min(1).max(10), remindDaysBefore: z.number().int().min(0).max(365) })
      .strict()
      .optional(),
    automaticAssignment: z.boolean().optional(),
  })
  .strict()
  .refine((s) => Object.keys(s).length > 0, 'give at least one setting to change');

export const reviewerProfile = z
  .object({
    isLead: z.boolean(required('true or false')),
    regions: z.array(z.enum(REGIONS)).max(REGIONS.length).default([]),
    caseTypes: z.array(z.enum(CASE_TYPES)).max(CASE_TYPES.length).default([]),
    acceptsAutomaticAssignment: z.boolean(required('true or false')).default(true),
  })
  .strict();

/** A correction of a training record by the registry (issue 18): what changes, and why. */
export const trainingRecordCorrection = z
  .object({
    completedOn: localDate.optional(),
    hours: z
      .number()
      .positive('must be more than 0')
      .max(100, 'must be at most 100')
      .multipleOf(0.25, 'must be in quarter hours')
      .optional(),
    courseId: bodyId.optional(),
    reason: text(1000),
  })
  .strict()
  .refine((c) => c.completedOn !== undefined || c.hours !== undefined || c.courseId !== undefined, {
    message: 'give the date, the hours or the course to correct',
    path: ['completedOn'],
  })
  .refine((c) => c.completedOn === undefined || c.completedOn <= localDateOf(new Date()), {
    message: 'must not be in the future',
    path: ['completedOn'],
  });

/** Voiding a training record entered in error: the reason is required. */
export const trainingRecordVoid = z.object({ reason: text(1000) }).strict();
