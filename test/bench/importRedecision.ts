/**
 * What deciding credit again after a legacy import costs (issue 18): 5,000 people × 20 imported
 * training records each, applied twice, each into its own fresh database seeded alike (not
 * measured). In both, every person already holds five registry completions of DESE online courses
 * of 2025 that the file completes again in 2025 (once a year earns credit):
 *   - floor: the registry's completions are dated January 2, before every imported one, so the
 *     import's own credit decision (set-based, in SQL) accounts for them and nothing is decided again;
 *   - re-decision: they are dated December 20, after the imported ones, so each person's five
 *     course-years are decided again (`redecideAfterImport`): the registry's completion loses its
 *     credit to the earlier imported one, its earlier version kept, audited, compliance refreshed,
 *     the person told when their standing turns.
 * Everything else (the file, the people, their employments, the compliance recompute of everyone
 * touched) is the same, so the difference is the re-decision.
 * Run: npx tsx test/bench/importRedecision.ts  (BENCH_PEOPLE=1000 BENCH_EACH=20 for a smaller run)
 */
import { performance } from 'node:perf_hooks';
import { createDb, dropDatabase, ensureDatabase, migrateLatest, type Db } from '../../db/connection.js';
import { installShippedRuleSets } from '../../db/ruleSets.js';
import { applyBatch, previewBatch, startApplying } from '../../services/legacyImport/index.js';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 5_000);
const EACH = Number(process.env.BENCH_EACH ?? 20);
/** DESE online courses (once a year) among each person's imported courses, also held in the registry. */
const DESE = 5;
const say = (line: string) => process.stdout.write(`${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function databaseUrl(name: string): string {
  const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/${name}`;
  return url.toString();
}

/** People, one licensed program employing them all since 2020, the courses, and the registry's completions. */
async function seed(db: Db, registryOn: string): Promise<void> {
  await db.raw(`
    INSERT INTO professionals (mopd_id, first_name, last_name, email, legacy_system, legacy_id, legacy_hash)
    SELECT 'MO' || lpad(g::text, 7, '0'), 'First' || g, 'Last' || g, 'person' || g || '@bench.example', 'bench', 'P' || g, 'seeded'
    FROM generate_series(1, ${PEOPLE}) g`);
  const [organization] = await db('organizations')
    .insert({
      name: 'Bench Center',
      licensed: true,
      subsidized: false,
      serves_infants: false,
      contract_year_start_month: null,
      county: 'Boone',
    })
    .returning('id');
  await db.raw(
    `INSERT INTO employments (professional_id, organization_id, role, hire_date)
     SELECT id, ?, 'teacher', DATE '2020-01-06' FROM professionals`,
    [Number((organization as { id: number }).id)],
  );
  // The first DESE courses are DESE online modules of 2 hours; the rest in-person workshops.
  await db.raw(`
    INSERT INTO courses (title, sponsor, topic, delivery, clock_hours, approved, legacy_system, legacy_id, legacy_hash)
    SELECT 'Course ' || g,
           CASE WHEN g <= ${DESE} THEN 'DESE OOC' ELSE 'Workshop Calendar' END,
           'health-safety',
           CASE WHEN g <= ${DESE} THEN 'online' ELSE 'in_person' END,
           CASE WHEN g <= ${DESE} THEN 2 ELSE 1 + g % 3 END,
           true, 'bench', 'C' || g, 'seeded'
    FROM generate_series(1, ${EACH}) g`);
  await db.raw(
    `INSERT INTO training_records (professional_id, course_id, title, topic, completed_on, hours, source, credited_hours, credit_rule_set, credit_rule_set_version, credit_reasons)
     SELECT p.id, c.id, c.title, c.topic, ?::date, 2, 'online_course', 2, 'mopd-compliance', 1, '[]'::jsonb
       FROM professionals p CROSS JOIN courses c WHERE c.sponsor = 'DESE OOC'`,
    [registryOn],
  );
  await db.raw('ANALYZE');
}

/** Each person completes each course once, on a day of February–November 2025. */
function trainingFile(): string {
  const lines = [
    'legacy_id,person_legacy_id,mopd_id,course_legacy_id,course_title,course_sponsor,course_topic,completed_on,hours',
  ];
  for (let p = 1; p <= PEOPLE; p++)
    for (let k = 1; k <= EACH; k++) {
      const day = new Date(Date.UTC(2025, 1, 1) + ((p * 7 + k * 13) % 290) * 86_400_000).toISOString().slice(0, 10);
      lines.push(`T${p}-${k},P${p},,C${k},,,,${day},${k <= DESE ? 2 : 1 + (k % 3)}`);
    }
  return `${lines.join('\n')}\n`;
}

async function run(kind: 'floor' | 're-decision', content: string) {
  const url = databaseUrl(`mopd_bench_redecision_${kind === 'floor' ? 'floor' : 'redecide'}`);
  await dropDatabase(url);
  await ensureDatabase(url);
  const db = createDb(url, { max: 4 });
  try {
    await migrateLatest(db);
    await installShippedRuleSets(db);
    await seed(db, kind === 'floor' ? '2025-01-02' : '2025-12-20');
    const files = [{ name: 'training.csv', content }];
    const batch = await previewBatch(db, { name: kind, system: 'bench', files, uploadedBy: null, keepFiles: false });
    await startApplying(db, batch.id);
    const started = performance.now();
    const applied = await applyBatch(db, batch.id, { files });
    const ms = performance.now() - started;
    const count = async (sql: string) => Number((await db.raw<{ rows: Array<{ n: string }> }>(sql)).rows[0]!.n);
    return {
      ms,
      created: applied.appliedReport!['training.csv']!.create,
      redecided: await count(`SELECT count(*) AS n FROM training_record_versions WHERE kind = 'redecided'`),
      people: await count(
        `SELECT count(DISTINCT professional_id) AS n FROM training_record_versions WHERE kind = 'redecided'`,
      ),
      told: await count(`SELECT count(*) AS n FROM outbox`),
    };
  } finally {
    await db.destroy();
    await dropDatabase(url);
  }
}

const content = trainingFile();
say(`${PEOPLE} people × ${EACH} records = ${(PEOPLE * EACH).toLocaleString('en-US')} imported training records`);
const floor = await run('floor', content);
say(
  `floor (nothing decided again): apply ${seconds(floor.ms)}, ${floor.created} created, ${floor.redecided} re-decided`,
);
const redecided = await run('re-decision', content);
say(
  `re-decision: apply ${seconds(redecided.ms)}, ${redecided.created} created, ${redecided.redecided} records of ${redecided.people} people decided again, ${redecided.told} emails queued`,
);
const extra = redecided.ms - floor.ms;
say('');
say('| measure | apply | ratio to floor |');
say('| --- | --- | --- |');
say(`| floor: the import, nothing decided again | ${seconds(floor.ms)} | 1.0x |`);
say(`| the import with re-decision | ${seconds(redecided.ms)} | ${(redecided.ms / floor.ms).toFixed(1)}x |`);
say(
  `| re-decision alone (difference) | ${seconds(extra)} | ${(extra / Math.max(1, redecided.people)).toFixed(1)} ms a person, ${(extra / Math.max(1, redecided.redecided)).toFixed(1)} ms a record |`,
);
