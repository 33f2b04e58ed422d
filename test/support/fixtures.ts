/** Small builders of registry rows for tests; each test states what matters and takes the rest. */
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/connection.js';
import { createProfessional } from '../../db/professionals.js';
import { createEmployment } from '../../db/employments.js';
import type { CourseRow, EmploymentRow, OrganizationRow, ProfessionalRow } from '../../db/rows.js';
import type { EmploymentRole } from '../../rules/domain.js';

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export async function anOrganization(
  db: Db,
  over: Partial<Omit<OrganizationRow, 'id'>> = {},
): Promise<OrganizationRow> {
  const [row] = await db('organizations')
    .insert({
      name: `Test Center ${unique()}`,
      licensed: true,
      subsidized: false,
      serves_infants: true,
      contract_year_start_month: null,
      county: 'Boone',
      ...over,
    })
    .returning('*');
  return row as OrganizationRow;
}

export function aProfessional(
  db: Db,
  over: Partial<{ firstName: string; lastName: string; email: string }> = {},
): Promise<ProfessionalRow> {
  const id = unique();
  return createProfessional(db, { firstName: 'Pat', lastName: `Tester${id}`, email: `pat.${id}@example.org`, ...over });
}

export async function aCourse(db: Db, over: Partial<Omit<CourseRow, 'id'>> = {}): Promise<CourseRow> {
  const [row] = await db('courses')
    .insert({
      title: `Course ${unique()}`,
      sponsor: 'DESE OOC',
      topic: 'health-safety',
      delivery: 'in_person',
      clock_hours: 3,
      in_person_hours: null,
      approved: true,
      ...over,
    })
    .returning('*');
  return row as CourseRow;
}

export const aSafeSleepCourse = (db: Db) =>
  aCourse(db, { title: 'Infant Safe Sleep', topic: 'infant-safe-sleep', delivery: 'online', clock_hours: 1 });

export function anEmployment(
  db: Db,
  professional: ProfessionalRow,
  organization: OrganizationRow,
  hireDate: string,
  role: EmploymentRole = 'teacher',
): Promise<EmploymentRow> {
  return createEmployment(db, { professionalId: professional.id, organizationId: organization.id, role, hireDate });
}

/** An approved trainer's current instructor certification for a CPR model, as an approved application leaves it. */
export async function anInstructorCertification(
  db: Db,
  trainerUserId: number,
  model: string,
  expiresOn = '2099-12-31',
): Promise<void> {
  const uploadId = randomUUID();
  await db('uploads').insert({
    id: uploadId,
    owner_user_id: trainerUserId,
    purpose: 'instructor_certification',
    original_name: 'certification.pdf',
    media_type: 'application/pdf',
    size_bytes: 1,
    sha256: '0'.repeat(64),
  });
  const [application] = await db('cases')
    .insert({
      type: 'trainer_application',
      status: 'approved',
      workflow_id: `case-fixture-${uploadId}`,
      applicant_user_id: trainerUserId,
      title: 'Trainer application',
      submission: '{}',
      rule_set: 'mopd-compliance',
      rule_set_version: 1,
    })
    .returning('id');
  await db('trainer_certifications').insert({
    trainer_user_id: trainerUserId,
    model,
    expires_on: expiresOn,
    upload_id: uploadId,
    case_id: (application as { id: number }).id,
  });
}
