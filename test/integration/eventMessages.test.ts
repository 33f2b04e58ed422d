/**
 * Over HTTP against PostgreSQL: a trainer's messages to an event's participants and their replies,
 * and requests to CPR/First Aid trainers for a course; each email is an outbox row.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createEvent } from '../../db/events.js';
import type { TestDatabase } from '../support/database.js';
import { startHttpApp, type HttpApp } from '../support/httpApp.js';
import { aCourse } from '../support/fixtures.js';
import { aUser, signIn, type TestUser } from '../support/app.js';
import type { RegistrationStatus } from '../../rules/domain.js';

let http: HttpApp;
let database: TestDatabase;
let app: Express;

beforeAll(async () => {
  http = await startHttpApp('event-messages');
  ({ database, app } = http);
});
afterAll(async () => {
  await http?.close();
});

const later = (days: number) => new Date(Date.now() + days * 86_400_000);
const emailOf = async (who: TestUser) =>
  (await database.db('professionals').where({ id: who.professionalId }).first<{ email: string }>('email')).email;
const outboxOf = (dedupePrefix: string) =>
  database
    .db('outbox')
    .whereLike('dedupe_key', `${dedupePrefix}%`)
    .orderBy('to_address')
    .select('to_address', 'subject', 'body_text', 'dedupe_key');

/** An event of `trainer` with a professional at each of the statuses given. */
async function anEventWith(trainer: TestUser, statuses: RegistrationStatus[]) {
  const { db } = database;
  const course = await aCourse(db, { title: `Circle time ${randomUUID().slice(0, 6)}`, delivery: 'online' });
  const event = await createEvent(db, {
    course,
    capacity: 10,
    trainerUserId: trainer.user.id,
    onlineUrl: 'https://meet.example/e',
    sessions: [{ startsAt: later(7), endsAt: later(7.1), hours: 2 }],
  });
  const people: TestUser[] = [];
  for (const status of statuses) {
    const person = await aUser(db, ['professional']);
    await db('registrations').insert({ event_id: event.id, professional_id: person.professionalId, status });
    people.push(person);
  }
  return { event, people };
}

describe('event messages', () => {
  it('emails a trainer’s message to everyone registered or waitlisted, not to those who cancelled', async () => {
    const trainer = await aUser(database.db, ['trainer']);
    const { event, people } = await anEventWith(trainer, ['registered', 'registered', 'waitlisted', 'cancelled']);
    const sent = await (
      await signIn(app, trainer)
    )
      .post(`/api/events/${event.id}/messages`, { body: 'Bring a blanket.\n\nWe start on time.' })
      .expect(201);
    expect(sent.body.recipients).toBe(3);

    const mail = await outboxOf(`event-message-${sent.body.message.id}-`);
    expect(mail.map((m) => m.to_address)).toEqual((await Promise.all(people.slice(0, 3).map(emailOf))).sort());
    expect(mail[0]!.subject).toMatch(/^Message from your trainer: Circle time/);
    expect(mail[0]!.body_text).toContain('wrote to everyone registered');
    expect(mail[0]!.body_text).toContain('Bring a blanket.\n\nWe start on time.');
    // The link opens the event's page, where its messages are, not the home page.
    expect(mail[0]!.body_text).toMatch(/https?:\/\/\S+\/events\/\d+/);
    expect(
      await database
        .db('audit_log')
        .where({ entity: 'event_message', entity_id: String(sent.body.message.id) })
        .pluck('action'),
    ).toEqual(['event_message.sent']);
  });

  it('emails a message to one person only them, and only they and the trainer read it', async () => {
    const trainer = await aUser(database.db, ['trainer']);
    const { event, people } = await anEventWith(trainer, ['registered', 'registered']);
    const [ana, ben] = people as [TestUser, TestUser];
    const me = await signIn(app, trainer);
    const toAll = await me.post(`/api/events/${event.id}/messages`, { body: 'Room 4 this time.' }).expect(201);
    const toAna = await me
      .post(`/api/events/${event.id}/messages`, {
        body: 'Ana, your certificate is ready.',
        professionalId: ana.professionalId,
      })
      .expect(201);
    expect(toAna.body.recipients).toBe(1);
    expect((await outboxOf(`event-message-${toAna.body.message.id}-`)).map((m) => m.to_address)).toEqual([
      await emailOf(ana),
    ]);

    const benReads = (await (await signIn(app, ben)).get(`/api/events/${event.id}/messages`).expect(200)).body;
    expect(benReads.youAre).toBe('participant');
    expect(benReads.messages.map((m: { id: number }) => m.id)).toEqual([toAll.body.message.id]);
    const anaReads = (await (await signIn(app, ana)).get(`/api/events/${event.id}/messages`).expect(200)).body;
    expect(anaReads.messages.map((m: { body: string }) => m.body)).toEqual([
      'Room 4 this time.',
      'Ana, your certificate is ready.',
    ]);
    const trainerReads = (await me.get(`/api/events/${event.id}/messages`).expect(200)).body;
    expect(trainerReads).toEqual({
      youAre: 'trainer',
      messages: [
        expect.objectContaining({ toProfessionalId: null }),
        expect.objectContaining({
          toProfessionalId: ana.professionalId,
          toName: expect.stringMatching(/^Test Person/),
        }),
      ],
    });
  });

  it('sends a participant’s reply to the trainer, in a conversation other participants do not see', async () => {
    const trainer = await aUser(database.db, ['trainer']);
    const { event, people } = await anEventWith(trainer, ['registered', 'waitlisted']);
    const [ana, ben] = people as [TestUser, TestUser];
    const question = await (
      await signIn(app, trainer)
    )
      .post(`/api/events/${event.id}/messages`, { body: 'Any allergies I should know of?' })
      .expect(201);
    const reply = await (
      await signIn(app, ben)
    )
      .post(`/api/events/${event.id}/messages`, { body: 'Peanuts, please.', inReplyTo: question.body.message.id })
      .expect(201);
    expect(reply.body.message).toMatchObject({
      sentBy: 'participant',
      toProfessionalId: ben.professionalId,
      inReplyToId: question.body.message.id,
    });

    const mail = await outboxOf(`event-message-${reply.body.message.id}-`);
    expect(mail).toEqual([
      expect.objectContaining({
        to_address: trainer.user.email,
        dedupe_key: `event-message-${reply.body.message.id}-user-${trainer.user.id}`,
        subject: expect.stringMatching(/^Reply from Test Person .*: Circle time/),
      }),
    ]);
    expect(mail[0]!.body_text).toContain('Peanuts, please.');
    const anaReads = (await (await signIn(app, ana)).get(`/api/events/${event.id}/messages`).expect(200)).body.messages;
    expect(anaReads.map((m: { body: string }) => m.body)).toEqual(['Any allergies I should know of?']);

    // The trainer answers in that conversation by replying to it, without naming Ben again.
    const answer = await (
      await signIn(app, trainer)
    )
      .post(`/api/events/${event.id}/messages`, { body: 'Noted, thank you.', inReplyTo: reply.body.message.id })
      .expect(201);
    expect(answer.body).toMatchObject({ recipients: 1, message: { toProfessionalId: ben.professionalId } });
    // Ana cannot reply to Ben's conversation.
    const prying = await (
      await signIn(app, ana)
    ).post(`/api/events/${event.id}/messages`, { body: 'Hi', inReplyTo: reply.body.message.id });
    expect(prying.status).toBe(400);
    expect(prying.body.error.fields).toEqual([expect.objectContaining({ field: 'inReplyTo' })]);
  });

  it('refuses people who are not taking part, and says which field is wrong', async () => {
    const trainer = await aUser(database.db, ['trainer']);
    const { event, people } = await anEventWith(trainer, ['registered', 'cancelled']);
    const [, cancelled] = people as [TestUser, TestUser];
    const outsider = await signIn(app, await aUser(database.db, ['professional']));
    for (const who of [
      outsider,
      await signIn(app, cancelled),
      await signIn(app, await aUser(database.db, ['trainer'])),
    ]) {
      expect((await who.get(`/api/events/${event.id}/messages`)).status).toBe(403);
      const refused = await who.post(`/api/events/${event.id}/messages`, { body: 'Hello?' });
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toMatch(/registered or waitlisted/);
    }
    expect((await outsider.get('/api/events/999999999/messages')).status).toBe(404);

    const me = await signIn(app, trainer);
    const notHere = await me.post(`/api/events/${event.id}/messages`, {
      body: 'Hi',
      professionalId: cancelled.professionalId,
    });
    expect(notHere.status).toBe(400);
    expect(notHere.body.error.fields).toEqual([
      { field: 'professionalId', message: 'must be someone registered or waitlisted for this event' },
    ]);
    const empty = await me.post(`/api/events/${event.id}/messages`, { body: '   ' });
    expect(empty.body.error.fields).toEqual([{ field: 'body', message: 'must not be empty' }]);
    const tooLong = await me.post(`/api/events/${event.id}/messages`, { body: 'x'.repeat(5001) });
    expect(tooLong.body.error.fields).toEqual([{ field: 'body', message: 'must be at most 5000 characters' }]);
    expect(
      await database.db('event_messages').where({ event_id: event.id }).count<{ count: number }[]>({ count: '*' }),
    ).toEqual([{ count: 0 }]);
  });
});

describe('course requests to CPR/First Aid trainers', () => {
  /** An approved trainer with a current instructor certification: listed in the directory. */
  async function aCprTrainer(regions: string[]) {
    const { db } = database;
    const trainer = await aUser(db, ['trainer']);
    const [someCase] = await db('cases')
      .insert({
        type: 'trainer_application',
        workflow_id: `case-x-${randomUUID()}`,
        applicant_user_id: trainer.user.id,
        title: 'x',
        submission: '{}',
        rule_set: 'mopd-compliance',
        rule_set_version: 1,
      })
      .returning('id');
    await db('trainers').insert({
      user_id: trainer.user.id,
      approved_until: '2099-12-31',
      approved_by_case_id: someCase!.id,
      regions,
    });
    const uploadId = randomUUID();
    await db('uploads').insert({
      id: uploadId,
      owner_user_id: trainer.user.id,
      purpose: 'instructor_certification',
      original_name: 'cert.pdf',
      media_type: 'application/pdf',
      size_bytes: 10,
      sha256: 'x',
    });
    await db('trainer_certifications').insert({
      trainer_user_id: trainer.user.id,
      model: 'American Red Cross',
      expires_on: '2099-01-01',
      upload_id: uploadId,
      case_id: someCase!.id,
    });
    return trainer;
  }

  it('emails and notifies the trainer, who lists the request and answers once; the asker is emailed', async () => {
    const { db } = database;
    const trainer = await aCprTrainer(['Central', 'Northeast']);
    const asker = await aUser(db, ['professional']);
    const mine = await signIn(app, asker);
    const asked = await mine
      .post(`/api/trainers/${trainer.user.id}/course-requests`, {
        region: 'Central',
        message: 'Six of us need CPR before March.',
        preferredMonth: '2099-02',
        seats: 6,
      })
      .expect(201);
    const id = asked.body.courseRequest.id;
    expect(asked.body.courseRequest.status).toBe('open');
    const toTrainer = await outboxOf(`course-request-${id}-`);
    expect(toTrainer).toEqual([
      expect.objectContaining({ to_address: trainer.user.email, subject: 'Course request: CPR/First Aid in Central' }),
    ]);
    expect(toTrainer[0]!.body_text).toContain('preferably in February 2099, for about 6 people');
    expect(await db('notifications').where({ user_id: trainer.user.id }).pluck('link')).toEqual([
      '/trainer/course-requests',
    ]);
    // Asking again while it is open asks nothing new.
    expect(
      (await mine.post(`/api/trainers/${trainer.user.id}/course-requests`, { region: 'Central', message: 'Again' }))
        .status,
    ).toBe(409);

    const me = await signIn(app, trainer);
    expect((await me.get('/api/my/course-requests').expect(200)).body.courseRequests).toEqual([
      expect.objectContaining({
        id,
        requesterName: expect.stringMatching(/^Test Person/),
        region: 'Central',
        preferredMonth: '2099-02',
        seats: 6,
        status: 'open',
        answer: null,
      }),
    ]);
    const someoneElse = await signIn(app, await aCprTrainer([]));
    expect(
      (await someoneElse.post(`/api/course-requests/${id}/answer`, { status: 'answered', answer: 'Mine now' })).status,
    ).toBe(404);
    expect((await someoneElse.get('/api/my/course-requests').expect(200)).body.courseRequests).toEqual([]);

    await me
      .post(`/api/course-requests/${id}/answer`, { status: 'answered', answer: 'I can come on February 12 at 9 am.' })
      .expect(200);
    const toAsker = (await outboxOf(`course-request-${id}-answered`))[0]!;
    expect(toAsker).toMatchObject({
      to_address: asker.user.email,
      subject: `${trainer.user.display_name} answered your course request`,
    });
    expect(toAsker.body_text).toContain('I can come on February 12 at 9 am.');
    const twice = await me.post(`/api/course-requests/${id}/answer`, { status: 'declined', answer: 'Changed my mind' });
    expect(twice.status).toBe(409);
    expect((await db('course_requests').where({ id }).first())!.status).toBe('answered');
  });

  it('names the field at fault, and only professionals and directors ask', async () => {
    const trainer = await aCprTrainer(['Central']);
    const director = await signIn(app, await aUser(database.db, ['director']));
    const ask = (body: object, trainerId = trainer.user.id) =>
      director.post(`/api/trainers/${trainerId}/course-requests`, body);
    expect((await ask({ region: 'Southwest', message: 'Please' })).body.error.fields).toEqual([
      { field: 'region', message: expect.stringContaining('not a region this trainer teaches in (Central)') },
    ]);
    expect((await ask({ region: 'Mars', message: 'Please' })).body.error.fields).toEqual([
      { field: 'region', message: expect.stringMatching(/^must be one of Kansas City/) },
    ]);
    expect((await ask({ region: 'Central', message: '' })).body.error.fields).toEqual([
      { field: 'message', message: 'must not be empty' },
    ]);
    expect((await ask({ region: 'Central', message: 'x'.repeat(2001) })).body.error.fields).toEqual([
      { field: 'message', message: 'must be at most 2000 characters' },
    ]);
    expect((await ask({ region: 'Central', message: 'Please', preferredMonth: '2099-13' })).body.error.fields).toEqual([
      { field: 'preferredMonth', message: 'must be a month written YYYY-MM' },
    ]);
    expect((await ask({ region: 'Central', message: 'Please', preferredMonth: '2001-01' })).body.error.fields).toEqual([
      { field: 'preferredMonth', message: 'must not be a month that has passed' },
    ]);
    expect((await ask({ region: 'Central', message: 'Please', seats: 2.5 })).body.error.fields).toEqual([
      { field: 'seats', message: 'must be a whole number' },
    ]);
    const notListed = await ask(
      { region: 'Central', message: 'Please' },
      (await aUser(database.db, ['trainer'])).user.id,
    );
    expect(notListed.status).toBe(404);
    expect(notListed.body.error.fields).toEqual([expect.objectContaining({ field: 'id' })]);
    expect((await ask({ region: 'Central', message: 'Please' })).status).toBe(201);
    const aTrainer = await signIn(app, await aUser(database.db, ['trainer']));
    expect(
      (
        await aTrainer.post(`/api/trainers/${trainer.user.id}/course-requests`, {
          region: 'Central',
          message: 'Please',
        })
      ).status,
    ).toBe(403);
  });
});
