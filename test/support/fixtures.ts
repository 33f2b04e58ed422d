/** Small builders of registry rows for tests; each test states what matters and takes the rest. */
import type { Db } from '../../db/connection.js';
import { createProfessional } from '../../db/professionals.js';
import { createEmployment } from '../../db/employments.js';
import type { CourseRow, EmploymentRow, OrganizationRow, ProfessionalRow } from '../../db/rows.js';
import type { EmploymentRole } from '../../rules/domain.js';

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export async function anOrganization(db: Db, over: Partial<Omit<OrganizationRow, 'id'>> = {}): Promise<OrganizationRow> {
  const [row] = await db('organizations')
    .insert({ name: `Test Center ${unique()}`, licensed: true, subsidized: false, serves_infants: true, contract_year_start_month: null, county: 'Boone', ...over })
    .returning('*');
  return row as OrganizationRow;
}

export function aProfessional(db: Db, over: Partial<{ firstName: string; lastName: string; email: string }> = {}): Promise<ProfessionalRow> {
  const id = unique();
  return createProfessional(db, { firstName: 'Pat', lastName: `Tester${id}`, email: `pat.${id}@example.org`, ...over });
}

export async function aCourse(db: Db, over: Partial<Omit<CourseRow, 'id'>> = {}): Promise<CourseRow> {
  const [row] = await db('courses')
    .insert({ title: `Course ${unique()}`, sponsor: 'DESE OOC', topic: 'health-safety', delivery: 'in_person', clock_hours: 3, in_person_hours: null, approved: true, ...over })
    .returning('*');
  return row as CourseRow;
}

export const aSafeSleepCourse = (db: Db) => aCourse(db, { title: 'Infant Safe Sleep', topic: 'infant-safe-sleep', delivery: 'online', clock_hours: 1 });

export function anEmployment(db: Db, professional: ProfessionalRow, organization: OrganizationRow, hireDate: string, role: EmploymentRole = 'teacher'): Promise<EmploymentRow> {
  return createEmployment(db, { professionalId: professional.id, organizationId: organization.id, role, hireDate });
}
