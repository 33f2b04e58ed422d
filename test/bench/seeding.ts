/**
 * The seeding of the benches and the load test, shared so that each measures the same kind of data:
 * the catalog (courses, events over five years across Missouri's counties, registrations) and the
 * workforce (organizations, professionals employed at them, years of training records).
 */
import type { Db } from '../../db/connection.js';
import type { CatalogQuery } from '../../db/catalog.js';
import { COURSE_LEVELS, TOPICS, type Topic } from '../../rules/domain.js';

// ---------------------------------------------------------------------------------------------
// The data: courses written from childcare training titles, events placed at Missouri ZIP
// centroids (each ZIP in the county whose seat is nearest), registrations near the event dates.

const TITLES: Record<Topic, string[]> = {
  'health-safety': ['Health and Safety Orientation', 'Medication Administration', 'Emergency Preparedness for Child Care', 'Recognizing and Reporting Child Abuse and Neglect', 'Safe Food Handling in Child Care', 'Preventing Shaken Baby Syndrome', 'Playground Safety', 'Transportation Safety for Child Care Programs'],
  'infant-safe-sleep': ['Safe Sleep for Infants', 'Safe Sleep Practices in Child Care', 'Reducing the Risk of SIDS', 'Infant Safe Sleep Refresher'],
  'cpr-first-aid': ['Pediatric CPR/First Aid', 'CPR/First Aid and AED', 'Pediatric First Aid Recertification', 'Infant and Child CPR'],
  'child-development': ['Child Development Basics', 'Infant and Toddler Development', 'Brain Development in the Early Years', 'Social-Emotional Development', 'Understanding Developmental Milestones', 'Early Literacy: Reading with Young Children'],
  curriculum: ['Early Literacy in the Classroom', 'Planning Learning Environments', 'The Project Approach in Preschool', 'Outdoor Learning', 'STEM for Preschoolers', 'Music and Movement', 'Creative Art for Young Children'],
  guidance: ['Positive Guidance', 'Positive Guidance Strategies for Toddlers', 'Understanding Challenging Behavior', 'Pyramid Model: Promoting Social Competence', 'Trauma-Informed Care'],
  assessment: ['Observation and Documentation', 'Developmental Screening with the ASQ', 'Authentic Assessment', 'Using Portfolios with Young Children'],
  'family-engagement': ['Building Relationships with Families', 'Family Engagement Strategies', 'Supporting Dual Language Learners and Their Families', 'Communicating with Families'],
  professionalism: ['Professionalism in Early Childhood', 'Director Leadership Academy', 'Business Practices for Child Care', 'Licensing Rules Orientation', 'Ethics in Early Care and Education', 'Mentoring New Teachers'],
};
const VARIANTS = ['', ' Part 1', ' Part 2', ' for Family Child Care Providers', ' for Infant and Toddler Teachers', ' for School-Age Programs', ' Refresher', ': A Hands-On Workshop'];
const SPONSORS = ['DESE OOC', 'Child Care Aware of Missouri', 'University of Missouri Extension', 'Missouri Head Start Association', 'Missouri Association for the Education of Young Children', 'Parents as Teachers National Center', 'American Red Cross', 'Missouri Child Care Resource and Referral Network'];
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
/** Missouri's counties and St. Louis City: the county seat (approximately) and the region. */
const COUNTIES: Array<[string, number, number, string]> = [
  ['Adair', 40.19, -92.58, 'Northeast'], ['Andrew', 39.94, -94.83, 'Northwest'], ['Atchison', 40.41, -95.52, 'Northwest'], ['Audrain', 39.17, -91.88, 'Northeast'],
  ['Barry', 36.68, -93.87, 'Southwest'], ['Barton', 37.5, -94.28, 'Southwest'], ['Bates', 38.26, -94.33, 'Kansas City'], ['Benton', 38.24, -93.38, 'Central'],
  ['Bollinger', 37.31, -89.97, 'Southeast'], ['Boone', 38.95, -92.33, 'Central'], ['Buchanan', 39.77, -94.85, 'Northwest'], ['Butler', 36.76, -90.39, 'Southeast'],
  ['Caldwell', 39.64, -94.04, 'Northwest'], ['Callaway', 38.85, -91.95, 'Central'], ['Camden', 38.01, -92.74, 'Central'], ['Cape Girardeau', 37.38, -89.67, 'Southeast'],
  ['Carroll', 39.36, -93.5, 'Northwest'], ['Carter', 36.99, -91.01, 'Southeast'], ['Cass', 38.65, -94.35, 'Kansas City'], ['Cedar', 37.7, -93.8, 'Southwest'],
  ['Chariton', 39.43, -92.94, 'Northeast'], ['Christian', 37.02, -93.21, 'Southwest'], ['Clark', 40.42, -91.72, 'Northeast'], ['Clay', 39.25, -94.42, 'Kansas City'],
  ['Clinton', 39.57, -94.45, 'Northwest'], ['Cole', 38.58, -92.17, 'Central'], ['Cooper', 38.97, -92.74, 'Central'], ['Crawford', 37.97, -91.35, 'Central'],
  ['Dade', 37.42, -93.84, 'Southwest'], ['Dallas', 37.64, -93.09, 'Southwest'], ['Daviess', 39.91, -93.96, 'Northwest'], ['DeKalb', 39.89, -94.36, 'Northwest'],
  ['Dent', 37.65, -91.54, 'Southeast'], ['Douglas', 36.95, -92.66, 'Southwest'], ['Dunklin', 36.24, -90.06, 'Southeast'], ['Franklin', 38.45, -91.01, 'St. Louis'],
  ['Gasconade', 38.7, -91.44, 'Central'], ['Gentry', 40.25, -94.33, 'Northwest'], ['Greene', 37.21, -93.29, 'Southwest'], ['Grundy', 40.08, -93.62, 'Northwest'],
  ['Harrison', 40.27, -94.03, 'Northwest'], ['Henry', 38.37, -93.78, 'Central'], ['Hickory', 37.94, -93.32, 'Southwest'], ['Holt', 39.99, -95.14, 'Northwest'],
  ['Howard', 39.15, -92.68, 'Central'], ['Howell', 36.73, -91.85, 'Southeast'], ['Iron', 37.6, -90.63, 'Southeast'], ['Jackson', 39.09, -94.42, 'Kansas City'],
  ['Jasper', 37.18, -94.31, 'Southwest'], ['Jefferson', 38.23, -90.56, 'St. Louis'], ['Johnson', 38.76, -93.74, 'Kansas City'], ['Knox', 40.17, -92.17, 'Northeast'],
  ['Laclede', 37.68, -92.66, 'Southwest'], ['Lafayette', 39.18, -93.88, 'Kansas City'], ['Lawrence', 37.1, -93.82, 'Southwest'], ['Lewis', 40.12, -91.71, 'Northeast'],
  ['Lincoln', 38.98, -90.98, 'Northeast'], ['Linn', 39.88, -93.19, 'Northeast'], ['Livingston', 39.8, -93.55, 'Northwest'], ['McDonald', 36.59, -94.39, 'Southwest'],
  ['Macon', 39.74, -92.47, 'Northeast'], ['Madison', 37.56, -90.29, 'Southeast'], ['Maries', 38.19, -91.95, 'Central'], ['Marion', 39.79, -91.52, 'Northeast'],
  ['Mercer', 40.4, -93.58, 'Northwest'], ['Miller', 38.23, -92.46, 'Central'], ['Mississippi', 36.92, -89.35, 'Southeast'], ['Moniteau', 38.63, -92.57, 'Central'],
  ['Monroe', 39.48, -92.0, 'Northeast'], ['Montgomery', 38.98, -91.5, 'Northeast'], ['Morgan', 38.43, -92.84, 'Central'], ['New Madrid', 36.59, -89.53, 'Southeast'],
  ['Newton', 36.87, -94.37, 'Southwest'], ['Nodaway', 40.35, -94.87, 'Northwest'], ['Oregon', 36.69, -91.4, 'Southeast'], ['Osage', 38.49, -91.85, 'Central'],
  ['Ozark', 36.6, -92.43, 'Southwest'], ['Pemiscot', 36.19, -89.66, 'Southeast'], ['Perry', 37.72, -89.86, 'Southeast'], ['Pettis', 38.7, -93.23, 'Central'],
  ['Phelps', 37.95, -91.77, 'Central'], ['Pike', 39.34, -91.19, 'Northeast'], ['Platte', 39.37, -94.78, 'Kansas City'], ['Polk', 37.61, -93.41, 'Southwest'],
  ['Pulaski', 37.83, -92.2, 'Central'], ['Putnam', 40.48, -93.0, 'Northeast'], ['Ralls', 39.59, -91.4, 'Northeast'], ['Randolph', 39.44, -92.54, 'Northeast'],
  ['Ray', 39.28, -93.98, 'Kansas City'], ['Reynolds', 37.43, -90.96, 'Southeast'], ['Ripley', 36.62, -90.82, 'Southeast'], ['St. Charles', 38.78, -90.48, 'St. Louis'],
  ['St. Clair', 38.05, -93.7, 'Central'], ['Ste. Genevieve', 37.98, -90.04, 'Southeast'], ['St. Francois', 37.78, -90.42, 'Southeast'], ['St. Louis', 38.65, -90.34, 'St. Louis'],
  ['St. Louis City', 38.63, -90.2, 'St. Louis'], ['Saline', 39.12, -93.2, 'Central'], ['Schuyler', 40.52, -92.53, 'Northeast'], ['Scotland', 40.46, -92.17, 'Northeast'],
  ['Scott', 37.1, -89.56, 'Southeast'], ['Shannon', 37.15, -91.36, 'Southeast'], ['Shelby', 39.81, -92.04, 'Northeast'], ['Stoddard', 36.89, -89.93, 'Southeast'],
  ['Stone', 36.75, -93.46, 'Southwest'], ['Sullivan', 40.2, -93.12, 'Northeast'], ['Taney', 36.69, -93.12, 'Southwest'], ['Texas', 37.33, -91.96, 'Southeast'],
  ['Vernon', 37.84, -94.35, 'Southwest'], ['Warren', 38.81, -91.14, 'St. Louis'], ['Washington', 37.94, -90.79, 'Southeast'], ['Wayne', 37.13, -90.45, 'Southeast'],
  ['Webster', 37.34, -92.91, 'Southwest'], ['Worth', 40.49, -94.41, 'Northwest'], ['Wright', 37.25, -92.51, 'Southwest'],
];
const TRAINERS = ['Maria Gonzalez', 'James Carter', 'Linda Nguyen', 'Robert Hill', 'Patricia Brooks', 'Michael Turner', 'Jennifer Price', 'David Ramirez', 'Susan Howard', 'Karen Foster', 'Angela Reed', 'Thomas Bell', 'Rosa Medina', 'Brenda Collins', 'Denise Ward', 'Carlos Vega'];

function courseRows(COURSES: number) {
  const all = (Object.keys(TITLES) as Topic[]).flatMap((topic) => TITLES[topic].map((title) => ({ topic, title })));
  return Array.from({ length: COURSES }, (_, i) => {
    const { topic, title } = all[i % all.length]!;
    const delivery = topic === 'cpr-first-aid' ? (i % 4 === 0 ? 'blended' : 'in_person') : (['in_person', 'in_person', 'online', 'in_person', 'blended', 'online', 'in_person'] as const)[i % 7]!;
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

/**
 * Courses, professionals (ids 1..professionals, MOPD IDs MO0000001…), events over five years
 * centred on today at Missouri places, their sessions and registrations; compacted and analyzed.
 * Used by the catalog bench and the load test.
 */
export async function seedCatalog(db: Db, { events: EVENTS, courses: COURSES = 300, professionals: PROFESSIONALS }: { events: number; courses?: number; professionals: number }) {
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
      CROSS JOIN LATERAL (SELECT date_trunc('day', now() - interval '913 days' + d.day * interval '1826 days') + interval '14 hours' + floor(d.hour * 8) * interval '1 hour' AS at) s
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

export type Search = Partial<Omit<CatalogQuery, 'now' | 'page' | 'pageSize' | 'sort'>> & Partial<Pick<CatalogQuery, 'page' | 'pageSize' | 'sort'>>;
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
export async function seedWorkforce(db: Db, { professionals, recordsEach, organizations, professionalsExist = false }: { professionals: number; recordsEach: number; organizations: number; professionalsExist?: boolean }) {
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
  const firstCourse = Number((await db.raw(`WITH added AS (INSERT INTO courses (title, sponsor, topic, delivery, clock_hours, approved) SELECT 'Course ' || g, 'DESE OOC', 'topic-' || g, 'in_person', 1 + g % 3, true FROM generate_series(1, 10) g RETURNING id) SELECT min(id) AS id FROM added`)).rows[0].id);
  await db.raw(`
    INSERT INTO training_records (professional_id, course_id, title, topic, completed_on, hours, source, credited_hours, credit_rule_set, credit_rule_set_version)
    SELECT p, ${firstCourse} + k % 10, 'Course ' || (1 + k % 10), 'topic-' || (1 + k % 10), DATE '2021-06-01' + ((p * 7 + k * 37) % 1825), 1 + (p + k) % 3, 'attendance', 1 + (p + k) % 3, 'mopd-compliance', 1
    FROM generate_series(1, ${professionals}) p CROSS JOIN generate_series(1, ${recordsEach}) k`);
  await db.raw('ANALYZE');
}
