/**
 * Walks every route the API registers, as a visitor and as a holder of each single role, against
 * another person's records: what a role may not reach answers 401/403/404, and no refusal carries
 * that person's data.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Express } from 'express';
import { createTemporalGateway, type TemporalGateway } from '../../services/workflowClient.js';
import type { RouteDefinition } from '../../api/access/routes.js';
import { createRedis } from '../../bin/runtime.js';
import { ROLES, type Role } from '../../rules/domain.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aCourse, anEmployment, anOrganization } from '../support/fixtures.js';
import { recordTraining } from '../../services/training.js';
import { createEvent } from '../../db/events.js';
import { createCase } from '../../db/cases.js';
import { aUser, signIn, testApp, visitor, type Session, type TestUser } from '../support/app.js';

let database: TestDatabase;
let redis: ReturnType<typeof createRedis>;
let temporal: TemporalGateway;
let app: Express;
let routes: RouteDefinition[];
let other: TestUser;
let otherUploadId: string;
let otherMopdId: string;
let otherEmploymentId: number;
let otherOrganizationId: number;
let otherCaseId: number;
let otherNotificationId: number;
let otherEventId: number;
let otherRegistrationId: number;
let otherTrainerUserId: number;
let otherCourseRequestId: number;
let otherOnlineCourseId: number;
let otherModuleId: number;
let otherEnrollmentId: number;
let otherInvitationId: number;
const sessions = new Map<Role | 'visitor', Session>();

beforeAll(async () => {
  database = await createTestDatabase();
  redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  temporal = createTemporalGateway({
    address: inject('temporalAddress'),
    namespace: 'default',
    taskQueue: `access-${randomUUID()}`,
  });
  const uploadDir = path.join('/tmp', `mopd-access-${randomUUID()}`);
  ({ app, routes } = testApp(database, redis, temporal, { uploadDir }));
  const { db } = database;

  // The person whose records everyone below tries to reach.
  other = await aUser(db, ['professional']);
  otherMopdId = (await db('professionals').where({ id: other.professionalId }).first()).mopd_id;
  const otherOrganization = await anOrganization(db);
  otherOrganizationId = otherOrganization.id;
  otherEmploymentId = (
    await anEmployment(
      db,
      await db('professionals').where({ id: other.professionalId }).first(),
      otherOrganization,
      '2025-01-10',
    )
  ).id;
  otherUploadId = randomUUID();
  await fs.mkdir(uploadDir, { recursive: true });
  await fs.writeFile(path.join(uploadDir, otherUploadId), '%PDF-1.4 secret');
  await db('uploads').insert({
    id: otherUploadId,
    owner_user_id: other.user.id,
    purpose: 'cpr_card',
    original_name: 'card.pdf',
    media_type: 'application/pdf',
    size_bytes: 15,
    sha256: 'x',
  });

  // Their case (its workflow never started here, so an action that reaches it finds it closed).
  otherCaseId = (
    await db.transaction((trx) =>
      createCase(trx, {
        type: 'organization_claim',
        applicantUserId: other.user.id,
        title: 'Their claim',
        submission: { organizationId: otherOrganizationId, position: 'Director', message: '' },
        documents: [],
        ruleSet: 'mopd-compliance',
        ruleSetVersion: 1,
        workflowIdOf: (id) => `case-not-started-${id}`,
      }),
    )
  ).id;
  [{ id: otherNotificationId }] = (await db('notifications')
    .insert({
      user_id: other.user.id,
      case_id: otherCaseId,
      title: 'Theirs',
      body: 'Theirs',
      dedupe_key: `access-${randomUUID()}`,
    })
    .returning('id')) as [{ id: number }];

  // An event they registered for.
  const course = await aCourse(db, { delivery: 'online' });
  otherEventId = (
    await createEvent(db, {
      course,
      capacity: 5,
      onlineUrl: 'https://meet.example/x',
      sessions: [{ startsAt: new Date(Date.now() + 864e6), endsAt: new Date(Date.now() + 865e6), hours: 1 }],
    })
  ).id;
  [{ id: otherRegistrationId }] = await db('registrations')
    .insert({ event_id: otherEventId, professional_id: other.professionalId, status: 'registered' })
    .returning('id');
  // A trainer they asked for a course.
  otherTrainerUserId = (await aUser(db, ['trainer'])).user.id;
  [{ id: otherCourseRequestId }] = (await db('course_requests')
    .insert({
      trainer_user_id: otherTrainerUserId,
      requested_by_user_id: other.user.id,
      professional_id: other.professionalId,
      region: 'Central',
      message: 'Theirs',
    })
    .returning('id')) as [{ id: number }];

  // An online course of another trainer's, and their enrollment in it.
  const onlineCourse = await aCourse(db, {
    delivery: 'online',
    trainer_user_id: otherTrainerUserId,
    pass_mark_percent: 80,
  });
  otherOnlineCourseId = onlineCourse.id;
  [{ id: otherModuleId }] = (await db('course_modules')
    .insert({ course_id: onlineCourse.id, position: 0, title: 'Theirs', body: 'Theirs' })
    .returning('id')) as [{ id: number }];
  await db('course_questions').insert({
    course_id: onlineCourse.id,
    position: 0,
    prompt: 'Theirs?',
    choices: JSON.stringify(['a', 'b']),
    correct_choice: 0,
  });
  const [enrollment] = await db('enrollments')
    .insert({
      course_id: onlineCourse.id,
      professional_id: other.professionalId!,
      status: 'in_progress',
      registered_on: '2026-11-01',
      started_at: new Date(),
    })
    .returning('id');
  otherEnrollmentId = enrollment!.id;

  // An invitation to join a staff, sent to them and not answered.
  const inviter = await aUser(db, ['director']);
  const [invitation] = await db('staff_invitations')
    .insert({
      professional_id: other.professionalId!,
      organization_id: (await anOrganization(db)).id,
      role: 'teacher',
      hire_date: '2026-01-05',
      invited_by_user_id: inviter.user.id,
    })
    .returning('id');
  otherInvitationId = invitation!.id;

  sessions.set('visitor', await visitor(app));
  for (const role of ROLES) sessions.set(role, await signIn(app, await aUser(db, [role])));
});

afterAll(async () => {
  await temporal?.close();
  await redis?.quit();
  await database?.drop();
});

function concretePath(definition: RouteDefinition): string {
  if (definition.path.startsWith('/api/rule-sets/'))
    return definition.path
      .replace(':ruleSet', 'mopd-compliance')
      .replace(':version', '1')
      .replace(':caseId', 'no-such-case');
  if (!definition.path.includes(':id')) return definition.path;
  if (definition.path.startsWith('/api/professionals/'))
    return definition.path.replace(':id', String(other.professionalId));
  if (definition.path.startsWith('/api/admin/imports/')) return definition.path.replace(':id', '999999');
  if (definition.path.startsWith('/api/admin/outbox/')) return definition.path.replace(':id', '999999');
  if (definition.path.startsWith('/api/admin/users/')) return definition.path.replace(':id', String(other.user.id));
  if (definition.path.startsWith('/api/uploads/')) return definition.path.replace(':id', otherUploadId);
  if (definition.path.startsWith('/api/employments/')) return definition.path.replace(':id', String(otherEmploymentId));
  if (definition.path.startsWith('/api/admin/organizations/'))
    return definition.path.replace(':id', String(otherOrganizationId));
  if (definition.path.startsWith('/api/organizations/'))
    return definition.path.replace(':id', String(otherOrganizationId));
  if (definition.path.startsWith('/api/cases/')) return definition.path.replace(':id', String(otherCaseId));
  if (definition.path.startsWith('/api/events/')) return definition.path.replace(':id', String(otherEventId));
  if (definition.path.startsWith('/api/registrations/'))
    return definition.path.replace(':id', String(otherRegistrationId));
  if (definition.path.startsWith('/api/notifications/'))
    return definition.path.replace(':id', String(otherNotificationId));
  if (definition.path.startsWith('/api/trainers/')) return definition.path.replace(':id', String(otherTrainerUserId));
  if (definition.path.startsWith('/api/course-requests/'))
    return definition.path.replace(':id', String(otherCourseRequestId));
  if (definition.path.startsWith('/api/online-courses/') || definition.path.startsWith('/api/courses/'))
    return definition.path.replace(':id', String(otherOnlineCourseId));
  if (definition.path.startsWith('/api/training-records/')) return definition.path.replace(':id', '999999');
  if (definition.path.startsWith('/api/rule-set-publications/')) return definition.path.replace(':id', '999999');
  if (definition.path.startsWith('/api/rule-set-simulations/'))
    return definition.path.replace(':id', '999999').replace(':professionalId', String(other.professionalId));
  if (definition.path.startsWith('/api/credentials/')) return definition.path.replace(':id', '999999');
  if (definition.path.startsWith('/api/cpr-cards/')) return definition.path.replace(':id', '999999');
  if (definition.path.startsWith('/api/staff-invitations/'))
    return definition.path.replace(':id', String(otherInvitationId));
  if (definition.path.startsWith('/api/enrollments/'))
    return definition.path.replace(':id', String(otherEnrollmentId)).replace(':moduleId', String(otherModuleId));
  throw new Error(`The walk does not know what id to use for ${definition.path}; teach it`);
}

/** Sign-out last: it ends the session the other calls use. */
const ordered = () =>
  [...routes].sort((a, b) => Number(a.path === '/api/auth/sign-out') - Number(b.path === '/api/auth/sign-out'));

async function call(who: Session, definition: RouteDefinition) {
  const url = concretePath(definition);
  switch (definition.method) {
    case 'get':
      return who.get(url);
    case 'post':
      return who.post(url, {});
    case 'put':
      return who.put(url, {});
    default:
      return who.agent[definition.method](url).set('x-csrf-token', who.csrf).send({});
  }
}

/**
 * Routes of a public record (an event is in the catalog) where taking part in it, not a role,
 * decides: someone outside it is told 403 with the reason, since a 404 would hide nothing.
 */
const REFUSED_BY_PARTICIPATION = new Set(['GET /api/events/:id/messages', 'POST /api/events/:id/messages']);

/** What the declared policy promises for this caller, before any input is read. */
function promised(definition: RouteDefinition, role: Role | 'visitor'): 'allowed' | 401 | 403 {
  const { roles } = definition.policy;
  if (roles === 'public') return 'allowed';
  if (role === 'visitor') return 401;
  if (roles === 'any') return 'allowed';
  return roles.includes(role) ? 'allowed' : 403;
}

describe('every route, for every role', () => {
  it('has a declared policy with a description', () => {
    expect(routes.length).toBeGreaterThan(20);
    for (const definition of routes)
      expect(definition.policy.describe.length, `${definition.method} ${definition.path}`).toBeGreaterThan(3);
  });

  it('declares what every route answers: a JSON schema, or the content type of the file it sends', () => {
    const undeclared = routes
      .filter((definition) => !definition.response && !definition.produces)
      .map((definition) => `${definition.method.toUpperCase()} ${definition.path}`);
    expect(undeclared).toEqual([]);
  });

  for (const role of ['visitor', ...ROLES] as const) {
    it(`refuses ${role} what its roles may not reach, and leaks nothing in refusals`, async () => {
      const who = sessions.get(role)!;
      for (const definition of ordered()) {
        const response = await call(who, definition);
        const label = `${role} ${definition.method.toUpperCase()} ${definition.path} → ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`;
        const expected = promised(definition, role);
        if (expected === 'allowed')
          expect(
            REFUSED_BY_PARTICIPATION.has(`${definition.method.toUpperCase()} ${definition.path}`) ? [401] : [401, 403],
            label,
          ).not.toContain(response.status);
        else expect(response.status, label).toBe(expected);
        expect(response.status, label).toBeLessThan(500);
        if (response.status >= 400) {
          const text = JSON.stringify(response.body);
          expect(text, label).not.toContain(other.user.email);
          expect(text, label).not.toContain(otherMopdId);
        }
      }
    });
  }
});

describe('records of another person', () => {
  // The walk above signed its sessions out; each check here signs in anew.
  const as = async (role: Role) => signIn(app, await aUser(database.db, [role]));
  const recordPaths = () =>
    ['', '/compliance', '/deadlines', '/training-records'].map(
      (suffix) => `/api/professionals/${other.professionalId}${suffix}`,
    );

  it.each(['professional', 'director', 'inspector'] as const)(
    'are not found for a %s without them in scope',
    async (role) => {
      const who = await as(role);
      for (const url of recordPaths()) expect((await who.get(url)).status, url).toBe(404);
    },
  );

  it.each(['trainer'] as const)('are forbidden to a %s', async (role) => {
    const who = await as(role);
    for (const url of recordPaths()) expect((await who.get(url)).status, url).toBe(403);
  });

  it.each(['admin', 'reviewer', 'policy_staff'] as const)('are open to %s', async (role) => {
    const who = await as(role);
    for (const url of recordPaths()) expect((await who.get(url)).status, url).toBe(200);
  });

  it('open to a director once their claim on the employing organization is approved, and to an assigned inspector', async () => {
    const { db } = database;
    const employment = await db('employments').where({ professional_id: other.professionalId }).first();
    const director = await aUser(db, ['director']);
    await db('organization_claims').insert({
      organization_id: employment.organization_id,
      director_user_id: director.user.id,
      status: 'approved',
    });
    const inspector = await aUser(db, ['inspector']);
    await db('inspector_assignments').insert({
      user_id: inspector.user.id,
      organization_id: employment.organization_id,
    });
    for (const who of [await signIn(app, director), await signIn(app, inspector)]) {
      const response = await who.get(`/api/professionals/${other.professionalId}/compliance`);
      expect(response.status).toBe(200);
      expect(response.body.professional.mopd_id).toBe(otherMopdId);
    }
    // A pending claim is not enough.
    const hopeful = await aUser(db, ['director']);
    await db('organization_claims').insert({
      organization_id: employment.organization_id,
      director_user_id: hopeful.user.id,
      status: 'pending',
    });
    expect((await (await signIn(app, hopeful)).get(`/api/professionals/${other.professionalId}`)).status).toBe(404);
  });

  /** A director with an approved claim on a new organization of their own. */
  const aDirector = async () => {
    const { db } = database;
    const organization = await anOrganization(db);
    const director = await aUser(db, ['director']);
    await db('organization_claims').insert({
      organization_id: organization.id,
      director_user_id: director.user.id,
      status: 'approved',
    });
    return { organization, session: await signIn(app, director) };
  };
  const wholeRecord = () => [
    ...recordPaths(),
    ...['/profile', '/transcript', '/self-assessments', '/credentials', '/registrations', '/recommendations'].map(
      (s) => `/api/professionals/${other.professionalId}${s}`,
    ),
  ];

  it('stay closed to a director who records them as staff by id alone, or invites them without their acceptance', async () => {
    const { organization, session } = await aDirector();
    const byId = await session.post('/api/employments', {
      professionalId: other.professionalId,
      organizationId: organization.id,
      role: 'teacher',
      hireDate: '2026-01-05',
    });
    expect(byId.status).toBe(403);
    const invited = await session.post(`/api/organizations/${organization.id}/staff-invitations`, {
      mopdId: otherMopdId,
      role: 'teacher',
      hireDate: '2026-01-05',
    });
    expect(invited.status).toBe(201);
    expect(JSON.stringify(invited.body)).not.toContain(other.user.email);
    expect(
      await database
        .db('employments')
        .where({ professional_id: other.professionalId, organization_id: organization.id }),
    ).toEqual([]);
    for (const url of wholeRecord()) expect((await session.get(url)).status, url).toBe(404);
    expect(
      (await session.post(`/api/events/${otherEventId}/registrations`, { professionalId: other.professionalId }))
        .status,
    ).toBe(403);
  });

  it('show a director of a former employer nothing dated after the last day worked there', async () => {
    const { db } = database;
    const { organization, session } = await aDirector();
    await db('employments').insert({
      professional_id: other.professionalId,
      organization_id: organization.id,
      role: 'teacher',
      hire_date: '2024-02-01',
      end_date: '2025-06-30',
    });
    const course = await aCourse(db);
    for (const on of ['2025-05-01', '2025-08-01'])
      await recordTraining(db, {
        professionalId: other.professionalId!,
        courseId: course.id,
        completedOn: on,
        source: 'attendance',
      });
    for (const suffix of ['', '/profile', '/deadlines', '/registrations', '/recommendations'])
      expect((await session.get(`/api/professionals/${other.professionalId}${suffix}`)).status, suffix).toBe(404);
    for (const suffix of ['/training-records', '/transcript']) {
      const response = await session.get(`/api/professionals/${other.professionalId}${suffix}`);
      expect(response.status, suffix).toBe(200);
      expect(
        response.body.trainingRecords.map((r: { completed_on: string }) => r.completed_on),
        suffix,
      ).toEqual(['2025-05-01']);
      expect(JSON.stringify(response.body), suffix).not.toContain(other.user.email);
    }
    expect((await session.get(`/api/professionals/${other.professionalId}/compliance`)).body.compliance.asOf).toBe(
      '2025-06-30',
    );
    expect(
      (await session.post(`/api/events/${otherEventId}/registrations`, { professionalId: other.professionalId }))
        .status,
    ).toBe(403);
  });

  it("keep a paid online event's link from visitors and from signed-in people without a seat", async () => {
    const { db } = database;
    const link = 'https://meet.example/paid-only';
    const course = await aCourse(db, { delivery: 'online' });
    const paid = await createEvent(db, {
      course,
      capacity: 5,
      feeCents: 1500,
      onlineUrl: link,
      sessions: [{ startsAt: new Date(Date.now() + 864e6), endsAt: new Date(Date.now() + 865e6), hours: 1 }],
    });
    await db('registrations').insert({
      event_id: paid.id,
      professional_id: other.professionalId,
      status: 'registered',
    });
    for (const who of [
      await visitor(app),
      await as('professional'),
      await as('director'),
      await as('trainer'),
      await as('inspector'),
    ]) {
      const page = await who.get(`/api/events/${paid.id}`);
      expect(page.status).toBe(200);
      expect(page.body.event.onlineUrl).toBeNull();
      expect(JSON.stringify((await who.get(`/api/catalog?topic=${course.topic}`)).body)).not.toContain(link);
    }
    expect((await (await signIn(app, other)).get(`/api/events/${paid.id}`)).body.event.onlineUrl).toBe(link);
  });

  it('shows a professional their own records', async () => {
    const response = await (await signIn(app, other)).get(`/api/professionals/${other.professionalId}/compliance`);
    expect(response.status).toBe(200);
  });
});
