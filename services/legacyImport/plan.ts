/**
 * What a file of a legacy batch does to the registry, decided against the registry as it stands
 * (and, in a preview, the rows earlier files of the same batch would create): each row is created,
 * updated (its legacy id is known and the row changed, or it names a record MOPD already has by
 * MOPD ID, license number or course title), unchanged (same legacy id, same content) or rejected
 * with its line, column and reason.
 */
import type { Db } from '../../db/connection.js';
import type { ImportKind, ParsedFile, ParsedRow, Problem } from './formats.js';
import { normalizedName, similarNames } from './formats.js';
import { isWorkshopKind, planWorkshopRows, type WorkshopPending, type WorkshopRefs } from './workshop.js';

export interface FileReport {
  kind: ImportKind;
  rows: number;
  create: number;
  update: number;
  unchanged: number;
  /** The first 1,000 problems; `rejectedCount` tells how many rows in all. */
  rejected: Problem[];
  rejectedCount: number;
  /** In a preview, the first 1,000 updates: which record each changes, how it was matched, and what changes. */
  updates?: PlannedUpdate[];
}

/** An update the preview shows before anything is written. */
export interface PlannedUpdate {
  line: number;
  /** The registry record, as people know it ("MO0004211 (Katherine Smith)"). */
  record: string;
  /** By its legacy id (imported before), or a record MOPD already had matched by MOPD ID, license number or course. */
  matchedBy: 'legacyId' | 'mopdId' | 'licenseNumber' | 'course';
  /** The columns whose values change (none listed for training records, compared by digest). */
  changes: string[];
}
export type BatchReport = Record<string, FileReport>;

export interface CourseFacts {
  id: number | null;
  clockHours: number;
}

/** What earlier files of a batch would create, for a preview (in an apply they are in the registry). */
export interface Pending extends WorkshopPending {
  organizations: Set<string>;
  licenses: Set<string>;
  professionals: Set<string>;
  mopdIds: Set<string>;
  courses: Map<string, CourseFacts>;
  /** Courses by title, sponsor and topic. */
  courseKeys: Map<string, CourseFacts>;
}
export const noPending = (): Pending => ({
  organizations: new Set(),
  licenses: new Set(),
  professionals: new Set(),
  mopdIds: new Set(),
  courses: new Map(),
  courseKeys: new Map(),
  trainerApplications: new Set(),
  knownCourses: new Map(),
});

export interface PlannedRow {
  row: ParsedRow;
  action: 'create' | 'update';
  /** The registry row updated. */
  id?: number;
  /** References resolved to registry ids (null when created earlier in the same preview). */
  refs: WorkshopRefs & { organizationId?: number | null };
}

export interface FilePlan {
  report: FileReport;
  planned: PlannedRow[];
}

const TABLE: Record<ImportKind, string> = {
  organizations: 'organizations',
  professionals: 'professionals',
  courses: 'courses',
  trainer_applications: 'cases',
  course_applications: 'cases',
  events: 'events',
  education: 'education',
  employment: 'employments',
  training: 'training_records',
};
export const tableOf = (kind: ImportKind) => TABLE[kind];

const MAX_LISTED = 1000;
const courseKey = (title: unknown, sponsor: unknown, topic: unknown) =>
  `${String(title).toLowerCase()}\u0000${String(sponsor).toLowerCase()}\u0000${String(topic)}`;

/** Registry rows of a table carrying these legacy ids of the system. */
async function byLegacyId(
  db: Db,
  table: string,
  system: string,
  ids: string[],
): Promise<Map<string, { id: number; hash: string | null }>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.raw<{ rows: Array<{ id: string; legacy_id: string; legacy_hash: string | null }> }>(
    `SELECT id, legacy_id, legacy_hash FROM ${table} WHERE legacy_system = ? AND legacy_id = ANY(ARRAY(SELECT jsonb_array_elements_text(?::jsonb)::text))`,
    [system, JSON.stringify(ids)],
  );
  return new Map(rows.map((r) => [r.legacy_id, { id: Number(r.id), hash: r.legacy_hash }]));
}

const distinct = (values: unknown[]) => [...new Set(values.filter((v): v is string => typeof v === 'string'))];

export async function planFile(
  db: Db,
  system: string,
  name: string,
  file: ParsedFile,
  pending: Pending,
): Promise<FilePlan> {
  const report: FileReport = {
    kind: file.kind,
    rows: file.count,
    create: 0,
    update: 0,
    unchanged: 0,
    rejected: [],
    rejectedCount: 0,
  };
  const rejectedLines = new Set<number>();
  const reject = (problem: Problem) => {
    if (report.rejected.length < MAX_LISTED) report.rejected.push(problem);
    rejectedLines.add(problem.line);
  };
  for (const problem of file.problems) reject(problem);
  const planned: PlannedRow[] = [];
  // Imported cases and events are looked up by `workshop.ts` (a case's legacy id is unique per case type).
  const existing = isWorkshopKind(file.kind)
    ? new Map<string, { id: number; hash: string | null }>()
    : await byLegacyId(
        db,
        TABLE[file.kind],
        system,
        file.rows.map((r) => r.values.legacy_id),
      );
  const decideExisting = (row: ParsedRow, refs: PlannedRow['refs']): boolean => {
    const known = existing.get(row.values.legacy_id);
    if (!known) return false;
    if (known.hash === row.hash) report.unchanged++;
    else planned.push({ row, action: 'update', id: known.id, refs });
    return true;
  };

  // References to people, organizations and courses, each looked up once for the whole file.
  const v = (row: ParsedRow, column: string) => row.values[column] as string | null;
  const people = await byLegacyId(
    db,
    'professionals',
    system,
    distinct(file.rows.map((r) => v(r, 'person_legacy_id'))),
  );
  const mopdIds = new Map<string, number>(
    (
      await db('professionals')
        .whereIn('mopd_id', distinct(file.rows.map((r) => v(r, 'mopd_id'))))
        .select('id', 'mopd_id')
    ).map((r: { id: number; mopd_id: string }) => [r.mopd_id, Number(r.id)]),
  );
  const person = (row: ParsedRow): { id: number | null } | Problem => {
    const legacy = v(row, 'person_legacy_id');
    if (legacy !== null) {
      const found = people.get(legacy);
      if (found) return { id: found.id };
      if (pending.professionals.has(legacy)) return { id: null };
      return {
        line: row.line,
        column: 'person_legacy_id',
        reason: `no person with legacy id "${legacy}" in professionals.csv or the registry`,
      };
    }
    const mopd = v(row, 'mopd_id')!;
    const found = mopdIds.get(mopd);
    if (found !== undefined) return { id: found };
    if (pending.mopdIds.has(mopd)) return { id: null };
    return { line: row.line, column: 'mopd_id', reason: `no person with MOPD ID ${mopd}` };
  };

  const accept = (row: ParsedRow, refs: PlannedRow['refs'], link?: number) => {
    if (decideExisting(row, refs)) return;
    if (link !== undefined) planned.push({ row, action: 'update', id: link, refs });
    else planned.push({ row, action: 'create', refs });
  };

  switch (file.kind) {
    case 'organizations': {
      const licenses = new Map<string, number>(
        (
          await db('organizations')
            .whereIn('license_number', distinct(file.rows.map((r) => v(r, 'license_number'))))
            .select('id', 'license_number')
        ).map((r: { id: number; license_number: string }) => [r.license_number, Number(r.id)]),
      );
      const inFile = new Map<string, number>();
      for (const row of file.rows) {
        const license = v(row, 'license_number');
        if (license !== null) {
          const earlier = inFile.get(license);
          if (earlier !== undefined) {
            reject({
              line: row.line,
              column: 'license_number',
              reason: `${license} is also the license of line ${earlier}`,
            });
            continue;
          }
          inFile.set(license, row.line);
        }
        accept(row, {}, license !== null ? licenses.get(license) : undefined);
        if (license !== null) pending.licenses.add(license);
        pending.organizations.add(row.values.legacy_id);
      }
      break;
    }
    case 'professionals': {
      const emails = distinct(file.rows.map((r) => v(r, 'email')));
      const births = distinct(file.rows.map((r) => v(r, 'birth_date')));
      const candidates: Array<{
        id: number;
        mopd_id: string;
        first_name: string;
        last_name: string;
        email: string;
        birth_date: string | null;
        legacy_id: string | null;
        legacy_system: string | null;
      }> = await db('professionals')
        .where((q) =>
          q
            .whereRaw('lower(email) = ANY(ARRAY(SELECT jsonb_array_elements_text(?::jsonb)::text))', [
              JSON.stringify(emails),
            ])
            .orWhereRaw('birth_date = ANY(ARRAY(SELECT jsonb_array_elements_text(?::jsonb)::date))', [
              JSON.stringify(births),
            ]),
        )
        .select(
          'id',
          'mopd_id',
          'first_name',
          'last_name',
          'email',
          db.raw("to_char(birth_date, 'YYYY-MM-DD') AS birth_date"),
          'legacy_id',
          'legacy_system',
        );
      type Candidate = {
        id: number | null;
        mopdId: string | null;
        name: string;
        display: string;
        email: string;
        birthDate: string | null;
        line?: number;
      };
      const pool: Candidate[] = candidates.map((c) => ({
        id: Number(c.id),
        mopdId: c.mopd_id,
        name: normalizedName(c.first_name, c.last_name),
        display: `${c.first_name} ${c.last_name}`,
        email: c.email.toLowerCase(),
        birthDate: c.birth_date,
      }));
      for (const row of file.rows) {
        const legacyMatch = existing.get(row.values.legacy_id);
        const mopd = v(row, 'mopd_id');
        const email = v(row, 'email')!;
        const birthDate = v(row, 'birth_date');
        const name = normalizedName(v(row, 'first_name')!, v(row, 'last_name')!);
        // The registry row this one is, if any: by legacy id, else by MOPD ID.
        let self: number | undefined = legacyMatch?.id;
        if (legacyMatch && mopd !== null) {
          const holder = mopdIds.get(mopd);
          if (holder !== legacyMatch.id) {
            reject({
              line: row.line,
              column: 'mopd_id',
              reason: `legacy id "${row.values.legacy_id}" was imported as another person than ${mopd}`,
            });
            continue;
          }
        }
        if (self === undefined && mopd !== null) {
          self = mopdIds.get(mopd);
          if (self === undefined && pending.mopdIds.has(mopd)) {
            reject({
              line: row.line,
              column: 'mopd_id',
              reason: `${mopd} is given to another person earlier in this file`,
            });
            continue;
          }
        }
        const others = pool.filter((c) => c.id === null || c.id !== self);
        const sameEmail = others.find((c) => c.email === email);
        const lookalike = others.find(
          (c) => (c.email === email || (birthDate !== null && c.birthDate === birthDate)) && similarNames(c.name, name),
        );
        if (lookalike && self === undefined) {
          const who = lookalike.mopdId
            ? `${lookalike.mopdId} (${lookalike.display})`
            : `line ${lookalike.line} (${lookalike.display})`;
          const why = lookalike.email === email ? 'same email' : `same birth date ${birthDate}`;
          reject({
            line: row.line,
            column: 'last_name',
            reason: `looks like a duplicate of ${who}: ${why}, a name within two letters; if this is the same person, give ${lookalike.mopdId ?? 'that row’s MOPD ID'} in mopd_id`,
          });
          continue;
        }
        if (sameEmail) {
          reject({
            line: row.line,
            column: 'email',
            reason: `${email} belongs to ${sameEmail.mopdId ?? `line ${sameEmail.line}`} (${sameEmail.display}), another person`,
          });
          continue;
        }
        accept(row, {}, self);
        pool.push({
          id: self ?? null,
          mopdId: mopd,
          name,
          display: `${v(row, 'first_name')} ${v(row, 'last_name')}`,
          email,
          birthDate,
          line: row.line,
        });
        pending.professionals.add(row.values.legacy_id);
        if (mopd !== null) pending.mopdIds.add(mopd);
      }
      break;
    }
    case 'courses': {
      const matches = await db('courses')
        .whereRaw('lower(title) = ANY(ARRAY(SELECT jsonb_array_elements_text(?::jsonb)::text))', [
          JSON.stringify(distinct(file.rows.map((r) => String(r.values.title).toLowerCase()))),
        ])
        .select('id', 'title', 'sponsor', 'topic');
      // A course made from an approved course application carries the application's legacy id.
      const fromApplications = new Map<string, number>(
        (
          await db('courses')
            .where({ legacy_system: system })
            .whereIn(
              'legacy_id',
              file.rows.map((r) => r.values.legacy_id),
            )
            .whereNotNull('approved_by_case_id')
            .select('legacy_id', 'approved_by_case_id')
        ).map((c: { legacy_id: string; approved_by_case_id: number }) => [c.legacy_id, Number(c.approved_by_case_id)]),
      );
      const byKey = new Map(
        matches.map((c: { id: number; title: string; sponsor: string; topic: string }) => [
          courseKey(c.title, c.sponsor, c.topic),
          Number(c.id),
        ]),
      );
      for (const row of file.rows) {
        if (fromApplications.has(row.values.legacy_id)) {
          reject({
            line: row.line,
            column: 'legacy_id',
            reason: `"${row.values.legacy_id}" is the legacy id of an approved course application (case ${fromApplications.get(row.values.legacy_id)}); courses and course applications share their ids`,
          });
          continue;
        }
        accept(
          row,
          {},
          existing.has(row.values.legacy_id)
            ? undefined
            : byKey.get(courseKey(row.values.title, row.values.sponsor, row.values.topic)),
        );
        pending.courses.set(row.values.legacy_id, { id: null, clockHours: row.values.clock_hours as number });
        pending.knownCourses.set(row.values.legacy_id, {
          id: null,
          approved: row.values.approved as boolean,
          delivery: row.values.delivery as string,
          clockHours: row.values.clock_hours as number,
          trainerUserId: null,
          fromApplication: false,
        });
        pending.courseKeys.set(courseKey(row.values.title, row.values.sponsor, row.values.topic), {
          id: null,
          clockHours: row.values.clock_hours as number,
        });
      }
      break;
    }
    case 'trainer_applications':
    case 'course_applications':
    case 'events': {
      await planWorkshopRows(db, system, file.kind, file.rows, pending, {
        reject,
        unchanged: () => report.unchanged++,
        plan: (row, action, id, refs) => planned.push({ row, action, ...(id !== undefined && { id }), refs }),
        person,
      });
      break;
    }
    case 'education': {
      for (const row of file.rows) {
        const who = person(row);
        if ('reason' in who) reject(who);
        else accept(row, { professionalId: who.id });
      }
      break;
    }
    case 'employment': {
      const organizations = await byLegacyId(
        db,
        'organizations',
        system,
        distinct(file.rows.map((r) => v(r, 'organization_legacy_id'))),
      );
      const licenses = new Map<string, number>(
        (
          await db('organizations')
            .whereIn('license_number', distinct(file.rows.map((r) => v(r, 'license_number'))))
            .select('id', 'license_number')
        ).map((r: { id: number; license_number: string }) => [r.license_number, Number(r.id)]),
      );
      for (const row of file.rows) {
        const who = person(row);
        if ('reason' in who) {
          reject(who);
          continue;
        }
        const legacy = v(row, 'organization_legacy_id');
        const license = v(row, 'license_number');
        let organizationId: number | null | undefined;
        if (legacy !== null)
          organizationId = organizations.get(legacy)?.id ?? (pending.organizations.has(legacy) ? null : undefined);
        else organizationId = licenses.get(license!) ?? (pending.licenses.has(license!) ? null : undefined);
        if (organizationId === undefined) {
          reject(
            legacy !== null
              ? {
                  line: row.line,
                  column: 'organization_legacy_id',
                  reason: `no organization with legacy id "${legacy}" in organizations.csv or the registry`,
                }
              : { line: row.line, column: 'license_number', reason: `no organization with license number ${license}` },
          );
          continue;
        }
        accept(row, { professionalId: who.id, organizationId });
      }
      break;
    }
    case 'training': {
      const courses = await byLegacyId(db, 'courses', system, distinct(file.rows.map((r) => v(r, 'course_legacy_id'))));
      const courseRows: Array<{
        id: number;
        title: string;
        sponsor: string;
        topic: string;
        clock_hours: string;
        legacy_id: string | null;
        legacy_system: string | null;
      }> = await db('courses')
        .where((q) => {
          void q.whereIn(
            'id',
            [...courses.values()].map((c) => c.id),
          );
          const titles = distinct(file.rows.map((r) => v(r, 'course_title')?.toLowerCase() ?? null));
          if (titles.length > 0)
            void q.orWhereRaw('lower(title) = ANY(ARRAY(SELECT jsonb_array_elements_text(?::jsonb)::text))', [
              JSON.stringify(titles),
            ]);
        })
        .select('id', 'title', 'sponsor', 'topic', 'clock_hours', 'legacy_id', 'legacy_system');
      const byId = new Map(courseRows.map((c) => [Number(c.id), c]));
      const byKey = new Map(courseRows.map((c) => [courseKey(c.title, c.sponsor, c.topic), c]));
      for (const row of file.rows) {
        const who = person(row);
        if ('reason' in who) {
          reject(who);
          continue;
        }
        const legacy = v(row, 'course_legacy_id');
        let course: CourseFacts | undefined;
        if (legacy !== null) {
          const found = courses.get(legacy);
          course = found
            ? { id: found.id, clockHours: Number(byId.get(found.id)!.clock_hours) }
            : pending.courses.get(legacy);
        } else {
          const found = byKey.get(
            courseKey(row.values.course_title, row.values.course_sponsor, row.values.course_topic),
          );
          const key = courseKey(row.values.course_title, row.values.course_sponsor, row.values.course_topic);
          course = found
            ? { id: Number(found.id), clockHours: Number(found.clock_hours) }
            : pending.courseKeys.get(key);
        }
        if (!course) {
          reject(
            legacy !== null
              ? {
                  line: row.line,
                  column: 'course_legacy_id',
                  reason: `no course with legacy id "${legacy}" in courses.csv or the registry`,
                }
              : {
                  line: row.line,
                  column: 'course_title',
                  reason: `no course "${String(row.values.course_title)}" by ${String(row.values.course_sponsor)} on ${String(row.values.course_topic)} in the registry`,
                },
          );
          continue;
        }
        const hours = row.values.hours as number;
        if (hours > course.clockHours) {
          reject({
            line: row.line,
            column: 'hours',
            reason: `${hours} hours is more than the course's ${course.clockHours} clock hours`,
          });
          continue;
        }
        accept(row, { professionalId: who.id, courseId: course.id });
      }
      break;
    }
  }
  for (const p of planned) report[p.action]++;
  report.rejectedCount = rejectedLines.size;
  report.rejected.sort((a, b) => a.line - b.line);
  return { report, planned };
}
