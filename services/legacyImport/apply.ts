/**
 * Writing one planned file: creates and updates, each row stamped with its legacy system, id and
 * digest. Training records are credited by the rule set in effect on their completion date, with
 * source 'legacy_import', and written with one INSERT … SELECT FROM unnest(…) per 20,000 rows.
 */
import type { Knex } from 'knex';
import type { Db } from '../../db/connection.js';
import { ruleSetTimeline, type VersionInEffect } from '../../db/ruleSets.js';
import type { CourseRow } from '../../db/rows.js';
import { COMPLIANCE_RULE_SET } from '../../rules/versions/index.js';
import { trainerCertificationsOf, trainingOf } from '../credit.js';
import { CreditMemo } from './creditMemo.js';
import type { FilePlan, PlannedRow, PlannedUpdate } from './plan.js';
import { tableOf } from './plan.js';
import type { ImportKind } from './formats.js';
import { isWorkshopKind, writeWorkshopFile, type ImportWorkflows } from './workshop.js';

import { regionOfCounty } from '../../rules/counties.js';
import { localDateOf } from '../../rules/dates.js';

const CHUNK = 20_000;

/** The region a Missouri county is in, for reports and search; nothing when the county is not one (a region set in MOPD stays). */
function regionOf(county: unknown): { region?: string } {
  const region = regionOfCounty(typeof county === 'string' ? county : null);
  return region ? { region } : {};
}

/** The registry columns a row of each kind sets (besides the legacy stamp and references). */
function columnsOf(kind: ImportKind, p: PlannedRow): Record<string, unknown> {
  const v = p.row.values;
  switch (kind) {
    case 'organizations':
      return {
        name: v.name,
        license_number: v.license_number,
        licensed: v.licensed,
        subsidized: v.subsidized,
        serves_infants: v.serves_infants ?? false,
        contract_year_start_month: v.contract_year_start_month,
        county: v.county,
        ...regionOf(v.county),
      };
    case 'professionals':
      return {
        first_name: v.first_name,
        last_name: v.last_name,
        email: v.email,
        phone: v.phone,
        birth_date: v.birth_date,
        county: v.county,
        zip: v.zip,
        ...regionOf(v.county),
      };
    case 'courses':
      return {
        title: v.title,
        sponsor: v.sponsor,
        topic: v.topic,
        delivery: v.delivery,
        clock_hours: v.clock_hours,
        in_person_hours: v.in_person_hours,
        cpr_model: v.cpr_model,
        approved: v.approved,
      };
    case 'education':
      return {
        professional_id: p.refs.professionalId,
        kind: v.kind,
        title: v.title,
        institution: v.institution ?? '',
        field: v.field ?? '',
        degree_level: v.degree_level,
        credit_hours: v.credit_hours,
        completed_on: v.completed_on,
      };
    case 'employment':
      return {
        professional_id: p.refs.professionalId,
        organization_id: p.refs.organizationId,
        role: v.role,
        hire_date: v.hire_date,
        end_date: v.end_date,
      };
    case 'training':
      throw new Error('training rows are written by writeTraining');
    default:
      throw new Error(`${kind} rows are written by writeWorkshopFile`);
  }
}

const MAX_UPDATES_LISTED = 1000;

/** A value as the preview compares it with the row's: blank and null alike, dates as days. */
const comparable = (value: unknown) =>
  value === null || value === undefined ? '' : value instanceof Date ? value.toISOString().slice(0, 10) : String(value);

function labelOf(kind: ImportKind, row: Record<string, unknown>): string {
  switch (kind) {
    case 'professionals':
      return `${row.mopd_id} (${row.first_name} ${row.last_name})`;
    case 'organizations':
      return row.license_number ? `${row.name} (license ${row.license_number})` : String(row.name);
    case 'courses':
      return `${row.title} by ${row.sponsor}`;
    default:
      return `${kind} record ${row.id} (legacy id ${row.legacy_id})`;
  }
}

const LINKED_BY: Partial<Record<ImportKind, PlannedUpdate['matchedBy']>> = {
  professionals: 'mopdId',
  organizations: 'licenseNumber',
  courses: 'course',
};

/**
 * For the preview, what each planned update changes: the record as MOPD knows it, whether it was
 * matched by its legacy id or is one MOPD already had (by MOPD ID, license number or course), and
 * the columns whose values differ, so an admin sees a mistyped MOPD ID before it renames someone.
 */
export async function describeUpdates(
  db: Db,
  system: string,
  kind: ImportKind,
  planned: PlannedRow[],
): Promise<PlannedUpdate[]> {
  if (isWorkshopKind(kind)) return [];
  const updates = planned.filter((p) => p.action === 'update' && p.id !== undefined).slice(0, MAX_UPDATES_LISTED);
  if (updates.length === 0) return [];
  // Training records are compared by digest, as the set-based way reports them.
  if (kind === 'training')
    return updates.map((p) => ({
      line: p.row.line,
      record: `training record "${p.row.values.legacy_id}"`,
      matchedBy: 'legacyId',
      changes: [],
    }));
  const rows = new Map<number, Record<string, unknown>>(
    (
      await db(tableOf(kind)).whereIn(
        'id',
        updates.map((p) => p.id!),
      )
    ).map((r: Record<string, unknown>) => [Number(r.id), r]),
  );
  return updates.map((p) => {
    const existing = rows.get(p.id!)!;
    const columns = Object.entries(columnsOf(kind, p)).filter(([, value]) => value !== undefined);
    const byLegacyId = existing.legacy_system === system && existing.legacy_id === p.row.values.legacy_id;
    return {
      line: p.row.line,
      record: labelOf(kind, existing),
      matchedBy: byLegacyId ? 'legacyId' : (LINKED_BY[kind] ?? 'legacyId'),
      changes: columns
        .filter(([column, value]) => comparable(existing[column]) !== comparable(value))
        .map(([column]) => column),
    };
  });
}

export interface Written {
  /** People whose compliance may have changed. */
  professionalIds: Set<number>;
}

/** Writes a planned file in the caller's transaction; `progress` hears each chunk's row count. */
export async function writeFile(
  trx: Db,
  system: string,
  kind: ImportKind,
  plan: FilePlan,
  progress: (rows: number) => Promise<void>,
  workflows?: ImportWorkflows,
): Promise<Written> {
  const professionalIds = new Set<number>();
  if (isWorkshopKind(kind)) {
    if (!workflows) throw new Error(`Applying ${kind} starts workflows: give the import a Temporal gateway`);
    await writeWorkshopFile(trx as Knex.Transaction, system, kind, plan.planned, progress, workflows);
    return { professionalIds };
  }
  if (kind === 'training') {
    await writeTraining(trx, system, plan.planned, progress, professionalIds);
    return { professionalIds };
  }
  const table = tableOf(kind);
  const stamp = (p: PlannedRow) => ({
    legacy_system: system,
    legacy_id: p.row.values.legacy_id,
    legacy_hash: p.row.hash,
  });
  const creates = plan.planned.filter((p) => p.action === 'create');
  for (let i = 0; i < creates.length; i += 1000) {
    const chunk = creates.slice(i, i + 1000);
    const rows = chunk.map((p) => {
      const row: Record<string, unknown> = { ...columnsOf(kind, p), ...stamp(p) };
      if (kind === 'professionals')
        row.mopd_id = p.row.values.mopd_id ?? trx.raw("'MO' || lpad(nextval('mopd_id_seq')::text, 7, '0')");
      return row;
    });
    const inserted: Array<{ id: number }> = await trx(table).insert(rows).returning('id');
    if (kind === 'professionals') for (const r of inserted) professionalIds.add(Number(r.id));
    if (kind === 'education' || kind === 'employment')
      for (const p of chunk) professionalIds.add(p.refs.professionalId!);
    await progress(chunk.length);
  }
  for (const p of plan.planned.filter((x) => x.action === 'update')) {
    await trx(table)
      .where({ id: p.id })
      .update({ ...columnsOf(kind, p), ...stamp(p) });
    if (kind === 'professionals') professionalIds.add(p.id!);
    if (kind === 'education' || kind === 'employment') professionalIds.add(p.refs.professionalId!);
    await progress(1);
  }
  if (kind === 'professionals') {
    // Kept MOPD IDs must never be issued again: the sequence moves past the highest one.
    await trx.raw(
      `SELECT setval('mopd_id_seq', GREATEST((SELECT last_value FROM mopd_id_seq), (SELECT coalesce(max(substr(mopd_id, 3)::bigint), 0) FROM professionals)))`,
    );
  }
  return { professionalIds };
}

/** The version in effect on a day; completions before the first version are judged by the first. */
function versionOn(timeline: VersionInEffect[], day: string): VersionInEffect {
  let chosen = timeline[0]!;
  for (const version of timeline) if (version.from <= day) chosen = version;
  return chosen;
}

async function writeTraining(
  trx: Db,
  system: string,
  planned: PlannedRow[],
  progress: (rows: number) => Promise<void>,
  professionalIds: Set<number>,
): Promise<void> {
  if (planned.length === 0) return;
  const today = localDateOf(new Date());
  const timeline = await ruleSetTimeline(trx, COMPLIANCE_RULE_SET, today);
  const memos = new Map(timeline.map((t) => [t.rules.version, new CreditMemo(t.rules)]));
  const courseIds = [...new Set(planned.map((p) => p.refs.courseId!))];
  const courses = new Map<number, CourseRow>(
    (await trx('courses').whereIn('id', courseIds)).map((c: CourseRow) => [Number(c.id), c]),
  );
  const certified = await trainerCertificationsOf(trx, courses.values());
  // Earlier credited completions of the same course in the same year (the once-a-year rules), from
  // the registry and from this file in completion order.
  const people = [...new Set(planned.map((p) => p.refs.professionalId!))];
  const updated = planned.filter((p) => p.action === 'update').map((p) => p.id!);
  const credited = new Map<string, string[]>();
  const keyOf = (person: number, course: number, day: string) => `${person}:${course}:${day.slice(0, 4)}`;
  const { rows: earlier } = await trx.raw<{
    rows: Array<{ professional_id: string; course_id: string; completed_on: string }>;
  }>(
    `SELECT professional_id, course_id, to_char(completed_on, 'YYYY-MM-DD') AS completed_on FROM training_records
      WHERE professional_id = ANY(ARRAY(SELECT jsonb_array_elements_text(?::jsonb)::bigint)) AND course_id = ANY(ARRAY(SELECT jsonb_array_elements_text(?::jsonb)::bigint)) AND credited_hours > 0 AND NOT (id = ANY(ARRAY(SELECT jsonb_array_elements_text(?::jsonb)::bigint)))`,
    [JSON.stringify(people), JSON.stringify(courseIds), JSON.stringify(updated)],
  );
  for (const r of earlier) {
    const key = keyOf(Number(r.professional_id), Number(r.course_id), r.completed_on);
    (credited.get(key) ?? credited.set(key, []).get(key)!).push(r.completed_on);
  }
  const ordered = [...planned].sort((a, b) =>
    (a.row.values.completed_on as string) < (b.row.values.completed_on as string)
      ? -1
      : (a.row.values.completed_on as string) > (b.row.values.completed_on as string)
        ? 1
        : a.row.line - b.row.line,
  );
  const columns = {
    professional_id: [] as number[],
    course_id: [] as number[],
    title: [] as string[],
    topic: [] as string[],
    completed_on: [] as string[],
    hours: [] as number[],
    credited_hours: [] as number[],
    credit_rule_set_version: [] as number[],
    credit_reasons: [] as string[],
    cpr_model: [] as Array<string | null>,
    legacy_id: [] as string[],
    legacy_hash: [] as string[],
  };
  const flush = async () => {
    const n = columns.legacy_id.length;
    if (n === 0) return;
    const rows = Array.from({ length: n }, (_, i) => ({
      p: columns.professional_id[i],
      c: columns.course_id[i],
      t: columns.title[i],
      tp: columns.topic[i],
      d: columns.completed_on[i],
      h: columns.hours[i],
      ch: columns.credited_hours[i],
      v: columns.credit_rule_set_version[i],
      r: columns.credit_reasons[i],
      m: columns.cpr_model[i],
      l: columns.legacy_id[i],
      lh: columns.legacy_hash[i],
    }));
    // One parameter (a JSON array) per chunk: knex would spread a JS array into a list of parameters.
    await trx.raw(
      `INSERT INTO training_records (professional_id, course_id, title, topic, completed_on, hours, source, credited_hours, credit_rule_set, credit_rule_set_version, credit_reasons, cpr_model, legacy_system, legacy_id, legacy_hash)
       SELECT p, c, t, tp, d, h, 'legacy_import', ch, ?, v, r::jsonb, m, ?, l, lh
         FROM jsonb_to_recordset(?::jsonb) AS x(p bigint, c bigint, t text, tp text, d date, h numeric, ch numeric, v int, r text, m text, l text, lh text)`,
      [COMPLIANCE_RULE_SET, system, JSON.stringify(rows)],
    );
    for (const list of Object.values(columns)) list.length = 0;
    await progress(n);
  };
  for (const p of ordered) {
    const course = courses.get(p.refs.courseId!)!;
    const person = p.refs.professionalId!;
    const completedOn = p.row.values.completed_on as string;
    const hours = p.row.values.hours as number;
    const key = keyOf(person, course.id, completedOn);
    const before = credited.get(key)?.filter((d) => d <= completedOn).length ?? 0;
    const version = versionOn(timeline, completedOn);
    const decision = await memos.get(version.rules.version)!.decide({
      training: trainingOf(course, {
        completedOn,
        hours,
        source: 'legacy_import',
        trainerHasInstructorCertification: certified(course, completedOn),
      }),
      history: { creditedCompletionsOfCourseThisYear: before, overlapsAnotherCourseInProgress: false },
    });
    if (decision.creditedHours > 0) (credited.get(key) ?? credited.set(key, []).get(key)!).push(completedOn);
    professionalIds.add(person);
    if (p.action === 'update') {
      await trx('training_records')
        .where({ id: p.id })
        .update({
          professional_id: person,
          course_id: course.id,
          title: course.title,
          topic: course.topic,
          completed_on: completedOn,
          hours,
          credited_hours: decision.creditedHours,
          credit_rule_set: decision.ruleSet,
          credit_rule_set_version: decision.version,
          credit_reasons: JSON.stringify(decision.reasons),
          cpr_model: course.cpr_model,
          legacy_hash: p.row.hash,
        });
      await progress(1);
      continue;
    }
    columns.professional_id.push(person);
    columns.course_id.push(course.id);
    columns.title.push(course.title);
    columns.topic.push(course.topic);
    columns.completed_on.push(completedOn);
    columns.hours.push(hours);
    columns.credited_hours.push(decision.creditedHours);
    columns.credit_rule_set_version.push(decision.version);
    columns.credit_reasons.push(JSON.stringify(decision.reasons));
    columns.cpr_model.push(course.cpr_model);
    columns.legacy_id.push(p.row.values.legacy_id);
    columns.legacy_hash.push(p.row.hash);
    if (columns.legacy_id.length >= CHUNK) await flush();
  }
  await flush();
}
