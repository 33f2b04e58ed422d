/**
 * Legacy import at statewide size: a training.csv of 1,000,000 records for 60,000 people, imported
 * (preview, then apply: parse, check, resolve people and courses, credit by the rules, write, and
 * the compliance recompute of everyone touched) beside two floors measured in the same run:
 * PostgreSQL's own COPY of the same file into a plain staging table (text columns, no checks, no
 * indexes: reading the file), and its COPY of the same records, as the import wrote them, into an
 * empty table made like training_records (writing them where records live). The people and
 * courses are seeded in SQL first (not measured).
 * Run: npm run bench:import  (BENCH_RECORDS=100000 for a smaller run)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createDb, dropDatabase, ensureDatabase, migrateLatest } from '../../db/connection.js';
import { installShippedRuleSets } from '../../db/ruleSets.js';
import { applyBatch, previewBatch, startApplying } from '../../services/legacyImport/index.js';
import { recomputeCompliance } from '../../services/compliance.js';
import { localDateOf } from '../../rules/dates.js';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 60_000);
const COURSES = 300;
const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
url.pathname = '/mopd_bench_import';
const say = (line: string) => process.stdout.write(`${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
async function timed<T>(run: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const result = await run();
  return [performance.now() - started, result];
}

await dropDatabase(url.toString());
await ensureDatabase(url.toString());
const db = createDb(url.toString(), { max: 4 });
await migrateLatest(db);
await installShippedRuleSets(db);

say(`seeding ${PEOPLE} people and ${COURSES} courses with legacy ids (not measured)…`);
await db.raw(`
  INSERT INTO professionals (mopd_id, first_name, last_name, email, legacy_system, legacy_id, legacy_hash)
  SELECT 'MO' || lpad(g::text, 7, '0'), 'First' || g, 'Last' || g, 'person' || g || '@bench.example', 'bench', 'P' || g, 'seeded'
  FROM generate_series(1, ${PEOPLE}) g`);
// A mix like the workshop calendar's: mostly in-person DESE-approved courses, some online DESE
// modules, some CPR (online-only among them, which earns nothing), a few unapproved.
await db.raw(`
  INSERT INTO courses (title, sponsor, topic, delivery, clock_hours, in_person_hours, cpr_model, approved, legacy_system, legacy_id, legacy_hash)
  SELECT 'Course ' || g,
         CASE WHEN g % 5 = 0 THEN 'DESE OOC' ELSE 'Workshop Calendar' END,
         CASE WHEN g % 10 = 3 THEN 'cpr-first-aid' ELSE 'health-safety' END,
         CASE WHEN g % 10 = 3 AND g % 20 = 3 THEN 'online' WHEN g % 5 = 0 THEN 'online' WHEN g % 10 = 3 THEN 'blended' ELSE 'in_person' END,
         1 + g % 4,
         CASE WHEN g % 10 = 3 AND g % 20 <> 3 THEN 1 END,
         CASE WHEN g % 10 = 3 THEN 'American Red Cross' END,
         g % 17 <> 0, 'bench', 'C' || g, 'seeded'
  FROM generate_series(1, ${COURSES}) g`);
await db.raw('ANALYZE');

const file = path.join(os.tmpdir(), `mopd-bench-training-${RECORDS}.csv`);
/** A well-mixed 32-bit hash of a record number, so records spread over people, courses and days as in a real export. */
const mix = (i: number, salt: number) => {
  let h = Math.imul(i ^ Math.imul(salt, 0x27d4eb2f), 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca77);
  h ^= h >>> 13;
  return h >>> 0;
};
const lines = [
  'legacy_id,person_legacy_id,mopd_id,course_legacy_id,course_title,course_sponsor,course_topic,completed_on,hours',
];
for (let i = 1; i <= RECORDS; i++) {
  const course = 1 + (mix(i, 1) % COURSES);
  const day = new Date(Date.UTC(2023, 0, 1) + (mix(i, 2) % 1000) * 86_400_000);
  const date =
    i % 2 === 0
      ? day.toISOString().slice(0, 10)
      : `${day.getUTCMonth() + 1}/${day.getUTCDate()}/${day.getUTCFullYear()}`;
  lines.push(`T${i},P${1 + (mix(i, 3) % PEOPLE)},,C${course},,,,${date},${1 + (course % 4)}`);
}
fs.writeFileSync(file, `${lines.join('\n')}\n`);
lines.length = 0;
fs.chmodSync(file, 0o644);
say(`${file}: ${RECORDS} records, ${(fs.statSync(file).size / 1024 / 1024).toFixed(1)} MB`);

// The floor: COPY of the same file into a plain table (server-side read of the file).
await db.raw(
  `CREATE TABLE copy_floor (legacy_id text, person_legacy_id text, mopd_id text, course_legacy_id text, course_title text, course_sponsor text, course_topic text, completed_on text, hours text)`,
);
const [floorMs] = await timed(() => db.raw(`COPY copy_floor FROM '${file}' WITH (FORMAT csv, HEADER true)`));
say(`floor: COPY into a staging table ${seconds(floorMs)}`);

const [readMs, content] = await timed(async () => fs.readFileSync(file, 'utf8'));
const files = [{ name: 'training.csv', content }];
const [previewMs, batch] = await timed(() =>
  previewBatch(db, { name: 'bench', system: 'bench', files, uploadedBy: null, keepFiles: false }),
);
say(
  `preview (${batch.report['training.csv']!.create} to create, ${batch.report['training.csv']!.rejectedCount} rejected): ${seconds(readMs + previewMs)}`,
);
await startApplying(db, batch.id);
const [applyMs, applied] = await timed(() => applyBatch(db, batch.id, { files }));
say(
  `apply (${applied.appliedReport!['training.csv']!.create} created, compliance of everyone recomputed): ${seconds(applyMs)}`,
);
const [recomputeMs] = await timed(() => recomputeCompliance(db, { asOf: localDateOf(new Date()) }));
say(`of which the compliance recompute of everyone (timed again on its own): ${seconds(recomputeMs)}`);
const credit = await db.raw(
  `SELECT count(*) FILTER (WHERE credited_hours = 0) AS zero, count(*) FILTER (WHERE credited_hours < hours AND credited_hours > 0) AS partial FROM training_records`,
);
say(`credited: ${JSON.stringify(credit.rows[0])}`);
// The second floor: PostgreSQL's own COPY of the same records, as the import wrote them, into a
// table made like training_records (its columns, defaults, checks, indexes and foreign keys) and
// empty, as training_records was before the import.
const recordsFile = path.join(os.tmpdir(), `mopd-bench-records-${RECORDS}.csv`);
const written =
  'professional_id, course_id, title, topic, completed_on, hours, source, credited_hours, credit_rule_set, credit_rule_set_version, credit_reasons, cpr_model, legacy_system, legacy_id, legacy_hash';
await db.raw(`COPY (SELECT ${written} FROM training_records ORDER BY id) TO '${recordsFile}' WITH (FORMAT csv)`);
await db.raw('CREATE TABLE copy_floor_records (LIKE training_records INCLUDING ALL)');
const { rows: keys } = await db.raw<{ rows: Array<{ def: string }> }>(
  `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'training_records'::regclass AND contype = 'f'`,
);
for (const key of keys) await db.raw(`ALTER TABLE copy_floor_records ADD ${key.def}`);
const [tableFloorMs] = await timed(() =>
  db.raw(`COPY copy_floor_records (${written}) FROM '${recordsFile}' WITH (FORMAT csv)`),
);
say(`floor: COPY of the same records into a table like training_records ${seconds(tableFloorMs)}`);
fs.rmSync(recordsFile);

const [againMs, again] = await timed(() =>
  previewBatch(db, { name: 'bench again', system: 'bench', files, uploadedBy: null, keepFiles: false }),
);
say(`second run's preview (${again.report['training.csv']!.unchanged} unchanged): ${seconds(againMs)}`);
say('');
say(
  '| measure | MOPD | floor: COPY of the file into a staging table | ratio | floor: COPY of the same records into a table like training_records | ratio |',
);
say('| --- | --- | --- | --- | --- | --- |');
const row = (measure: string, ms: number) =>
  say(
    `| ${measure} | ${seconds(ms)} | ${seconds(floorMs)} | ${(ms / floorMs).toFixed(1)}x | ${seconds(tableFloorMs)} | ${(ms / tableFloorMs).toFixed(1)}x |`,
  );
row(`preview of ${RECORDS.toLocaleString('en-US')} training records (read, parse, check, resolve)`, readMs + previewMs);
row('apply (plan again, credit, write, recompute compliance)', applyMs);
row('apply without the compliance recompute (apply minus the recompute timed on its own)', applyMs - recomputeMs);
row('import, preview + apply', readMs + previewMs + applyMs);
row("second run's preview (nothing to write)", againMs);
await db.destroy();
fs.rmSync(file);
