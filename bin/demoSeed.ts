/**
 * Deterministic demo data: five organizations of different kinds, about 50 professionals with
 * three years of employment and training history (some on time, some short, some back-filled),
 * and a few recent hires with safe-sleep deadlines still running. The same date gives the same data.
 */
import { faker } from '@faker-js/faker';
import type { Db } from '../db/connection.js';
import { addCredential, addEducation } from '../db/profile.js';
import { createCase, type CaseRow } from '../db/cases.js';
import { createEvent } from '../db/events.js';
import { createOnlineCourses, type CourseContent } from '../services/onlineCourses.js';
import { offlinePaymentProvider } from '../services/payments.js';
import { caseWorkflowId } from '../workflows/approvalCase.js';
import type { Knex } from 'knex';
import { createProfessional } from '../db/professionals.js';
import { createEmployment } from '../db/employments.js';
import { insertTrainingRecord } from '../db/trainingRecords.js';
import { ruleSetInEffect } from '../db/ruleSets.js';
import { refreshCompliance } from '../services/compliance.js';
import { creditFacts } from '../services/credit.js';
import { addDays, dateOf, localDateAtHour, yearOf, type LocalDate } from '../rules/dates.js';
import { EMPLOYMENT_ROLES, type CaseType, type EmploymentRole, type Region } from '../rules/domain.js';
import { COMPLIANCE_RULE_SET } from '../rules/versions/index.js';
import { policyChangeExamples } from '../rules/versions/examples/index.js';
import type { CourseRow } from '../db/rows.js';
import { createUser } from '../db/users.js';
import type { Role } from '../rules/domain.js';

/** Every demo account signs in with this password (development only; shown in the README). */
export const DEMO_PASSWORD = 'mopd-demo-password';

const ORGANIZATIONS = [
  {
    name: 'Little Acorns Learning Center',
    license_number: 'MO-LC-10231',
    licensed: true,
    license_exempt: false,
    subsidized: true,
    serves_infants: true,
    contract_year_start_month: 7,
    county: 'Boone',
    region: 'Central',
    address_line: '210 Oak Grove Rd',
    city: 'Columbia',
    zip: '65201',
  },
  {
    name: 'Riverbend Child Development',
    license_number: 'MO-LC-20417',
    licensed: true,
    license_exempt: false,
    subsidized: false,
    serves_infants: true,
    contract_year_start_month: null,
    county: 'Jackson',
    region: 'Kansas City',
    address_line: '4500 Riverfront Dr',
    city: 'Kansas City',
    zip: '64120',
  },
  {
    name: 'Ozark Kids Afterschool',
    license_number: 'MO-LC-30552',
    licensed: true,
    license_exempt: false,
    subsidized: true,
    serves_infants: false,
    contract_year_start_month: 10,
    county: 'Greene',
    region: 'Southwest',
    address_line: '88 Battlefield Ave',
    city: 'Springfield',
    zip: '65807',
  },
  {
    name: 'Sunrise Family Child Care',
    license_number: null,
    licensed: false,
    license_exempt: true,
    subsidized: true,
    serves_infants: true,
    contract_year_start_month: 1,
    county: 'St. Louis',
    region: 'St. Louis',
    address_line: '17 Sunrise Ct',
    city: 'Florissant',
    zip: '63031',
  },
  {
    name: 'Prairie View Preschool',
    license_number: 'MO-LC-40988',
    licensed: true,
    license_exempt: false,
    subsidized: false,
    serves_infants: false,
    contract_year_start_month: null,
    county: 'Cole',
    region: 'Central',
    address_line: '301 Prairie Ln',
    city: 'Jefferson City',
    zip: '65101',
  },
];

const CPR_MODELS = [
  'American Red Cross',
  'American Heart Association',
  'National Safety Council',
  'Health and Safety Institute (HSI)',
];

const COURSES: Array<Omit<CourseRow, 'id'>> = [
  {
    title: 'Infant Safe Sleep',
    description: 'Safe sleep practices for infants in care.',
    sponsor: 'DESE OOC',
    topic: 'infant-safe-sleep',
    delivery: 'online',
    clock_hours: 1,
    in_person_hours: null,
    approved: true,
    cpr_model: null,
  },
  {
    title: 'Health and Safety Basics',
    description: 'Required health and safety orientation.',
    sponsor: 'DESE OOC',
    topic: 'health-safety',
    delivery: 'online',
    clock_hours: 3,
    in_person_hours: null,
    approved: true,
    cpr_model: null,
  },
  {
    title: 'Guiding Young Children’s Behavior',
    description: 'Positive guidance strategies.',
    sponsor: 'Child Care Aware of Missouri',
    topic: 'guidance',
    delivery: 'in_person',
    clock_hours: 3,
    in_person_hours: null,
    approved: true,
    cpr_model: null,
  },
  {
    title: 'Early Literacy Through Play',
    description: 'Language and literacy in daily routines.',
    sponsor: 'Missouri Head Start Association',
    topic: 'curriculum',
    delivery: 'in_person',
    clock_hours: 2,
    in_person_hours: null,
    approved: true,
    cpr_model: null,
  },
  {
    title: 'Pediatric First Aid and CPR',
    description: 'American Red Cross blended course with in-person skills check.',
    sponsor: 'American Red Cross',
    topic: 'cpr-first-aid',
    delivery: 'blended',
    clock_hours: 6,
    in_person_hours: 3,
    approved: true,
    cpr_model: 'American Red Cross',
  },
  {
    title: 'Family Engagement Essentials',
    description: 'Building partnerships with families.',
    sponsor: 'DESE OOC',
    topic: 'family-engagement',
    delivery: 'online',
    clock_hours: 2,
    in_person_hours: null,
    approved: true,
    cpr_model: null,
    fee_cents: 500,
  },
  {
    title: 'Observation and Assessment',
    description: 'Using observation to plan for each child.',
    sponsor: 'University of Missouri Extension',
    topic: 'assessment',
    delivery: 'in_person',
    clock_hours: 4,
    in_person_hours: null,
    approved: true,
    cpr_model: null,
  },
  {
    title: 'Conference on the Young Years',
    description:
      'The annual conference: a keynote each morning, then break-out sessions in parallel rooms; choose yours.',
    sponsor: 'DESE OOC',
    topic: 'professionalism',
    delivery: 'in_person',
    clock_hours: 21,
    in_person_hours: null,
    approved: true,
    cpr_model: null,
  },
  {
    title: 'Staff Meeting Lunch and Learn',
    description: 'An in-house talk that was never submitted for approval.',
    sponsor: 'In-house',
    topic: 'professionalism',
    delivery: 'in_person',
    clock_hours: 1,
    in_person_hours: null,
    approved: false,
    cpr_model: null,
  },
];

export interface DemoSeedOptions {
  today: LocalDate;
  /** argon2id hash of DEMO_PASSWORD, made by the caller (the seed does no crypto of its own). */
  demoPasswordHash: string;
  professionals?: number;
  /** Starts the deadline workflow of an employment whose deadlines are still running. */
  startDeadlines?: (employmentId: number) => Promise<unknown>;
  /** Starts the renewal workflow of a credential (CPR/First Aid card). */
  startCredentialRenewal?: (credentialId: number) => Promise<unknown>;
  /** Starts the workflow of an approval case. */
  startCase?: (type: CaseType, caseId: number, workflowId: string) => Promise<unknown>;
  /** Starts the reminder workflow of a scheduled event. */
  startEventReminders?: (eventId: number) => Promise<unknown>;
  /** MOPD's own address: the demo course video and captions are served from it (ui/public/demo-media). */
  publicUrl?: string;
}

export interface DemoSeedResult {
  seeded: boolean;
  professionals: number;
  trainingRecords: number;
  deadlineWorkflowsStarted: number;
  renewalWorkflowsStarted: number;
  caseWorkflowsStarted: number;
  reminderWorkflowsStarted: number;
}

export async function seedDemo(db: Db, options: DemoSeedOptions): Promise<DemoSeedResult> {
  // All rows in one transaction (a failed seed leaves nothing behind); workflows start after commit.
  const { result, recentHires, cards, cases, events } = await db.transaction((trx) => insertDemoRows(trx, options));
  if (options.startDeadlines) {
    for (const employmentId of recentHires) {
      await options.startDeadlines(employmentId);
      result.deadlineWorkflowsStarted++;
    }
  }
  if (options.startCase) {
    for (const c of cases) {
      await options.startCase(c.type, c.id, c.workflow_id);
      result.caseWorkflowsStarted++;
    }
  }
  if (options.startCredentialRenewal) {
    for (const credentialId of cards) {
      await options.startCredentialRenewal(credentialId);
      result.renewalWorkflowsStarted++;
    }
  }
  if (options.startEventReminders) {
    for (const eventId of events) {
      await options.startEventReminders(eventId);
      result.reminderWorkflowsStarted++;
    }
  }
  return result;
}

async function insertDemoRows(
  db: Db,
  options: DemoSeedOptions,
): Promise<{ result: DemoSeedResult; recentHires: number[]; cards: number[]; cases: CaseRow[]; events: number[] }> {
  const existing = await db('professionals').count<{ count: number }[]>({ count: '*' });
  if (Number(existing[0]?.count ?? 0) > 0) {
    return {
      result: {
        seeded: false,
        professionals: 0,
        trainingRecords: 0,
        deadlineWorkflowsStarted: 0,
        renewalWorkflowsStarted: 0,
        caseWorkflowsStarted: 0,
        reminderWorkflowsStarted: 0,
      },
      recentHires: [],
      cards: [],
      cases: [],
      events: [],
    };
  }

  faker.seed(20260101);
  const people = options.professionals ?? 50;
  const thisYear = yearOf(options.today);
  const firstYear = thisYear - 2;
  const organizations: Array<{ id: number; serves_infants: boolean; licensed: boolean }> = await db('organizations')
    .insert(ORGANIZATIONS)
    .returning(['id', 'serves_infants', 'licensed']);
  const courses: CourseRow[] = await db('courses').insert(COURSES).returning('*');
  const byTopic = (topic: string) => courses.filter((c) => c.topic === topic);
  const regular = courses.filter((c) => c.topic !== 'infant-safe-sleep');
  const rules = await ruleSetInEffect(db, COMPLIANCE_RULE_SET, options.today);

  const recentHires: number[] = [];
  const cards: number[] = [];
  let trainingRecords = 0;
  for (let i = 0; i < people; i++) {
    const firstName = faker.person.firstName();
    const lastName = faker.person.lastName();
    const organization = organizations[i % organizations.length]!;
    const professional = await createProfessional(db, {
      firstName,
      lastName,
      email: faker.internet
        .email({ firstName, lastName, provider: 'example.org' })
        .toLowerCase()
        .replace('@', `.${i}@`),
      county: ORGANIZATIONS[i % ORGANIZATIONS.length]!.county,
    });
    await db('professionals')
      .where({ id: professional.id })
      .update({
        region: ORGANIZATIONS[i % ORGANIZATIONS.length]!.region,
        phone: faker.phone.number({ style: 'national' }),
      });
    // Most people hold a CPR/First Aid card: some expire within weeks, a few have lapsed.
    if (i % 6 !== 5) {
      const expiresOn = addDays(options.today, faker.number.int({ min: -40, max: 700 }));
      const card = await addCredential(db, professional.id, {
        kind: 'cpr_first_aid_card',
        issuer: faker.helpers.arrayElement(CPR_MODELS),
        issuedOn: addDays(expiresOn, -730),
        expiresOn,
      });
      cards.push(card.id);
    }
    // Education: a few degrees and CDA credentials, so career levels differ.
    if (i % 4 === 0)
      await addEducation(db, professional.id, {
        kind: 'degree',
        title: 'Early Childhood Education',
        institution: 'University of Central Missouri',
        degreeLevel: faker.helpers.arrayElement(['associate', 'bachelor', 'master'] as const),
        completedOn: dateOf(firstYear - 3, 5, 15),
      });
    if (i % 5 === 1)
      await addEducation(db, professional.id, {
        kind: 'credential',
        title: 'CDA',
        institution: 'Council for Professional Recognition',
        completedOn: dateOf(firstYear - 1, 8, 1),
      });
    if (i % 7 === 3)
      await addEducation(db, professional.id, {
        kind: 'coursework',
        title: 'Child Growth and Development',
        institution: 'State Fair Community College',
        creditHours: 3,
        completedOn: dateOf(firstYear, 12, 10),
      });
    // The first person of each organization directs it; the last few people are brand-new hires.
    const role: EmploymentRole =
      i < organizations.length
        ? 'director'
        : faker.helpers.arrayElement(EMPLOYMENT_ROLES.filter((r) => r !== 'director'));
    const isRecentHire = i >= people - 4;
    // A few people left at the end of a year and came back this February.
    const leftAndReturned = !isRecentHire && i % 11 === 7;
    const hireDate = isRecentHire
      ? addDays(options.today, -faker.number.int({ min: 3, max: 20 }))
      : dateOf(
          faker.number.int({ min: firstYear - 1, max: leftAndReturned ? firstYear - 1 : thisYear - 1 }),
          faker.number.int({ min: 1, max: 12 }),
          faker.number.int({ min: 1, max: 28 }),
        );
    const employment = await createEmployment(db, {
      professionalId: professional.id,
      organizationId: organization.id,
      role,
      hireDate,
      endDate: leftAndReturned ? dateOf(thisYear - 2, 12, 31) : null,
    });
    if (leftAndReturned) {
      await createEmployment(db, {
        professionalId: professional.id,
        organizationId: organizations[(i + 1) % organizations.length]!.id,
        role,
        hireDate: dateOf(thisYear, 2, 1),
      });
    }
    if (isRecentHire) {
      recentHires.push(employment.id);
      continue;
    }

    // A diligent third, a short-one-year third (later back-filled for licensed staff), a lagging third.
    const habit = i % 3;
    const trainings: Array<{ course: CourseRow; on: LocalDate }> = [];
    if (organization.licensed && organization.serves_infants)
      trainings.push({
        course: byTopic('infant-safe-sleep')[0]!,
        on: addDays(hireDate, faker.number.int({ min: 2, max: 25 })),
      });
    for (let year = Math.max(firstYear, yearOf(hireDate)); year <= thisYear; year++) {
      const lastMonth = year === thisYear ? Number(options.today.slice(5, 7)) : 12;
      const target = habit === 0 ? 14 : habit === 1 ? (year === thisYear - 1 ? 6 : 20) : year === thisYear ? 4 : 10;
      let hours = 0;
      while (hours < target) {
        const course = faker.helpers.arrayElement(regular);
        const on = dateOf(year, faker.number.int({ min: 1, max: lastMonth }), faker.number.int({ min: 1, max: 28 }));
        if (on < hireDate || on > options.today) break;
        trainings.push({ course, on });
        hours += course.clock_hours;
      }
    }
    for (const { course, on } of trainings) {
      // Legacy trainers' certifications were checked by the old system.
      const facts = await creditFacts(db, {
        professionalId: professional.id,
        course,
        completedOn: on,
        hours: course.clock_hours,
        source: 'legacy_import',
      });
      const credit = await rules.decideCredit(
        course.cpr_model
          ? { ...facts, training: { ...facts.training, trainerHasInstructorCertification: true } }
          : facts,
      );
      await insertTrainingRecord(db, {
        professionalId: professional.id,
        courseId: course.id,
        title: course.title,
        topic: course.topic,
        completedOn: on,
        hours: course.clock_hours,
        source: 'legacy_import',
        credit,
      });
      trainingRecords++;
    }
  }

  await addDemoAccounts(
    db,
    options.demoPasswordHash,
    organizations.map((o) => o.id),
    options.today,
  );
  for (const { id } of await db('professionals').select('id')) await refreshCompliance(db, id as number);
  const cases = await addDemoCases(
    db as Knex.Transaction,
    organizations.map((o) => o.id),
    rules.version,
  );
  const events = await addDemoEvents(db, courses, options.today);
  await addDemoRuleDrafts(db);
  await addDemoCourseContent(db, courses, options.publicUrl ?? 'http://127.0.0.1:3000');
  return {
    result: {
      seeded: true,
      professionals: people,
      trainingRecords,
      deadlineWorkflowsStarted: 0,
      renewalWorkflowsStarted: 0,
      caseWorkflowsStarted: 0,
      reminderWorkflowsStarted: 0,
    },
    recentHires,
    cards,
    cases,
    events,
  };
}

/**
 * Accounts to sign in with: staff roles under @mopd.example, each organization's director (who
 * is also a professional) with an approved claim, and three professionals. Staff roles that
 * require two-step sign-in set it up at their first sign-in.
 */
async function addDemoAccounts(
  db: Db,
  passwordHash: string,
  organizationIds: number[],
  today: LocalDate,
): Promise<void> {
  const staff: Array<[string, string, Role[]]> = [
    ['admin@mopd.example', 'Avery Admin', ['admin']],
    ['reviewer@mopd.example', 'Riley Reviewer', ['reviewer']],
    ['policy@mopd.example', 'Parker Policy', ['policy_staff']],
    ['trainer@mopd.example', 'Taylor Trainer', ['trainer']],
  ];
  const users = new Map<string, number>();
  for (const [email, displayName, roles] of staff)
    users.set(email, (await createUser(db, { email, passwordHash, displayName, roles })).id);
  // Riley leads the reviewers; Taylor was an approved trainer before approvals moved into MOPD.
  await db('reviewer_profiles').insert({ user_id: users.get('reviewer@mopd.example'), is_lead: true });
  await db('trainers').insert({
    user_id: users.get('trainer@mopd.example'),
    approved_until: addDays(today, 400),
    specialties: ['guidance', 'curriculum'],
  });
  const inspector = await createUser(db, {
    email: 'inspector@mopd.example',
    passwordHash,
    displayName: 'Indigo Inspector',
    roles: ['inspector'],
  });
  await db('inspector_assignments').insert(
    organizationIds.slice(0, 2).map((organization_id) => ({ user_id: inspector.id, organization_id })),
  );

  const people: Array<{ id: number; first_name: string; last_name: string; email: string }> = await db('professionals')
    .orderBy('id')
    .limit(organizationIds.length + 3);
  for (const [index, person] of people.entries()) {
    const isDirector = index < organizationIds.length;
    const user = await createUser(db, {
      email: person.email,
      passwordHash,
      displayName: `${person.first_name} ${person.last_name}`,
      professionalId: person.id,
      roles: isDirector ? ['professional', 'director'] : ['professional'],
    });
    if (isDirector)
      await db('organization_claims').insert({
        organization_id: organizationIds[index],
        director_user_id: user.id,
        status: 'approved',
        decided_at: db.fn.now(),
      });
  }
}

/**
 * A few cases for the review queue: a claim and a course waiting for a reviewer, and a trainer
 * application the automatic checks send back for a résumé. Their workflows start after commit.
 */
async function addDemoCases(
  trx: Knex.Transaction,
  organizationIds: number[],
  ruleSetVersion: number,
): Promise<CaseRow[]> {
  const applicants: Array<{ id: number; display_name: string }> = await trx('users')
    .whereNotNull('professional_id')
    .whereNotIn('id', trx('organization_claims').select('director_user_id'))
    .orderBy('id')
    .limit(2);
  const trainer = await trx('users').where({ email: 'trainer@mopd.example' }).first<{ id: number }>('id');
  const prairie = await trx('organizations')
    .where({ id: organizationIds.at(-1) })
    .first<{ id: number; name: string; region: string | null }>('id', 'name', 'region');
  const common = { ruleSet: COMPLIANCE_RULE_SET, ruleSetVersion, documents: [] };
  const cases = [
    await createCase(trx, {
      ...common,
      type: 'organization_claim',
      applicantUserId: applicants[0]!.id,
      organizationId: prairie!.id,
      region: prairie!.region,
      title: prairie!.name,
      submission: {
        organizationId: prairie!.id,
        position: 'Assistant director',
        message: 'Taking over from the director in January.',
      },
      workflowIdOf: (id) => caseWorkflowId('organization_claim', id),
    }),
    await createCase(trx, {
      ...common,
      type: 'course_approval',
      applicantUserId: trainer!.id,
      title: 'Guiding Behavior Through Play',
      submission: {
        title: 'Guiding Behavior Through Play',
        description: 'Positive guidance strategies for toddlers and preschoolers, practiced in small groups.',
        sponsor: 'Taylor Trainer',
        topic: 'guidance',
        level: 'intermediate',
        clockHours: 3,
        delivery: 'in_person',
        feeCents: 1500,
        materials: 'Handouts and a video.',
      },
      workflowIdOf: (id) => caseWorkflowId('course_approval', id),
    }),
    await createCase(trx, {
      ...common,
      type: 'trainer_application',
      applicantUserId: applicants[1]!.id,
      title: applicants[1]!.display_name,
      region: 'Central',
      submission: {
        qualifications: 'Lead teacher for six years.',
        education: 'AA Early Childhood Education',
        experience: 'Mentors new staff.',
        specialties: ['curriculum'],
        regions: ['Central'],
        documents: [],
        certifications: [],
      },
      workflowIdOf: (id) => caseWorkflowId('trainer_application', id),
    }),
  ];
  return cases;
}

/**
 * Upcoming events of the approved courses across the demo counties, for the catalog; half of them
 * Taylor Trainer's (trainer@), including one held yesterday whose attendance is still to be marked;
 * and a three-day conference with parallel break-out rooms. Returns the upcoming events' ids.
 */
async function addDemoEvents(db: Db, courses: CourseRow[], today: LocalDate): Promise<number[]> {
  const places = ORGANIZATIONS.map((o) => ({
    addressLine: o.address_line,
    city: o.city,
    county: o.county,
    region: o.region as Region,
    zip: o.zip,
  }));
  const taylor = await db('users').where({ email: 'trainer@mopd.example' }).first<{ id: number }>('id');
  const conferenceCourse = courses.find((c) => c.title === 'Conference on the Young Years')!;
  const approved = courses.filter((c) => c.approved && c.id !== conferenceCourse.id);
  const upcoming: number[] = [];
  for (let i = 0; i < 24; i++) {
    const course = approved[i % approved.length]!;
    const day = addDays(today, 3 + i * 4);
    const startsAt = localDateAtHour(day, 9);
    const online = course.delivery === 'online';
    const event = await createEvent(db, {
      course,
      trainerUserId: i % 2 ? taylor!.id : null,
      trainerName: i % 2 ? 'Taylor Trainer' : 'Jordan Alvarez',
      language: i % 7 === 3 ? 'es' : 'en',
      place: online ? null : places[i % places.length]!,
      onlineUrl: online ? `https://training.mopd.example/live/${i + 1}` : null,
      capacity: i % 5 === 0 ? 2 : 25,
      feeCents: i % 3 === 0 ? 500 : 0,
      sessions: [
        { startsAt, endsAt: new Date(startsAt.getTime() + course.clock_hours * 3_600_000), hours: course.clock_hours },
      ],
    });
    upcoming.push(event.id);
  }

  // Two two-seat events (the online safe-sleep class and a curriculum workshop in Columbia) are full
  // with people waiting: where training is missing, for the analytics page. People from the 11th
  // on, so the demo accounts' own pages stay as they were.
  const waiting: number[] = await db('professionals').orderBy('id').offset(10).limit(16).pluck('id');
  for (const [n, eventId] of [upcoming[0]!, upcoming[10]!].entries()) {
    const people = waiting.slice(n * 8, n * 8 + 8);
    await db('registrations').insert(
      people.map((professionalId, i) => ({
        event_id: eventId,
        professional_id: professionalId,
        status: i < 2 ? 'registered' : 'waitlisted',
        registered_by_user_id: null,
        created_at: localDateAtHour(addDays(today, -14 + i), 12),
      })),
    );
  }

  // Held yesterday: three people came; Taylor has their attendance to mark.
  const guidance = courses.find((c) => c.topic === 'guidance' && c.approved)!;
  const yesterday = localDateAtHour(addDays(today, -1), 9);
  const held = await createEvent(db, {
    course: guidance,
    trainerUserId: taylor!.id,
    trainerName: 'Taylor Trainer',
    place: places[0]!,
    capacity: 20,
    sessions: [
      {
        startsAt: yesterday,
        endsAt: new Date(yesterday.getTime() + guidance.clock_hours * 3_600_000),
        hours: guidance.clock_hours,
      },
    ],
  });
  const attendees: number[] = await db('professionals').orderBy('id').limit(3).pluck('id');
  await db('registrations').insert(
    attendees.map((professionalId) => ({
      event_id: held.id,
      professional_id: professionalId,
      status: 'registered',
      registered_by_user_id: null,
      created_at: localDateAtHour(addDays(today, -10), 12),
    })),
  );

  // The conference: a keynote each morning, then four rounds of break-outs in four rooms.
  const sessions = [];
  for (let d = 0; d < 3; d++) {
    const day = addDays(today, 100 + d);
    sessions.push({
      title: `Keynote, day ${d + 1}`,
      track: 'Main hall',
      startsAt: localDateAtHour(day, 9),
      endsAt: localDateAtHour(day, 10),
      hours: 1,
    });
    for (const [round, hour] of [10.5, 12.5, 14, 15.5].entries()) {
      for (const [room, topic] of ['Infants and toddlers', 'Preschool', 'School-age', 'Leadership'].entries()) {
        const startsAt = new Date(localDateAtHour(day, 0).getTime() + hour * 3_600_000);
        sessions.push({
          title: `${topic}: session ${d * 4 + round + 1}`,
          track: `Room ${String.fromCharCode(65 + room)}`,
          startsAt,
          endsAt: new Date(startsAt.getTime() + 1.5 * 3_600_000),
          hours: 1.5,
        });
      }
    }
  }
  const conference = await createEvent(db, {
    course: conferenceCourse,
    trainerUserId: taylor!.id,
    trainerName: 'DESE Office of Childhood',
    place: places[4]!,
    capacity: 800,
    feeCents: 7500,
    sessionChoice: true,
    sessions,
  });
  upcoming.push(conference.id);
  return upcoming;
}

/** Two drafts Parker Policy (policy@) is working on: the example policy changes, for the Rules pages. */
async function addDemoRuleDrafts(db: Db): Promise<void> {
  const parker = await db('users').where({ email: 'policy@mopd.example' }).first<{ id: number }>('id');
  for (const [i, example] of policyChangeExamples.entries()) {
    const document = { ...(example.document as Record<string, unknown>), version: 2 + i };
    await db('rule_set_versions').insert({
      rule_set: COMPLIANCE_RULE_SET,
      version: 2 + i,
      status: 'draft',
      document: JSON.stringify(document),
      change_note: `Draft: ${String((example.document as { title?: string }).title ?? example.name)}`,
      author_user_id: parker!.id,
      based_on_version: 1,
    });
  }
}

/** The DESE library's online courses get modules and a knowledge check, so they can be taken on demand. */
async function addDemoCourseContent(db: Db, courses: CourseRow[], publicUrl: string): Promise<void> {
  const media = `${publicUrl.replace(/\/$/, '')}/demo-media`;
  const author = createOnlineCourses({ db, payments: offlinePaymentProvider({ secret: 'demo-content-only' }) });
  for (const course of courses.filter((c) => c.delivery === 'online' && c.approved)) {
    await author.saveContent({
      courseId: course.id,
      byUserId: null,
      content: demoCourseContent(course.title, course.description, media),
    });
  }
}

function demoCourseContent(title: string, description: string, media: string): CourseContent {
  return {
    passMarkPercent: 80,
    modules: [
      {
        title: `Welcome to ${title}`,
        body: `${description}\n\nWork through the modules in order; your progress is saved, so you can stop and come back at any time.`,
      },
      {
        title: 'Watch: in the classroom',
        body: 'A short video from a Missouri classroom. Captions are on by default; the transcript is below the video.',
        videoUrl: `${media}/classroom.mp4`,
        captionsUrl: `${media}/classroom.en.vtt`,
        transcript:
          'A teacher walks through the room, naming what she sees and why it matters for the children in her care.',
      },
      {
        title: 'Putting it into practice',
        body: 'Choose one thing from this course to try this week, and tell a colleague about it.',
      },
    ],
    questions: [
      { prompt: 'When can you take this course?', choices: ['Only on weekdays', 'At any hour'], correctChoice: 1 },
      {
        prompt: 'What happens to your progress if you stop part way?',
        choices: ['It is kept', 'It is lost'],
        correctChoice: 0,
      },
    ],
  };
}
