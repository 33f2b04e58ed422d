/**
 * A training file, set-based: the CSV streamed into a staging table with COPY FROM STDIN, each
 * row checked, resolved and compared in SQL, credit decided once per distinct credit situation
 * and the records written with one INSERT … SELECT (and one UPDATE … FROM) per file. The checks
 * and reasons are those of `formats.ts` and `plan.ts`: a value of a typed column is parsed by the
 * same parser, once per distinct value. A file COPY cannot split on commas alone (quoted fields,
 * lone carriage returns) goes the row-by-row way of `plan.ts` and `apply.ts` instead.
 * All tables are temporary to the caller's transaction.
 */
import type { Db } from '../../db/connection.js';
import { ruleSetTimeline, type VersionInEffect } from '../../db/ruleSets.js';
import type { CourseRow } from '../../db/rows.js';
import type { CreditDecision } from '../../rules/engine.js';
import { COMPLIANCE_RULE_SET } from '../../rules/versions/index.js';
import { trainerCertificationsOf, trainingOf } from '../credit.js';
import { copyIn } from './copyIn.js';
import { CreditMemo } from './creditMemo.js';
import { FORMATS } from './formats.js';
import type { FileReport, Pending } from './plan.js';
import { localDateOf } from '../../rules/dates.js';

const FORMAT = FORMATS.training;
type Column = keyof typeof FORMAT;
const COLUMNS = Object.keys(FORMAT) as Column[];
/** Columns whose values are parsed (the others are text as given, trimmed). */
const TEXT = FORMAT.legacy_id.parse;
const PARSED = COLUMNS.filter((c) => FORMAT[c].parse !== TEXT);
const MAX_LISTED = 1000;
/** What JavaScript's trim() removes, as far as a file is likely to hold it. */
const WS = `E' \\t\\n\\r\\f\\v\\u00a0\\ufeff\\u2028\\u2029'`;

/** The body of a file COPY can split on commas alone, with its header; null if it cannot. */
function stageable(content: string): { header: string[]; body: string } | null {
  let text = content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  if (text.includes('\r\n')) text = text.replace(/\r\n/g, '\n');
  if (['"', '\r', '\u0000', '\u0001', '\u0002', '\\.'].some((c) => text.includes(c))) return null;
  const end = text.indexOf('\n');
  const first = end < 0 ? text : text.slice(0, end);
  if (first.trim() === '') return null;
  const header = first.split(',').map((f) => f.trim().toLowerCase());
  const format: Record<string, unknown> = FORMAT;
  if (header.some((c) => !(c in format)) || COLUMNS.some((c) => FORMAT[c].required && !header.includes(c))) return null;
  return { header, body: end < 0 ? '' : text.slice(end + 1) };
}

const ident = (column: string) => `c_${column}`;

/** The digest expression of the plan made in a transaction, for its write. */
const planned = new WeakMap<Db, string>();

/** Whether JSON would escape a character of the text (it holds no quotes: see `stageable`). */
function hasJsonEscapes(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \\ */ || (c < 32 && c !== 10)) return true;
  }
  return false;
}

/**
 * Checks a training file against the registry (and, in a preview, what earlier files would
 * create), leaving the plan in `legacy_plan` for `writeTrainingFile`; null when the file is not
 * stageable (the caller takes the row-by-row way).
 */
export async function planTrainingFile(
  trx: Db,
  system: string,
  content: string,
  pending: Pending,
): Promise<FileReport | null> {
  const staged = stageable(content);
  if (!staged) return null;
  const { header, body } = staged;
  const width = header.length;

  // Hash joins and sorts over a million rows stay in memory (for this transaction only).
  await trx.raw(`SET LOCAL work_mem = '256MB'`);
  await trx.raw('DROP TABLE IF EXISTS legacy_stage, legacy_rows, legacy_parsed, legacy_problems, legacy_plan');
  await trx.raw(
    'CREATE TEMP TABLE legacy_stage (n bigint GENERATED ALWAYS AS IDENTITY (CACHE 10000), raw text) ON COMMIT DROP',
  );
  // One column: a delimiter and quote that the file does not hold (checked in `stageable`).
  await copyIn(trx, `COPY legacy_stage (raw) FROM STDIN WITH (FORMAT csv, DELIMITER E'\\x01', QUOTE E'\\x02')`, body);

  // Trimming costs a third of the split; a file without spaces needs none.
  const padded = /[ \t\f\v\u00a0\ufeff\u2028\u2029]/.test(body);
  const fieldOf = (column: Column) => {
    const at = header.lastIndexOf(column);
    return at < 0 ? 'NULL::text' : padded ? `nullif(btrim(f[${at + 1}], ${WS}), '')` : `nullif(f[${at + 1}], '')`;
  };
  // The header is line 1; blank lines (NULL) keep their place in the numbering and are skipped.
  await trx.raw(`CREATE TEMP TABLE legacy_rows ON COMMIT DROP AS
    SELECT n + 1 AS line, cardinality(f) AS fields, ${COLUMNS.map((c) => `${fieldOf(c)} AS ${ident(c)}`).join(', ')}
      -- OFFSET 0: split once per row, not once per column.
      FROM (SELECT n, string_to_array(raw, ',') AS f FROM legacy_stage WHERE raw IS NOT NULL OFFSET 0) s`);
  // Temporary tables are never analyzed by autovacuum: without statistics the planner takes a
  // million rows for a thousand and sorts where it would hash.
  await trx.raw('ANALYZE legacy_rows');
  const rows = Number(
    (await trx.raw<{ rows: Array<{ n: string }> }>('SELECT count(*) AS n FROM legacy_rows')).rows[0]!.n,
  );

  // Typed values: each distinct one parsed once, by the parser of formats.ts.
  await trx.raw(
    'CREATE TEMP TABLE legacy_parsed (col text, raw text, ok boolean, value text, json text, reason text, PRIMARY KEY (col, raw)) ON COMMIT DROP',
  );
  for (const column of PARSED) {
    const { rows: values } = await trx.raw<{ rows: Array<{ raw: string }> }>(
      `SELECT DISTINCT ${ident(column)} AS raw FROM legacy_rows WHERE fields = ${width} AND ${ident(column)} IS NOT NULL`,
    );
    const parsed = values.map(({ raw }) => {
      const result = FORMAT[column].parse(raw);
      return result.ok
        ? { col: column, raw, ok: true, value: String(result.value), json: JSON.stringify(result.value), reason: null }
        : { col: column, raw, ok: false, value: null, json: null, reason: result.reason };
    });
    for (let i = 0; i < parsed.length; i += 20_000) {
      await trx.raw(
        `INSERT INTO legacy_parsed SELECT * FROM jsonb_to_recordset(?::jsonb) AS x(col text, raw text, ok boolean, value text, json text, reason text)`,
        [JSON.stringify(parsed.slice(i, i + 20_000))],
      );
    }
  }
  const p = (column: Column) => `p_${column}`;
  const joins = PARSED.map(
    (c) => `LEFT JOIN legacy_parsed ${p(c)} ON ${p(c)}.col = '${c}' AND ${p(c)}.raw = r.${ident(c)}`,
  ).join(' ');

  // Problems of a row on its own, in the order parseRow finds them: header order, then the references.
  const checks: string[] = [
    `(0, '', CASE WHEN r.fields <> ${width} THEN 'has ' || r.fields || ' fields where the header has ${width}' END)`,
  ];
  header.forEach((column, at) => {
    if (!(column in FORMAT) || header.lastIndexOf(column) !== at) return;
    const c = column as Column;
    const required = FORMAT[c].required ? `WHEN r.${ident(c)} IS NULL THEN 'is required'` : '';
    const parsed = PARSED.includes(c) ? `WHEN r.${ident(c)} IS NOT NULL AND NOT ${p(c)}.ok THEN ${p(c)}.reason` : '';
    if (required || parsed)
      checks.push(`(${at + 1}, '${c}', CASE WHEN r.fields <> ${width} THEN NULL ${required} ${parsed} END)`);
  });
  checks.push(
    `(1000, 'person_legacy_id', CASE WHEN r.fields = ${width} AND r.c_person_legacy_id IS NULL AND r.c_mopd_id IS NULL THEN 'give the person’s legacy id or MOPD ID' END)`,
  );
  checks.push(
    `(1001, 'course_legacy_id', CASE WHEN r.fields = ${width} AND r.c_course_legacy_id IS NULL AND (r.c_course_title IS NULL OR r.c_course_sponsor IS NULL OR r.c_course_topic IS NULL) THEN 'give the course’s legacy id, or its title, sponsor and topic' END)`,
  );
  await trx.raw('CREATE TEMP TABLE legacy_problems (line bigint, ord int, col text, reason text) ON COMMIT DROP');
  // Only rows with a problem are spread into one row per problem.
  const reasons = checks.map((c) => c.slice(c.indexOf(', CASE') + 2, -1));
  await trx.raw(`INSERT INTO legacy_problems SELECT r.line, x.ord, x.col, x.reason
    FROM (SELECT r.*, ${PARSED.map((c) => `${p(c)}.ok AS ${p(c)}_ok, ${p(c)}.reason AS ${p(c)}_reason`).join(', ')} FROM legacy_rows r ${joins} WHERE coalesce(${reasons.join(', ')}) IS NOT NULL) r
    CROSS JOIN LATERAL (VALUES ${checks.map((c) => c.replace(/p_(\w+?)\.(ok|reason)/g, 'r.p_$1_$2')).join(', ')}) AS x(ord, col, reason) WHERE x.reason IS NOT NULL`);
  // A legacy id given twice: the second refused (rows with problems of their own do not count).
  await trx.raw(`INSERT INTO legacy_problems
    SELECT line, 2000, 'legacy_id', '"' || c_legacy_id || '" is given twice in this file (first on line ' || first || ')'
      FROM (SELECT line, c_legacy_id, min(line) OVER (PARTITION BY c_legacy_id) AS first FROM legacy_rows r
             WHERE c_legacy_id IN (SELECT c_legacy_id FROM legacy_rows r WHERE NOT EXISTS (SELECT 1 FROM legacy_problems x WHERE x.line = r.line) GROUP BY 1 HAVING count(*) > 1)
               AND NOT EXISTS (SELECT 1 FROM legacy_problems x WHERE x.line = r.line)) d
     WHERE line <> first`);

  // The digest of parseRow (md5 of the JSON array of the values in format order, base64url), over
  // the columns c_* (as given) and j_* (parsed, as JSON) of legacy_plan; written with the plan only
  // where a record exists to compare with, else when the record is written.
  const plainJson = !hasJsonEscapes(body);
  const element = (c: Column) =>
    PARSED.includes(c)
      ? `coalesce(j_${c}, 'null')`
      : plainJson
        ? `coalesce('"' || ${ident(c)} || '"', 'null')`
        : `coalesce(to_json(${ident(c)})::text, 'null')`;
  const digest = `rtrim(translate(encode(decode(md5('[' || ${COLUMNS.map(element).join(` || ',' || `)} || ']'), 'hex'), 'base64'), '+/', '-_'), '=')`;
  const pendingCourses = [...pending.courses].map(([legacyId, c]) => ({
    legacy_id: legacyId,
    clock_hours: c.clockHours,
  }));
  const pendingKeys = [...pending.courseKeys].map(([key, c]) => {
    const [title, sponsor, topic] = key.split('\u0000');
    return { title, sponsor, topic, clock_hours: c.clockHours };
  });
  await trx.raw(
    `CREATE TEMP TABLE legacy_plan ON COMMIT DROP AS
     WITH resolved AS (
       SELECT r.line, r.c_legacy_id AS legacy_id, r.c_person_legacy_id AS person_legacy_id, ${p('mopd_id')}.value AS mopd_id,
              r.c_course_legacy_id AS course_legacy_id, r.c_course_title AS course_title, r.c_course_sponsor AS course_sponsor, r.c_course_topic AS course_topic,
              ${p('completed_on')}.value::date AS completed_on, ${p('hours')}.value::numeric AS hours, ${p('hours')}.value AS hours_text,
              coalesce(pl.id, pm.id) AS person_id,
              (pl.id IS NOT NULL OR pm.id IS NOT NULL OR (r.c_person_legacy_id IS NOT NULL AND r.c_person_legacy_id = ANY(ARRAY(SELECT jsonb_array_elements_text(?::jsonb)))) OR (r.c_person_legacy_id IS NULL AND ${p('mopd_id')}.value = ANY(ARRAY(SELECT jsonb_array_elements_text(?::jsonb))))) AS person_found,
              coalesce(cl.id, ck.id) AS course_id,
              coalesce(cl.clock_hours, ck.clock_hours, pc.clock_hours, pk.clock_hours) AS clock_hours,
              tr.id AS existing_id, tr.legacy_hash AS existing_hash,
              ${COLUMNS.map((c) => `r.${ident(c)}`).join(', ')}, ${PARSED.map((c) => `${p(c)}.json AS j_${c}`).join(', ')}
         FROM legacy_rows r ${joins}
         LEFT JOIN professionals pl ON r.c_person_legacy_id IS NOT NULL AND pl.legacy_system = ? AND pl.legacy_id = r.c_person_legacy_id
         LEFT JOIN professionals pm ON r.c_person_legacy_id IS NULL AND pm.mopd_id = ${p('mopd_id')}.value
         LEFT JOIN courses cl ON r.c_course_legacy_id IS NOT NULL AND cl.legacy_system = ? AND cl.legacy_id = r.c_course_legacy_id
         LEFT JOIN (SELECT DISTINCT ON (lower(title), lower(sponsor), topic) id, lower(title) AS title, lower(sponsor) AS sponsor, topic, clock_hours FROM courses ORDER BY lower(title), lower(sponsor), topic, id) ck
                ON r.c_course_legacy_id IS NULL AND ck.title = lower(r.c_course_title) AND ck.sponsor = lower(r.c_course_sponsor) AND ck.topic = r.c_course_topic
         LEFT JOIN jsonb_to_recordset(?::jsonb) AS pc(legacy_id text, clock_hours numeric) ON r.c_course_legacy_id IS NOT NULL AND pc.legacy_id = r.c_course_legacy_id
         LEFT JOIN jsonb_to_recordset(?::jsonb) AS pk(title text, sponsor text, topic text, clock_hours numeric)
                ON r.c_course_legacy_id IS NULL AND pk.title = lower(r.c_course_title) AND pk.sponsor = lower(r.c_course_sponsor) AND pk.topic = r.c_course_topic
         LEFT JOIN training_records tr ON tr.legacy_system = ? AND tr.legacy_id = r.c_legacy_id
        WHERE NOT EXISTS (SELECT 1 FROM legacy_problems x WHERE x.line = r.line)
     )
     -- The digest once per row (OFFSET 0 keeps the planner from writing its expression into each use).
     , hashed AS (SELECT *, CASE WHEN existing_id IS NOT NULL THEN ${digest} END AS hash FROM resolved OFFSET 0)
     SELECT *,
            CASE WHEN NOT person_found THEN (CASE WHEN person_legacy_id IS NOT NULL THEN 'person_legacy_id' ELSE 'mopd_id' END)
                 WHEN clock_hours IS NULL THEN (CASE WHEN course_legacy_id IS NOT NULL THEN 'course_legacy_id' ELSE 'course_title' END)
                 WHEN hours > clock_hours THEN 'hours' END AS problem_column,
            CASE WHEN NOT person_found THEN (CASE WHEN person_legacy_id IS NOT NULL THEN 'no person with legacy id "' || person_legacy_id || '" in professionals.csv or the registry' ELSE 'no person with MOPD ID ' || mopd_id END)
                 WHEN clock_hours IS NULL THEN (CASE WHEN course_legacy_id IS NOT NULL THEN 'no course with legacy id "' || course_legacy_id || '" in courses.csv or the registry'
                                                     ELSE 'no course "' || course_title || '" by ' || course_sponsor || ' on ' || course_topic || ' in the registry' END)
                 WHEN hours > clock_hours THEN hours_text || ' hours is more than the course''s ' || trim_scale(clock_hours)::text || ' clock hours' END AS problem,
            CASE WHEN NOT person_found OR clock_hours IS NULL OR hours > clock_hours THEN 'rejected'
                 WHEN existing_id IS NULL THEN 'create' WHEN existing_hash = hash THEN 'unchanged' ELSE 'update' END AS action
       FROM hashed`,
    [
      JSON.stringify([...pending.professionals]),
      JSON.stringify([...pending.mopdIds]),
      system,
      system,
      JSON.stringify(pendingCourses),
      JSON.stringify(pendingKeys),
      system,
    ],
  );
  await trx.raw('ANALYZE legacy_plan');
  await trx.raw(
    `INSERT INTO legacy_problems SELECT line, 3000, problem_column, problem FROM legacy_plan WHERE action = 'rejected'`,
  );

  const counts = Object.fromEntries(
    (
      await trx.raw<{ rows: Array<{ action: string; n: string }> }>(
        'SELECT action, count(*) AS n FROM legacy_plan GROUP BY action',
      )
    ).rows.map((r) => [r.action, Number(r.n)]),
  );
  planned.set(trx, digest);
  const { rows: listed } = await trx.raw<{ rows: Array<{ line: string; col: string; reason: string }> }>(
    `SELECT line, col, reason FROM legacy_problems ORDER BY line, ord LIMIT ${MAX_LISTED}`,
  );
  const rejectedCount = Number(
    (await trx.raw<{ rows: Array<{ n: string }> }>('SELECT count(DISTINCT line) AS n FROM legacy_problems')).rows[0]!.n,
  );
  // Records imported before whose rows changed (compared by digest, so no column is named).
  const { rows: updated } = counts.update
    ? await trx.raw<{ rows: Array<{ line: string; legacy_id: string }> }>(
        `SELECT line, legacy_id FROM legacy_plan WHERE action = 'update' ORDER BY line LIMIT ${MAX_LISTED}`,
      )
    : { rows: [] };
  return {
    kind: 'training',
    rows,
    create: counts.create ?? 0,
    update: counts.update ?? 0,
    unchanged: counts.unchanged ?? 0,
    rejected: listed.map((r) => ({ line: Number(r.line), column: r.col, reason: r.reason })),
    rejectedCount,
    updates: updated.map((r) => ({
      line: Number(r.line),
      record: `training record "${r.legacy_id}"`,
      matchedBy: 'legacyId' as const,
      changes: [],
    })),
  };
}

/** The version in effect on a day; completions before the first version are judged by the first. */
function versionOn(timeline: VersionInEffect[], day: string): VersionInEffect {
  let chosen = timeline[0]!;
  for (const version of timeline) if (version.from <= day) chosen = version;
  return chosen;
}

/**
 * Writes the plan `planTrainingFile` left in the transaction: credit decided per distinct
 * situation, then one INSERT … SELECT for the new records and one UPDATE … FROM for the changed.
 * The once-a-year rules count earlier credited completions of the same course in the same year
 * (registry and file, in completion order), so rows are decided level by level: the n-th
 * completion of a (person, course, year) after the n-1 before it.
 */
export async function writeTrainingFile(
  trx: Db,
  system: string,
  progress: (rows: number) => Promise<void>,
): Promise<Set<number>> {
  const digest = planned.get(trx);
  if (digest === undefined)
    throw new Error('writeTrainingFile needs the plan of planTrainingFile in the same transaction');
  const { rows: people } = await trx.raw<{ rows: Array<{ id: string }> }>(
    `SELECT DISTINCT person_id AS id FROM legacy_plan WHERE action IN ('create', 'update')`,
  );
  if (people.length === 0) return new Set();
  const today = localDateOf(new Date());
  const timeline = await ruleSetTimeline(trx, COMPLIANCE_RULE_SET, today);
  const memos = new Map(timeline.map((t) => [t.rules.version, new CreditMemo(t.rules)]));

  await trx.raw(
    'DROP TABLE IF EXISTS legacy_credit, legacy_registry, legacy_groups, legacy_decisions, legacy_situations, legacy_decided',
  );
  await trx.raw(`CREATE TEMP TABLE legacy_credit ON COMMIT DROP AS
    SELECT line, action, existing_id, person_id, course_id, completed_on, hours, coalesce(hash, ${digest}) AS hash, legacy_id, date_part('year', completed_on)::int AS yr, 0 AS registry_before, 1 AS lvl, 1 AS size
      FROM legacy_plan WHERE action IN ('create', 'update')`);
  await trx.raw('ANALYZE legacy_credit');
  // Completions of one course by one person in one year, where there are several, numbered in
  // completion order (sorting only those, and only the columns that order them).
  await trx.raw(`UPDATE legacy_credit c SET lvl = w.lvl, size = w.size FROM (
      SELECT line, row_number() OVER g AS lvl, count(*) OVER g AS size FROM legacy_credit
       WHERE (person_id, course_id, yr) IN (SELECT person_id, course_id, yr FROM legacy_credit GROUP BY 1, 2, 3 HAVING count(*) > 1)
      WINDOW g AS (PARTITION BY person_id, course_id, yr ORDER BY completed_on, line ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)) w
    WHERE w.line = c.line`);
  await trx.raw('CREATE INDEX ON legacy_credit (lvl)');
  // Credited completions already in the registry (records this file updates excepted).
  await trx.raw(`CREATE TEMP TABLE legacy_registry ON COMMIT DROP AS
    SELECT r.professional_id AS person_id, r.course_id, r.completed_on FROM training_records r
      JOIN (SELECT DISTINCT person_id, course_id FROM legacy_credit) k ON k.person_id = r.professional_id AND k.course_id = r.course_id
     WHERE r.credited_hours > 0 AND NOT EXISTS (SELECT 1 FROM legacy_credit u WHERE u.action = 'update' AND u.existing_id = r.id)`);
  if (
    Number((await trx.raw<{ rows: Array<{ n: string }> }>('SELECT count(*) AS n FROM legacy_registry')).rows[0]!.n) > 0
  ) {
    await trx.raw(`UPDATE legacy_credit c SET registry_before = x.n FROM (
      SELECT c.line, count(*) AS n FROM legacy_credit c JOIN legacy_registry r ON r.person_id = c.person_id AND r.course_id = c.course_id AND date_part('year', r.completed_on) = c.yr AND r.completed_on <= c.completed_on GROUP BY c.line) x
      WHERE x.line = c.line`);
  }
  await trx.raw(
    'CREATE TEMP TABLE legacy_groups (person_id bigint, course_id bigint, yr int, credited int, PRIMARY KEY (person_id, course_id, yr)) ON COMMIT DROP',
  );
  // The decisions themselves are few (one per combination of fired rules and hours); the
  // situations, many, each name theirs by number and go in by COPY.
  await trx.raw(
    'CREATE TEMP TABLE legacy_decisions (id int PRIMARY KEY, credited_hours numeric, rule_set text, version int, reasons jsonb) ON COMMIT DROP',
  );
  await trx.raw(
    'CREATE TEMP TABLE legacy_situations (course_id bigint, completed_on date, hours numeric, before int, decision int, UNIQUE (course_id, completed_on, hours, before)) ON COMMIT DROP',
  );
  await trx.raw('CREATE TEMP TABLE legacy_decided (line bigint, decision int) ON COMMIT DROP');
  const numbered = new Map<CreditDecision, number>();
  const byContent = new Map<string, number>();
  const numberOf = (decision: CreditDecision, fresh: CreditDecision[]): number => {
    let id = numbered.get(decision);
    if (id !== undefined) return id;
    const content = JSON.stringify(decision);
    id = byContent.get(content);
    if (id === undefined) {
      id = byContent.size + 1;
      byContent.set(content, id);
      fresh.push(decision);
    }
    numbered.set(decision, id);
    return id;
  };

  const courses = new Map<number, CourseRow>(
    (await trx('courses').whereRaw('id IN (SELECT DISTINCT course_id FROM legacy_credit)')).map((c: CourseRow) => [
      Number(c.id),
      c,
    ]),
  );
  // The situation names the course and the day, so the trainer's certification is part of it.
  const certified = await trainerCertificationsOf(trx, courses.values());
  const levels = Number(
    (await trx.raw<{ rows: Array<{ n: string }> }>('SELECT max(lvl) AS n FROM legacy_credit')).rows[0]!.n,
  );
  const sameSituation =
    's.course_id = l.course_id AND s.completed_on = l.completed_on AND s.hours = l.hours AND s.before = l.before';
  for (let level = 1; level <= levels; level++) {
    await trx.raw('DROP TABLE IF EXISTS legacy_level');
    await trx.raw(
      `CREATE TEMP TABLE legacy_level ON COMMIT DROP AS
       SELECT c.line, c.person_id, c.course_id, c.yr, c.size, c.completed_on, c.hours, c.registry_before + coalesce(g.credited, 0) AS before
         FROM legacy_credit c LEFT JOIN legacy_groups g ON g.person_id = c.person_id AND g.course_id = c.course_id AND g.yr = c.yr
        WHERE c.lvl = ?`,
      [level],
    );
    await trx.raw('ANALYZE legacy_level');
    // The situations not decided yet at an earlier level, each decided once.
    const { rows: situations } = await trx.raw<{
      rows: Array<{ course_id: string; completed_on: string; hours: string; before: number }>;
    }>(
      `SELECT DISTINCT l.course_id, to_char(l.completed_on, 'YYYY-MM-DD') AS completed_on, l.hours::text AS hours, l.before::int AS before FROM legacy_level l
        WHERE NOT EXISTS (SELECT 1 FROM legacy_situations s WHERE ${sameSituation})`,
    );
    const fresh: CreditDecision[] = [];
    let lines = '';
    for (const s of situations) {
      const course = courses.get(Number(s.course_id))!;
      const version = versionOn(timeline, s.completed_on);
      const decision = await memos.get(version.rules.version)!.decide({
        training: trainingOf(course, {
          completedOn: s.completed_on,
          hours: Number(s.hours),
          source: 'legacy_import',
          trainerHasInstructorCertification: certified(course, s.completed_on),
        }),
        history: { creditedCompletionsOfCourseThisYear: s.before, overlapsAnotherCourseInProgress: false },
      });
      lines += `${s.course_id}\t${s.completed_on}\t${s.hours}\t${s.before}\t${numberOf(decision, fresh)}\n`;
    }
    if (fresh.length > 0) {
      const first = byContent.size - fresh.length + 1;
      await trx.raw(
        `INSERT INTO legacy_decisions (id, credited_hours, rule_set, version, reasons)
         SELECT ? + ordinality - 1, (d->>'creditedHours')::numeric, d->>'ruleSet', (d->>'version')::int, d->'reasons' FROM jsonb_array_elements(?::jsonb) WITH ORDINALITY AS x(d, ordinality)`,
        [first, JSON.stringify(fresh)],
      );
    }
    // Numbers, dates and decision numbers only: nothing COPY's text format would escape.
    if (lines)
      await copyIn(trx, 'COPY legacy_situations (course_id, completed_on, hours, before, decision) FROM STDIN', lines);
    if (lines) await trx.raw('ANALYZE legacy_situations');
    await trx.raw(
      `INSERT INTO legacy_decided SELECT l.line, s.decision FROM legacy_level l JOIN legacy_situations s ON ${sameSituation}`,
    );
    if (level < levels) {
      await trx.raw(
        `INSERT INTO legacy_groups SELECT l.person_id, l.course_id, l.yr, 1 FROM legacy_level l JOIN legacy_situations s ON ${sameSituation} JOIN legacy_decisions d ON d.id = s.decision
                      WHERE l.size > ? AND d.credited_hours > 0
                     ON CONFLICT (person_id, course_id, yr) DO UPDATE SET credited = legacy_groups.credited + 1`,
        [level],
      );
    }
  }

  const source = `SELECT c.*, d.credited_hours, d.rule_set, d.version, d.reasons, co.title, co.topic, co.cpr_model
    FROM legacy_credit c JOIN legacy_decided x ON x.line = c.line JOIN legacy_decisions d ON d.id = x.decision JOIN courses co ON co.id = c.course_id`;
  const created = await trx.raw<{ rowCount: number }>(
    `INSERT INTO training_records (professional_id, course_id, title, topic, completed_on, hours, source, credited_hours, credit_rule_set, credit_rule_set_version, credit_reasons, cpr_model, legacy_system, legacy_id, legacy_hash)
     SELECT person_id, course_id, title, topic, completed_on, hours, 'legacy_import', credited_hours, rule_set, version, reasons, cpr_model, ?, legacy_id, hash
       FROM (${source}) s WHERE action = 'create'`,
    [system],
  );
  if (created.rowCount > 0) await progress(created.rowCount);
  const updated = await trx.raw<{ rowCount: number }>(
    `UPDATE training_records t SET professional_id = s.person_id, course_id = s.course_id, title = s.title, topic = s.topic, completed_on = s.completed_on, hours = s.hours,
            credited_hours = s.credited_hours, credit_rule_set = s.rule_set, credit_rule_set_version = s.version, credit_reasons = s.reasons, cpr_model = s.cpr_model, legacy_hash = s.hash
       FROM (${source}) s WHERE s.action = 'update' AND t.id = s.existing_id`,
  );
  if (updated.rowCount > 0) await progress(updated.rowCount);
  return new Set(people.map((r) => Number(r.id)));
}
