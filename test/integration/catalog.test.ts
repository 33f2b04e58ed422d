/** The catalog search against PostgreSQL: words and ranking, filters, distance from a ZIP, facets. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createEvent, type NewEvent } from '../../db/events.js';
import type { TestDatabase } from '../support/database.js';
import { startHttpApp, type HttpApp } from '../support/httpApp.js';
import { aCourse, aProfessional } from '../support/fixtures.js';
import { visitor } from '../support/app.js';

let http: HttpApp;
let database: TestDatabase;
let app: Express;

const inDays = (days: number, hour = 9) => new Date(Date.UTC(2030, 0, 1 + days, hour + 6));
const columbia = {
  addressLine: '1 University Ave',
  city: 'Columbia',
  county: 'Boone',
  region: 'Central' as const,
  zip: '65201',
};
const kansasCity = {
  addressLine: '500 Main St',
  city: 'Kansas City',
  county: 'Jackson',
  region: 'Kansas City' as const,
  zip: '64106',
};
const springfield = {
  addressLine: '9 Park Central',
  city: 'Springfield',
  county: 'Greene',
  region: 'Southwest' as const,
  zip: '65806',
};

async function anEvent(
  over: Partial<NewEvent> & {
    title?: string;
    description?: string;
    topic?: string;
    delivery?: 'in_person' | 'online' | 'blended';
  } = {},
) {
  const course = await aCourse(database.db, {
    title: over.title ?? `Course ${randomUUID().slice(0, 6)}`,
    description: over.description ?? 'A course for early childhood professionals.',
    topic: over.topic ?? 'curriculum',
    delivery: over.delivery ?? 'in_person',
    ...(over.delivery === 'blended' && { in_person_hours: 1 }),
  });
  return createEvent(database.db, {
    course,
    capacity: 20,
    place: over.delivery === 'online' ? null : columbia,
    onlineUrl: over.delivery === 'online' ? 'https://meet.example/abc' : null,
    sessions: [{ startsAt: inDays(10), endsAt: inDays(10, 12), hours: 3 }],
    ...over,
  });
}

beforeAll(async () => {
  http = await startHttpApp('catalog');
  ({ database, app } = http);
});
afterAll(async () => {
  await http?.close();
});

const search = async (query: string) => (await (await visitor(app)).get(`/api/catalog?${query}`)).body;

describe('the training catalog', () => {
  it('ranks a match in the title above one in the description, and understands plain words', async () => {
    const inTitle = await anEvent({ title: 'Infant Toddler Language Development', topic: 'child-development' });
    const inText = await anEvent({
      title: 'Reading With Children',
      description: 'Covers language development for preschoolers.',
    });
    await anEvent({ title: 'Budgeting for Centers', topic: 'professionalism' });
    const found = await search('q=language%20development');
    expect(found.results.map((r: { id: number }) => r.id)).toEqual([inTitle.id, inText.id]);
    expect(found.results[0].rank).toBeGreaterThan(found.results[1].rank);
    // websearch syntax: a quoted phrase and an excluded word.
    expect((await search('q=%22language%20development%22%20-infant')).results.map((r: { id: number }) => r.id)).toEqual(
      [inText.id],
    );
  });

  it('filters by topic, delivery, region, dates, fee and seats left, with facet counts beside', async () => {
    const topic = `topic-${randomUUID().slice(0, 6)}`;
    const online = await anEvent({ topic, delivery: 'online', feeCents: 500 });
    const inKc = await anEvent({
      topic,
      place: kansasCity,
      sessions: [{ startsAt: inDays(40), endsAt: inDays(40, 12), hours: 3 }],
    });
    const full = await anEvent({ topic, place: springfield, capacity: 1 });
    await database
      .db('registrations')
      .insert({ event_id: full.id, professional_id: (await aProfessional(database.db)).id, status: 'registered' });
    const ids = (body: { results: Array<{ id: number }> }) => body.results.map((r) => r.id).sort((a, b) => a - b);

    const all = await search(`topic=${topic}&sort=date`);
    expect(all.total).toBe(3);
    expect(all.facets.delivery).toEqual(
      expect.arrayContaining([
        { value: 'in_person', count: 2 },
        { value: 'online', count: 1 },
      ]),
    );
    expect(all.facets.region).toEqual(
      expect.arrayContaining([
        { value: 'Kansas City', count: 1 },
        { value: 'Southwest', count: 1 },
      ]),
    );
    expect(ids(await search(`topic=${topic}&delivery=online`))).toEqual([online.id]);
    expect(ids(await search(`topic=${topic}&region=Kansas%20City`))).toEqual([inKc.id]);
    expect(ids(await search(`topic=${topic}&fee=paid`))).toEqual([online.id]);
    expect(ids(await search(`topic=${topic}&fee=free`))).toEqual([inKc.id, full.id].sort((a, b) => a - b));
    expect(ids(await search(`topic=${topic}&seatsLeft=true`))).toEqual([online.id, inKc.id].sort((a, b) => a - b));
    expect(ids(await search(`topic=${topic}&from=2030-02-01&to=2030-03-31`))).toEqual([inKc.id]);
    // A facet counts over the other filters: choosing a delivery still shows every delivery's count.
    const onlineOnly = await search(`topic=${topic}&delivery=online`);
    expect(onlineOnly.facets.delivery).toEqual(
      expect.arrayContaining([
        { value: 'in_person', count: 2 },
        { value: 'online', count: 1 },
      ]),
    );
    expect(
      (await search(`topic=${topic}&seatsLeft=true`)).results.find((r: { id: number }) => r.id === inKc.id).seatsLeft,
    ).toBe(20);
  });

  it('measures distance from a ZIP code along the earth and sorts by it', async () => {
    const topic = `topic-${randomUUID().slice(0, 6)}`;
    const near = await anEvent({ topic, place: columbia });
    const far = await anEvent({ topic, place: kansasCity });
    const online = await anEvent({ topic, delivery: 'online' });
    // From Jefferson City: Columbia is about 30 miles, Kansas City about 130.
    const sorted = await search(`topic=${topic}&zip=65101&sort=distance`);
    expect(sorted.results.map((r: { id: number }) => r.id)).toEqual([near.id, far.id, online.id]);
    expect(sorted.results[0].miles).toBeGreaterThan(20);
    expect(sorted.results[0].miles).toBeLessThan(40);
    expect(sorted.results[1].miles).toBeGreaterThan(110);
    expect(sorted.results[1].miles).toBeLessThan(150);
    expect((await search(`topic=${topic}&zip=65101&withinMiles=50`)).results.map((r: { id: number }) => r.id)).toEqual([
      near.id,
    ]);
  });

  it('answers searches asked again from memory, but never past a change to the events: a seat taken shows at once', async () => {
    const topic = `topic-${randomUUID().slice(0, 6)}`;
    const event = await anEvent({ topic, capacity: 1 });
    const first = await search(`topic=${topic}&seatsLeft=true`);
    expect(first.results.map((r: { id: number; seatsLeft: number }) => [r.id, r.seatsLeft])).toEqual([[event.id, 1]]);
    await database
      .db('registrations')
      .insert({ event_id: event.id, professional_id: (await aProfessional(database.db)).id, status: 'registered' });
    expect((await search(`topic=${topic}&seatsLeft=true`)).total).toBe(0);
    expect((await search(`topic=${topic}`)).results[0].seatsLeft).toBe(0);
    // A new event of the topic shows at once too.
    const added = await anEvent({ topic });
    expect((await search(`topic=${topic}&seatsLeft=true`)).results.map((r: { id: number }) => r.id)).toEqual([
      added.id,
    ]);
  });

  it('takes search text with question marks and quotes as words, never as SQL', async () => {
    const topic = `topic-${randomUUID().slice(0, 6)}`;
    const safeSleep = await anEvent({ topic, title: 'What Is Safe Sleep? Infant Basics' });
    const cpr = await anEvent({
      topic,
      title: 'CPR and First Aid',
      description: 'Pediatric CPR with a certified instructor.',
    });
    const ids = async (q: string) => {
      const response = await (await visitor(app)).get(`/api/catalog?topic=${topic}&q=${encodeURIComponent(q)}`);
      expect(response.status, `${q}: ${JSON.stringify(response.body)}`).toBe(200);
      return (response.body as { results: Array<{ id: number }> }).results.map((r) => r.id);
    };
    expect(await ids('what is safe sleep?')).toEqual([safeSleep.id]);
    expect(await ids('cpr?')).toEqual([cpr.id]);
    // No words at all, and an injection attempt: nothing matches, and nothing breaks.
    expect(await ids('\\?')).toEqual([]);
    expect(await ids("' OR 1=1--")).toEqual([]);
    expect(await ids('sleep? cpr?')).toEqual([]);
    expect((await ids('sleep? or cpr?')).sort((a, b) => a - b)).toEqual([safeSleep.id, cpr.id].sort((a, b) => a - b));
  });

  it('says which field is wrong', async () => {
    const who = await visitor(app);
    const noZip = await who.get('/api/catalog?withinMiles=10');
    expect(noZip.status).toBe(400);
    expect(noZip.body.error.fields).toEqual([{ field: 'withinMiles', message: 'needs a zip to measure from' }]);
    const unknown = await who.get('/api/catalog?zip=90210');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields).toEqual([{ field: 'zip', message: 'is not a Missouri ZIP code we know' }]);
  });
});
