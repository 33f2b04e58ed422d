/** Request schemas: the single source of validation and request types. */
import { z } from 'zod';
import { EMPLOYMENT_ROLES, TRAINING_SOURCES } from '../rules/domain.js';
import { isLocalDate } from '../rules/dates.js';

export const id = z.coerce.number({ error: 'must be a number' }).int('must be a whole number').positive('must be positive').max(Number.MAX_SAFE_INTEGER);
const required = (what: string) => ({ error: (issue: { input: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`) });

/** An id in a JSON body: a positive whole number, not a string. */
export const bodyId = z.number(required('a number')).int('must be a whole number').positive('must be positive').max(Number.MAX_SAFE_INTEGER);

export const localDate = z.string(required('a calendar date written YYYY-MM-DD')).refine(isLocalDate, 'must be a calendar date written YYYY-MM-DD');

export const idParams = z.object({ id });

export const newEmployment = z
  .object({
    professionalId: bodyId,
    organizationId: bodyId,
    role: z.enum(EMPLOYMENT_ROLES, required(`one of ${EMPLOYMENT_ROLES.join(', ')}`)),
    hireDate: localDate,
    endDate: localDate.nullish(),
  })
  .strict()
  .refine((e) => !e.endDate || e.endDate >= e.hireDate, { path: ['endDate'], message: 'must not be before the hire date' });

export const completedTraining = z
  .object({
    professionalId: bodyId,
    courseId: bodyId,
    completedOn: localDate,
    hours: z.number().positive('must be more than 0').max(100, 'must be at most 100').multipleOf(0.25, 'must be in quarter hours').optional(),
    source: z.enum(TRAINING_SOURCES).default('attendance'),
  })
  .strict();

export const complianceQuery = z.object({ asOf: localDate.optional() });

export const professionalSearch = z.object({
  search: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
