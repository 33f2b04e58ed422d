/**
 * The seeding of the benches and the load test, shared so that each measures the same kind of data:
 * the catalog (courses, events over five years across Missouri's counties, registrations) and the
 * workforce (organizations, professionals employed at them, years of training records).
 */
import type { Db } from '../../db/connection.js';
import type { CatalogQuery } from '../../db/catalog.js';
import { COURSE_LEVELS, TOPICS, type Topic } from '../../rules/domain.js';
import { COUNTIES } from '../../rules/counties.js';

// ---------------------------------------------------------------------------------------------
// The data: courses written from childcare training titles, events placed at Missouri ZIP
// centroids (each ZIP in the county whose seat is nearest), registrations near the event dates.

const TITLES: Record<Topic, string[]> = {
  'health-safety': [
    'Health and Safety Orientation',
    'Medication Administration',
    'Emergency Preparedness for Child Care',
    'Recognizing and Reporting Child Abuse and Neglect',
    'Safe Food Handling in Child Care',
    'Preventing Shaken Baby Syndrome',
    'Playground Safety',
    'Transportation Safety for Child Care Programs',
  ],
  'infant-safe-sleep': [
    'Safe Sleep for Infants',
    'Safe Sleep Practices in Child Care',
    'Reducing the Risk of SIDS',
    'Infant Safe Sleep Refresher',
  ],
  'cpr-first-aid': [
    'Pediatric CPR/First Aid',
    'CPR/First Aid and AED',
    'Pediatric First Aid Recertification',
    'Infant and Child CPR',
  ],
  'child-development': [
    'Child Development Basics',
    'Infant and Toddler Development',
    'Brain Development in the Early Years',
    'Social-Emotional Development',
    'Understanding Developmental Milestones',
    'Early Literacy: Reading with Young Children',
  ],
  curriculum: [
    'Early Literacy in the Classroom',
    'Planning Learning Environments',
    'The Project Approach in Preschool',
    'Outdoor Learning',
    'STEM for Preschoolers',
    'Music and Movement',
    'Creative Art for Young Children',
  ],
  guidance: [
    'Positive Guidance',
    'Positive Guidance Strategies for Toddlers',
    'Understanding Challenging Behavior',
    'Pyramid Model: Promoting Social Competence',
    'Trauma-Informed Care',
  ],
  assessment: [
    'Observation and Documentation',
    'Developmental Screening with the ASQ',
    'Authentic Assessment',
    'Using Portfolios with Young Children',
  ],
  'family-engagement': [
    'Building Relationships with Families',
    'Family Engagement Strategies',
    'Supporting Dual Language Learners and Their Families',
    'Communicating with Families',
  ],
  professionalism: [
    'Professionalism in Early Childhood',
    'Director Leadership Academy',
    'Business Practices for Child Care',
    'Licensing Rules Orientation',
    'Ethics in Early Care and Education',
    'Mentoring New Teachers',
  ],
};
const VARIANTS = [
  '',
  ' Part 1',
  ' Part 2',
  ' for Family Child Care Providers',
  ' for Infant and Toddler Teachers',
  ' for School-Age Programs',
  ' Refresher',
  ': A Hands-On Workshop',
];
const SPONSORS = [
  'DESE OOC',
  'Child Care Aware of Missouri',
  'University of Missouri Extension',
  'Missouri Head Start Association',
  'Missouri Association for the Education of Young Children',
  'Parents as Teachers National Center',
  'American Red Cross',
  'Missouri Child Care Resource and Referral Network',
];
const SENTENCES = [
  'Participants practise strategies they can use in the classroom the next day.',
  'Meets Missouri licensing requirements for annual clock hours.',
  'Designed for teachers, assistant teachers and directors in licensed centers and family homes.',
  'Includes handouts, a short quiz and a certificate of completion.',
  'Bring a lunch; coffee and water are provided.',
  'Aligned with the Missouri Early Learning Standards and the core competencies.',
  'Spanish-speaking providers are welcome; materials are available in Spanish.',
  'Covers infants, toddlers and preschoolers in group care.',
];
const TRAINERS = [
  'Maria Gonzalez',
  'James Carter',
  'Linda Nguyen',
  'Robert Hill',
  'Patricia Brooks',
  'Michael Turner',
  'Jennifer Price',
  'David Ramirez',
  'Susan Howard',
  'Karen Foster',
  'Angela Reed',
  'Thomas Bell',
  'Rosa Medina',
  'Brenda Collins',
  'Denise Ward',
  'Carlos Vega',
];

function courseRows(COURSES: number) {
  const all = (Object.keys(TITLES) as Topic[]).flatMap((topic) => TITLES[topic].map((title) => ({ topic, title })));
  return Array.from({ length: COURSES }, (_, i) => {
    const { topic, title } = all[i % all.length]!;
    const delivery =
      topic === 'cpr-first-aid'
        ? i % 4 === 0
          ? 'blended'
          : 'in_person'
        : (['in_person', 'in_person', 'online', 'in_person', 'blended', 'online', 'in_person'] as const)[i % 7]!;
    const hours = topic === 'cpr-first-aid' ? 4 + (i % 3) : 1 + (i % 6);
    return {
      title: `${title}${VARIANTS[Math.floor(i / all.length) % VARIANTS.length]}`,
      description: `${TOPICS[topic]}. ${SENTENCES[i % SENTENCES.length]} ${SENTENCES[(i * 3 + 1) % SENTENCES.length]}`,
      sponsor: SPONSORS[(i * 5) % SPONSORS.length]!,
      topic,
      delivery,
      clock_hours: hours,
      in_person_hours: delivery === 'blended' ? hours / 2 : null,
      level: i % 5 === 4 ? null : COURSE_LEVELS[i % COURSE_LEVELS.length],
      fee_cents: i % 3 === 0 ? 0 : 500 * (1 + (i % 10)),
      approved: true,
    };
  });
}

export type CalendarShape = 'centred' | 'state';

/**
 * Courses, professionals (ids 1..professionals, MOPD IDs MO0000001…), events over five years
 * centred on today at Missouri places, their sessions and registrations; compacted and analyzed.
 * Used by the catalog bench and the load test.
 */
export async function seedCatalog(
  db: Db,
  {
    events: EVENTS,
    courses: COURSES = 300,
    professionals: PROFESSIONALS,
    shape = 'centred',
  }: {
    events: number;
    courses?: number;
    professionals: number;
    /**
     * `centred`: five years centred on today, half of the events upcoming. `state`: like a real
     * state calendar, the last five years and the next 60 days, so a few thousand are upcoming
     * and the rest are past.
     */
    shape?: CalendarShape;
  },
) {
  const firstDay = shape === 'state' ? 1766 : 913;
  await db('courses').insert(courseRows(COURSES));
  await db.raw(`
    INSERT INTO professionals (mopd_id, first_name, last_name, email)
    SELECT 'MO' || lpad(g::text, 7, '0'), 'First' || g, 'Last' || g, 'person' || g || '@bench.example'
    FROM generate_series(1, ${PROFESSIONALS}) g`);
  await db.transaction(async (trx) => {
    await trx.raw('SELECT setseed(0.2026)');
    // Each ZIP in the county whose seat is nearest; metro ZIPs (St. Louis, Kansas City,
    // Springfield, Columbia) listed twice so that more training happens where more people live.
    await trx.raw(`
      CREATE TEMP TABLE bench_counties (name text, latitude float8, longitude float8, region text) ON COMMIT DROP;
      INSERT INTO bench_counties VALUES ${COUNTIES.map(([name, lat, lon, region]) => `('${name.replace(/'/g, "''")}', ${lat}, ${lon}, '${region}')`).join(', ')};
      CREATE TEMP TABLE bench_places ON COMMIT DROP AS
      SELECT row_number() OVER (ORDER BY z.zip, copy) AS n, z.zip, z.city, z.latitude, z.longitude, c.name AS county, c.region
      FROM zip_codes z
      CROSS JOIN LATERAL (SELECT * FROM bench_counties c ORDER BY (c.latitude - z.latitude) ^ 2 + (c.longitude - z.longitude) ^ 2 LIMIT 1) c
      CROSS JOIN LATERAL generate_series(1, CASE WHEN left(z.zip, 3) IN ('630', '631', '640', '641', '658', '652') THEN 3 ELSE 1 END) copy;
      CREATE TEMP TABLE bench_draws ON COMMIT DROP AS
      SELECT g, random() AS course, random() AS place, random() AS day, random() AS hour, random() AS lang, random() AS cap, random() AS extra, random() AS trainer
      FROM generate_series(1, ${EVENTS}) g;
    `);
    const places = Number((await trx.raw('SELECT count(*) AS n FROM bench_places')).rows[0].n);
    await trx.raw(`
      INSERT INTO events (course_id, title, description, sponsor, trainer_name, topic, level, delivery, clock_hours, language,
                          address_line, city, county, region, zip, latitude, longitude, online_url,
                          capacity, registration_deadline, fee_cents, first_session_at, last_session_at, cancelled)
      SELECT c.id, c.title || CASE WHEN d.lang < 0.07 THEN ' (en español)' ELSE '' END, c.description, c.sponsor,
             (ARRAY['${TRAINERS.join("','")}'])[1 + floor(d.trainer * ${TRAINERS.length})::int],
             c.topic, c.level, c.delivery, c.clock_hours, CASE WHEN d.lang < 0.07 THEN 'es' ELSE 'en' END,
             CASE WHEN c.delivery <> 'online' THEN (100 + d.g % 9800) || ' ' || (ARRAY['Main St', 'Oak St', 'Church St', 'College Ave', 'Elm St', 'Broadway', 'Market St'])[1 + d.g % 7] END,
             p.city, p.county, p.region, p.zip, p.latitude, p.longitude,
             CASE WHEN c.delivery = 'online' THEN 'https://meet.example.org/mopd-' || d.g END,
             (ARRAY[10, 12, 15, 20, 20, 24, 25, 30, 40, 60])[1 + floor(d.cap * 10)::int],
             CASE WHEN d.extra < 0.5 THEN s.at - interval '2 days' END,
             CASE WHEN d.extra < 0.45 THEN 0 ELSE coalesce(nullif(c.fee_cents, 0), 1500) END,
             s.at,
             s.at + CASE WHEN d.extra > 0.85 THEN interval '7 days' ELSE interval '0' END + c.clock_hours * interval '1 hour',
             d.extra > 0.98
      FROM bench_draws d
      JOIN courses c ON c.id = 1 + floor(d.course * ${COURSES})::int
      LEFT JOIN bench_places p ON c.delivery <> 'online' AND p.n = 1 + floor(d.place * ${places})::int
      CROSS JOIN LATERAL (SELECT date_trunc('day', now() - interval '${firstDay} days' + d.day * interval '1826 days') + interval '14 hours' + floor(d.hour * 8) * interval '1 hour' AS at) s
    `);
  });
  await db.raw(`
    INSERT INTO event_sessions (event_id, starts_at, ends_at, hours)
    SELECT id, first_session_at, first_session_at + clock_hours * interval '1 hour', clock_hours FROM events WHERE last_session_at - first_session_at < interval '1 day'
    UNION ALL
    SELECT id, first_session_at, first_session_at + clock_hours / 2 * interval '1 hour', clock_hours / 2 FROM events WHERE last_session_at - first_session_at >= interval '1 day'
    UNION ALL
    SELECT id, last_session_at - clock_hours / 2 * interval '1 hour', last_session_at, clock_hours / 2 FROM events WHERE last_session_at - first_session_at >= interval '1 day'`);
  // People register in the weeks around an event: events within 60 days either side of today
  // are between empty and over-full (the rest waitlisted), others have a few registrations.
  await db.raw(`
    INSERT INTO registrations (event_id, professional_id, status, created_at, cancelled_at)
    SELECT e.id, 1 + (e.id * 7919 + k * 104729) % ${PROFESSIONALS},
           CASE WHEN k > e.capacity THEN 'waitlisted' WHEN k % 17 = 0 THEN 'cancelled' ELSE 'registered' END,
           e.first_session_at - (30 - k % 30) * interval '1 day',
           CASE WHEN k <= e.capacity AND k % 17 = 0 THEN e.first_session_at - interval '1 day' END
    FROM events e
    CROSS JOIN LATERAL generate_series(1, CASE
      WHEN e.first_session_at BETWEEN now() - interval '60 days' AND now() + interval '60 days' THEN (e.capacity * ((e.id * 37) % 130) / 100)::int
      ELSE (e.id % 4)::int END) k`);
  // Taking the seats above rewrote every event row once (events.seats_taken): compact the table
  // as a load without that step would leave it, then as autovacuum would leave it: statistics,
  // and the visibility map that index-only scans read.
  await db.raw('VACUUM FULL events');
  await db.raw('VACUUM ANALYZE');
}

// ---------------------------------------------------------------------------------------------
// The searches: what people type and pick on the catalog page.

export type Search = Partial<Omit<CatalogQuery, 'now' | 'page' | 'pageSize' | 'sort'>> &
  Partial<Pick<CatalogQuery, 'page' | 'pageSize' | 'sort'>>;
export const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
export const SEARCHES: Search[] = [
  {},
  { q: 'safe sleep' },
  { q: 'cpr' },
  { q: 'DESE OOC' },
  { q: 'positive guidance', sort: 'date' },
  { q: 'early literacy', region: 'Central', seatsLeft: true },
  { q: 'child development', page: 2 },
  { q: 'health and safety', fee: 'free' },
  { topic: 'health-safety', region: 'St. Louis' },
  { topic: 'infant-safe-sleep', region: 'Southwest', sort: 'date' },
  { topic: 'guidance', delivery: 'online' },
  { zip: '65201', withinMiles: 25, sort: 'distance' },
  { zip: '63101', withinMiles: 10, sort: 'distance', topic: 'curriculum' },
  { zip: '64106', withinMiles: 50, sort: 'distance' },
  { zip: '65806', withinMiles: 30, sort: 'distance', q: 'cpr' },
  { from: day(7), to: day(37) },
  { from: day(0), to: day(14), region: 'Kansas City' },
  { fee: 'free' },
  { seatsLeft: true },
  { seatsLeft: true, from: day(0), to: day(30) },
  { language: 'es' },
  { language: 'es', topic: 'child-development' },
  { delivery: 'online', fee: 'free', sort: 'date' },
  { county: 'Greene', sort: 'date' },
  { level: 'introductory', q: 'safe sleep' },
];

// ---------------------------------------------------------------------------------------------
// The workforce: organizations (the first licensed, with 200 staff: the director report; the rest
// about 20 each), professionals employed at them, and years of training records each.

/**
 * Organizations, professionals 1..professionals (unless they exist already, e.g. from
 * seedCatalog), one employment each, ten courses and `recordsEach` training records per person
 * over five years to mid-2026; analyzed. Used by the compliance bench and the load test.
 */
export async function seedWorkforce(
  db: Db,
  {
    professionals,
    recordsEach,
    organizations,
    professionalsExist = false,
  }: { professionals: number; recordsEach: number; organizations: number; professionalsExist?: boolean },
) {
  await db.raw(`
    INSERT INTO organizations (name, licensed, subsidized, serves_infants, contract_year_start_month, county)
    SELECT 'Organization ' || g, g % 5 <> 0, g % 3 = 0, g % 2 = 0, CASE WHEN g % 3 = 0 THEN 1 + g % 12 END, 'County ' || (g % 114)
    FROM generate_series(1, ${organizations}) g`);
  // The first organization is licensed and has 200 staff (the director report); the rest about 20 each.
  await db.raw(`UPDATE organizations SET licensed = true WHERE id = 1`);
  if (!professionalsExist) {
    await db.raw(`
      INSERT INTO professionals (mopd_id, first_name, last_name, email)
      SELECT 'MO' || lpad(g::text, 7, '0'), 'First' || g, 'Last' || g, 'person' || g || '@bench.example'
      FROM generate_series(1, ${professionals}) g`);
  }
  await db.raw(`
    INSERT INTO employments (professional_id, organization_id, role, hire_date)
    SELECT g, CASE WHEN g <= 200 THEN 1 ELSE 2 + g % (${organizations} - 1) END, 'teacher', DATE '2021-01-01' + (g % 365)
    FROM generate_series(1, ${professionals}) g`);
  const firstCourse = Number(
    (
      await db.raw(
        `WITH added AS (INSERT INTO courses (title, sponsor, topic, delivery, clock_hours, approved) SELECT 'Course ' || g, 'DESE OOC', 'topic-' || g, 'in_person', 1 + g % 3, true FROM generate_series(1, 10) g RETURNING id) SELECT min(id) AS id FROM added`,
      )
    ).rows[0].id,
  );
  await db.raw(`
    INSERT INTO training_records (professional_id, course_id, title, topic, completed_on, hours, source, credited_hours, credit_rule_set, credit_rule_set_version)
    SELECT p, ${firstCourse} + k % 10, 'Course ' || (1 + k % 10), 'topic-' || (1 + k % 10), DATE '2021-06-01' + ((p * 7 + k * 37) % 1825), 1 + (p + k) % 3, 'attendance', 1 + (p + k) % 3, 'mopd-compliance', 1
    FROM generate_series(1, ${professionals}) p CROSS JOIN generate_series(1, ${recordsEach}) k`);
  await db.raw('ANALYZE');
}
