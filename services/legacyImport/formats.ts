/**
 * The CSV formats of a legacy batch and the checks one row can pass or fail on its own (types,
 * dates, ranges, required columns). Pure: what needs the registry (unknown people, organizations
 * or courses, duplicates, create/update/unchanged) is decided in `plan.ts`.
 */
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import {
  COURSE_LEVELS,
  DEGREE_LEVELS,
  DELIVERY_MODES,
  EDUCATION_KINDS,
  EMPLOYMENT_ROLES,
  REGIONS,
  REGISTRY_TIME_ZONE,
  TOPICS,
} from '../../rules/domain.js';
import { readCsv, CsvSyntaxError } from './csv.js';
import { localDateOf } from '../../rules/dates.js';

/** The kinds of file, in the order a batch is applied: each after every kind it refers to (`REFERS_TO`). */
export const IMPORT_KINDS = [
  'organizations',
  'professionals',
  'courses',
  'trainer_applications',
  'course_applications',
  'events',
  'education',
  'employment',
  'training',
] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/**
 * The kinds a row of each kind may refer to by legacy id: the dependency order of a batch.
 * A course application names its trainer by the trainer's application; an approved one becomes
 * a course that events and training refer to by the application's legacy id.
 */
export const REFERS_TO: Record<ImportKind, readonly ImportKind[]> = {
  organizations: [],
  professionals: [],
  courses: [],
  trainer_applications: ['professionals'],
  course_applications: ['professionals', 'trainer_applications', 'courses'],
  events: ['courses', 'course_applications', 'professionals', 'trainer_applications'],
  education: ['professionals'],
  employment: ['professionals', 'organizations'],
  training: ['professionals', 'courses', 'course_applications'],
};

/** How an application ended in the old system; pending ones are still to be decided, in MOPD. */
export const APPLICATION_OUTCOMES = ['approved', 'denied', 'pending'] as const;
export type ApplicationOutcome = (typeof APPLICATION_OUTCOMES)[number];

export interface Problem {
  line: number;
  column: string;
  reason: string;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };
type Parser<T> = (raw: string) => Parsed<T>;
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (reason: string): Parsed<never> => ({ ok: false, reason });

/** An ISO date (YYYY-MM-DD) or the old systems' M/D/YYYY; a real calendar day, not in the future (America/Chicago's today). */
export function parseDate(raw: string, today: string = localDateOf(new Date())): Parsed<string> {
  let y: number, m: number, d: number;
  let match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  if (match) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(raw)))
    [m, d, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else return bad(`"${raw}" is not a date (write YYYY-MM-DD or M/D/YYYY)`);
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    return bad(`"${raw}" is not a day of the calendar`);
  if (y < 1900) return bad(`"${raw}" is before 1900`);
  const iso = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  if (iso > today) return bad(`"${raw}" is in the future`);
  return ok(iso);
}

const date: Parser<string> = (raw) => parseDate(raw);
const text: Parser<string> = (raw) => ok(raw);
const number =
  (min: number, max: number, what: string): Parser<number> =>
  (raw) => {
    if (!/^\d+(\.\d{1,2})?$/.test(raw))
      return bad(`"${raw}" is not a number of ${what} (digits, at most two decimals)`);
    const n = Number(raw);
    if (!(n > min && n <= max)) return bad(`${raw} ${what} is out of range (more than ${min}, at most ${max})`);
    return ok(n);
  };
const BOOLEANS: Record<string, boolean> = {
  yes: true,
  y: true,
  true: true,
  '1': true,
  no: false,
  n: false,
  false: false,
  '0': false,
};
const boolean: Parser<boolean> = (raw) => {
  const value = BOOLEANS[raw.toLowerCase()];
  return value === undefined ? bad(`"${raw}" is not yes or no`) : ok(value);
};
const oneOf =
  <T extends string>(values: readonly T[]): Parser<T> =>
  (raw) =>
    (values as readonly string[]).includes(raw) ? ok(raw as T) : bad(`"${raw}" is not one of ${values.join(', ')}`);
const email: Parser<string> = (raw) =>
  /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(raw) ? ok(raw.toLowerCase()) : bad(`"${raw}" is not an email address`);
const mopdId: Parser<string> = (raw) =>
  /^MO\d{7}$/.test(raw) ? ok(raw) : bad(`"${raw}" is not an MOPD ID (MO and seven digits, e.g. MO1000123)`);
const month: Parser<number> = (raw) =>
  /^\d{1,2}$/.test(raw) && Number(raw) >= 1 && Number(raw) <= 12
    ? ok(Number(raw))
    : bad(`"${raw}" is not a month number 1–12`);
const zip: Parser<string> = (raw) => (/^\d{5}$/.test(raw) ? ok(raw) : bad(`"${raw}" is not a five-digit ZIP code`));
const dollars: Parser<number> = (raw) => {
  const match = /^\$?(\d{1,5})(\.(\d{2}))?$/.exec(raw);
  return match
    ? ok(Number(match[1]) * 100 + Number(match[3] ?? 0))
    : bad(`"${raw}" is not an amount in dollars (e.g. 25 or 25.00, at most 99999.99)`);
};
const seats: Parser<number> = (raw) =>
  /^\d{1,4}$/.test(raw) && Number(raw) >= 1 && Number(raw) <= 5000
    ? ok(Number(raw))
    : bad(`"${raw}" is not a number of seats from 1 to 5000`);
const webAddress: Parser<string> = (raw) =>
  /^https?:\/\/[^\s]+\.[^\s]+$/.test(raw) ? ok(raw) : bad(`"${raw}" is not a web address (http:// or https://)`);

/** A list in one field, its items separated by semicolons, each parsed on its own. */
const listOf =
  <T>(item: Parser<T>, what: string): Parser<T[]> =>
  (raw) => {
    const items = raw
      .split(';')
      .map((i) => i.trim())
      .filter((i) => i !== '');
    if (items.length === 0) return bad(`names no ${what}`);
    const values: T[] = [];
    for (const i of items) {
      const parsed = item(i);
      if (!parsed.ok) return bad(`${what}: ${parsed.reason}`);
      values.push(parsed.value);
    }
    return ok(values);
  };
/** An instructor certification: the national model and the last day it is valid, `American Red Cross:2026-06-30`. */
const certification: Parser<{ model: string; expiresOn: string }> = (raw) => {
  const at = raw.lastIndexOf(':');
  if (at <= 0) return bad(`"${raw}" is not a model and its expiry date, e.g. American Red Cross:2026-06-30`);
  const expires = parseDate(raw.slice(at + 1).trim(), '9999-12-31');
  return expires.ok ? ok({ model: raw.slice(0, at).trim(), expiresOn: expires.value }) : expires;
};

export interface Session {
  /** Instants (ISO, UTC) of the session's start and end; the file gives Missouri's local times. */
  startsAt: string;
  endsAt: string;
  hours: number;
}
/**
 * One session of an event on one local day: `2025-03-14 09:00-12:00` (or `3/14/2025 9:00-12:00`),
 * in Missouri's time; future days are allowed (the calendar holds upcoming events).
 */
export function parseSession(raw: string): Parsed<Session> {
  const match = /^(\S+)\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(raw);
  if (!match) return bad(`"${raw}" is not a session (write e.g. 2025-03-14 09:00-12:00)`);
  const day = parseDate(match[1]!, '9999-12-31');
  if (!day.ok) return day;
  const [h1, m1, h2, m2] = [match[2], match[3], match[4], match[5]].map(Number) as [number, number, number, number];
  if (h1 > 23 || h2 > 23 || m1 > 59 || m2 > 59) return bad(`"${raw}" has a time that is not on the clock`);
  const at = (hour: number, minute: number) =>
    DateTime.fromISO(day.value, { zone: REGISTRY_TIME_ZONE }).set({ hour, minute });
  const start = at(h1, m1);
  const end = at(h2, m2);
  if (end <= start) return bad(`"${raw}" ends before it starts`);
  const hours = Math.round(end.diff(start, 'minutes').minutes / 15) / 4;
  return ok({ startsAt: start.toUTC().toISO()!, endsAt: end.toUTC().toISO()!, hours });
}
const sessions: Parser<Session[]> = (raw) => {
  const parsed = listOf(parseSession, 'session')(raw);
  if (!parsed.ok) return parsed;
  const ordered = [...parsed.value].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  for (let i = 1; i < ordered.length; i++)
    if (ordered[i]!.startsAt < ordered[i - 1]!.endsAt)
      return bad('two sessions overlap: everyone attends every session of an event');
  return ok(ordered);
};

interface ColumnSpec {
  required: boolean;
  parse: Parser<unknown>;
  /** What the README says of it. */
  doc: string;
}
const req = (parse: Parser<unknown>, doc: string): ColumnSpec => ({ required: true, parse, doc });
const opt = (parse: Parser<unknown>, doc: string): ColumnSpec => ({ required: false, parse, doc });

/** Person and course references: one of the alternatives must be given (checked in `parseRow`). */
const PERSON = {
  person_legacy_id: opt(text, "the person's legacy_id in professionals.csv (this batch or an earlier one)"),
  mopd_id: opt(mopdId, 'or the MOPD ID of a person already in the registry'),
};

export const FORMATS = {
  organizations: {
    legacy_id: req(text, 'the old system’s id of the organization'),
    name: req(text, 'name'),
    license_number: opt(text, 'state license number; an organization already in MOPD with it is the same one'),
    licensed: req(boolean, 'yes/no'),
    subsidized: req(boolean, 'yes/no'),
    serves_infants: opt(boolean, 'yes/no (default no)'),
    contract_year_start_month: opt(month, '1–12, required when subsidized'),
    county: req(text, 'county'),
  },
  professionals: {
    legacy_id: req(text, 'the old system’s id of the person'),
    mopd_id: opt(mopdId, 'the person’s existing MOPD ID (MO + 7 digits), kept; blank: a new one is issued'),
    first_name: req(text, 'first name'),
    last_name: req(text, 'last name'),
    email: req(email, 'email address (unique in MOPD)'),
    phone: opt(text, 'phone'),
    birth_date: opt(date, 'date of birth; used to find one person under two spellings'),
    county: opt(text, 'county of residence'),
    zip: opt(zip, 'five-digit ZIP code'),
  },
  courses: {
    legacy_id: req(text, 'the old system’s id of the course'),
    title: req(text, 'title'),
    sponsor: req(text, 'sponsor, e.g. DESE OOC'),
    topic: req(oneOf(Object.keys(TOPICS)), `topic code: ${Object.keys(TOPICS).join(', ')}`),
    delivery: req(oneOf(DELIVERY_MODES), DELIVERY_MODES.join(', ')),
    clock_hours: req(number(0, 100, 'clock hours'), 'clock hours, more than 0 and at most 100'),
    in_person_hours: opt(number(0, 100, 'in-person hours'), 'blended courses: the in-person part'),
    cpr_model: opt(text, 'CPR/First Aid courses: the national model, e.g. American Red Cross'),
    approved: req(boolean, 'whether DESE approved it (only approved training earns hours)'),
  },
  education: {
    legacy_id: req(text, 'the old system’s id of the entry'),
    ...PERSON,
    kind: req(oneOf(EDUCATION_KINDS), EDUCATION_KINDS.join(', ')),
    title: req(text, 'title, e.g. B.S. Early Childhood Education'),
    institution: opt(text, 'school or college'),
    field: opt(text, 'field of study'),
    degree_level: opt(oneOf(DEGREE_LEVELS), `degrees only: ${DEGREE_LEVELS.join(', ')}`),
    credit_hours: opt(number(0, 300, 'credit hours'), 'coursework: college credit hours'),
    completed_on: opt(date, 'date completed'),
  },
  employment: {
    legacy_id: req(text, 'the old system’s id of the employment'),
    ...PERSON,
    organization_legacy_id: opt(text, 'the organization’s legacy_id in organizations.csv'),
    license_number: opt(text, 'or the license number of an organization in MOPD'),
    role: req(oneOf(EMPLOYMENT_ROLES), EMPLOYMENT_ROLES.join(', ')),
    hire_date: req(date, 'hire date'),
    end_date: opt(date, 'last day, blank while employed'),
  },
  trainer_applications: {
    legacy_id: req(text, 'the old system’s id of the application'),
    ...PERSON,
    specialties: req(
      listOf(oneOf(Object.keys(TOPICS)), 'specialty'),
      'topic codes the trainer teaches, separated by semicolons: cpr-first-aid;health-safety',
    ),
    regions: opt(
      listOf(oneOf(REGIONS), 'region'),
      `regions the trainer works in, separated by semicolons: ${REGIONS.join(', ')}`,
    ),
    certifications: opt(
      listOf(certification, 'certification'),
      'instructor certifications, model:last day, separated by semicolons: American Red Cross:2026-06-30',
    ),
    submitted_on: req(date, 'date submitted'),
    outcome: req(oneOf(APPLICATION_OUTCOMES), 'approved, denied or pending (pending ones go to the review queue)'),
    decided_on: opt(date, 'date decided; required when approved or denied, blank when pending'),
    decision_reason: opt(text, 'the reason given with the decision'),
  },
  course_applications: {
    legacy_id: req(
      text,
      'the old system’s id of the course application; an approved one becomes the course with this legacy id',
    ),
    title: req(text, 'title'),
    sponsor: req(text, 'sponsor'),
    topic: req(oneOf(Object.keys(TOPICS)), 'topic code'),
    level: req(oneOf(COURSE_LEVELS), COURSE_LEVELS.join(', ')),
    delivery: req(oneOf(DELIVERY_MODES), DELIVERY_MODES.join(', ')),
    clock_hours: req(number(0, 100, 'clock hours'), 'clock hours, more than 0 and at most 100'),
    in_person_hours: opt(number(0, 100, 'in-person hours'), 'blended courses: the in-person part'),
    cpr_model: opt(text, 'CPR/First Aid courses: the national model'),
    fee: opt(dollars, 'fee in dollars (default 0)'),
    trainer_legacy_id: opt(text, 'the legacy_id of the trainer’s application in trainer_applications.csv'),
    trainer_mopd_id: opt(mopdId, 'or the trainer’s MOPD ID'),
    submitted_on: req(date, 'date submitted'),
    outcome: req(oneOf(APPLICATION_OUTCOMES), 'approved, denied or pending'),
    decided_on: opt(date, 'date decided; required when approved or denied, blank when pending'),
    decision_reason: opt(text, 'the reason given with the decision'),
  },
  events: {
    legacy_id: req(text, 'the old system’s id of the event'),
    course_legacy_id: req(
      text,
      'the legacy_id of an approved course (courses.csv or an approved row of course_applications.csv)',
    ),
    trainer_legacy_id: opt(text, 'the trainer’s application legacy_id; blank: the course’s trainer'),
    trainer_mopd_id: opt(mopdId, 'or the trainer’s MOPD ID'),
    sessions: req(
      sessions,
      'sessions in Missouri time, separated by semicolons: 2025-03-14 09:00-12:00;2025-03-21 09:00-12:00',
    ),
    address_line: opt(text, 'street address (in-person and blended)'),
    city: opt(text, 'city (in-person and blended)'),
    county: opt(text, 'county (in-person and blended)'),
    zip: opt(zip, 'a Missouri ZIP code (in-person and blended)'),
    region: opt(oneOf(REGIONS), REGIONS.join(', ')),
    online_url: opt(webAddress, 'the link (online events)'),
    capacity: req(seats, 'seats, 1–5000'),
    fee: opt(dollars, 'fee in dollars (default 0)'),
  },
  training: {
    legacy_id: req(text, 'the old system’s id of the training record'),
    ...PERSON,
    course_legacy_id: opt(text, 'the course’s legacy_id in courses.csv'),
    course_title: opt(text, 'or the title, sponsor and topic of a course in MOPD'),
    course_sponsor: opt(text, ''),
    course_topic: opt(text, ''),
    completed_on: req(date, 'date completed'),
    hours: req(number(0, 24, 'hours'), 'hours attended, more than 0 and at most 24 (one record is one day at most)'),
  },
} satisfies Record<ImportKind, Record<string, ColumnSpec>>;

/** What the import page explains of each file: its columns in order, which are required, and what each holds. */
export function importFormats() {
  return IMPORT_KINDS.map((kind) => ({
    kind,
    file: `${kind}.csv`,
    refersTo: [...REFERS_TO[kind]],
    columns: Object.entries(FORMATS[kind] as Record<string, ColumnSpec>).map(([name, spec]) => ({
      name,
      required: spec.required,
      description: spec.doc,
    })),
  }));
}

export type Row = Record<string, unknown> & { legacy_id: string };
export interface ParsedRow {
  line: number;
  values: Row;
  /** A digest of the row's values: the same digest on a second run means nothing changed. */
  hash: string;
}

/** Which kind a file is, from its name: `training.csv`, `2019-training.csv`, `Training_export.csv`… */
export function kindOfFile(name: string): ImportKind | null {
  const base = name.toLowerCase().replace(/\.csv$/, '');
  const aliases: Array<[ImportKind, RegExp]> = [
    ['organizations', /organi[sz]ations?/],
    ['professionals', /professionals?|people|persons/],
    ['trainer_applications', /trainer[ _-]?applications?/],
    ['course_applications', /course[ _-]?applications?/],
    ['events', /events?|workshops?/],
    ['courses', /courses?/],
    ['education', /education/],
    ['employment', /employments?/],
    ['training', /trainings?/],
  ];
  return aliases.find(([, pattern]) => pattern.test(base))?.[0] ?? null;
}

/** One row on its own: each value parsed, each problem with its column and a plain reason. */
export function parseRow(
  kind: ImportKind,
  header: string[],
  fields: string[],
  line: number,
): { row: ParsedRow } | { problems: Problem[] } {
  const format: Record<string, ColumnSpec> = FORMATS[kind];
  const problems: Problem[] = [];
  const values: Record<string, unknown> = {};
  if (fields.length !== header.length)
    return {
      problems: [{ line, column: '', reason: `has ${fields.length} fields where the header has ${header.length}` }],
    };
  for (const [index, column] of header.entries()) {
    const spec = format[column];
    if (!spec) continue;
    const raw = fields[index]!.trim();
    if (raw === '') {
      if (spec.required) problems.push({ line, column, reason: 'is required' });
      values[column] = null;
      continue;
    }
    const parsed = spec.parse(raw);
    if (parsed.ok) values[column] = parsed.value;
    else problems.push({ line, column, reason: parsed.reason });
  }
  // A column the file leaves out is blank in every row.
  for (const column of Object.keys(format)) if (!(column in values)) values[column] = null;
  if (
    'person_legacy_id' in format &&
    values.person_legacy_id == null &&
    values.mopd_id == null &&
    !problems.some((p) => p.column === 'mopd_id')
  ) {
    problems.push({ line, column: 'person_legacy_id', reason: 'give the person’s legacy id or MOPD ID' });
  }
  if (kind === 'employment' && values.organization_legacy_id == null && values.license_number == null) {
    problems.push({
      line,
      column: 'organization_legacy_id',
      reason: 'give the organization’s legacy id or license number',
    });
  }
  if (
    kind === 'employment' &&
    typeof values.end_date === 'string' &&
    typeof values.hire_date === 'string' &&
    values.end_date < values.hire_date
  ) {
    problems.push({
      line,
      column: 'end_date',
      reason: `${values.end_date} is before the hire date ${values.hire_date}`,
    });
  }
  if (
    kind === 'training' &&
    values.course_legacy_id == null &&
    (values.course_title == null || values.course_sponsor == null || values.course_topic == null)
  ) {
    problems.push({
      line,
      column: 'course_legacy_id',
      reason: 'give the course’s legacy id, or its title, sponsor and topic',
    });
  }
  if (
    kind === 'organizations' &&
    values.subsidized === true &&
    values.contract_year_start_month == null &&
    !problems.some((p) => p.column === 'contract_year_start_month')
  ) {
    problems.push({ line, column: 'contract_year_start_month', reason: 'is required for a subsidized program' });
  }
  if (kind === 'organizations' && values.licensed === true && values.license_number == null) {
    problems.push({ line, column: 'license_number', reason: 'is required for a licensed program' });
  }
  if (kind === 'trainer_applications' || kind === 'course_applications') {
    const decided = values.outcome === 'approved' || values.outcome === 'denied';
    if (decided && values.decided_on == null && !problems.some((p) => p.column === 'decided_on'))
      problems.push({ line, column: 'decided_on', reason: `is required for an application ${String(values.outcome)}` });
    if (values.outcome === 'pending' && values.decided_on != null)
      problems.push({ line, column: 'decided_on', reason: 'is only for decided applications (this one is pending)' });
    if (
      typeof values.decided_on === 'string' &&
      typeof values.submitted_on === 'string' &&
      values.decided_on < values.submitted_on
    ) {
      problems.push({
        line,
        column: 'decided_on',
        reason: `${values.decided_on} is before the submission ${values.submitted_on}`,
      });
    }
  }
  if (
    kind === 'course_applications' &&
    values.trainer_legacy_id == null &&
    values.trainer_mopd_id == null &&
    !problems.some((p) => p.column === 'trainer_mopd_id')
  ) {
    problems.push({ line, column: 'trainer_legacy_id', reason: 'give the trainer’s application legacy id or MOPD ID' });
  }
  if (kind === 'courses' || kind === 'course_applications') {
    const blended = values.delivery === 'blended';
    if (blended && values.in_person_hours == null && !problems.some((p) => p.column === 'in_person_hours'))
      problems.push({ line, column: 'in_person_hours', reason: 'is required for a blended course' });
    if (!blended && values.in_person_hours != null)
      problems.push({ line, column: 'in_person_hours', reason: 'is only for blended courses' });
    if (
      typeof values.in_person_hours === 'number' &&
      typeof values.clock_hours === 'number' &&
      values.in_person_hours > values.clock_hours
    ) {
      problems.push({
        line,
        column: 'in_person_hours',
        reason: `${values.in_person_hours} is more than the course's ${values.clock_hours} clock hours`,
      });
    }
  }
  if (
    kind === 'education' &&
    (values.kind === 'degree') !== (values.degree_level != null) &&
    !problems.some((p) => p.column === 'degree_level' || p.column === 'kind')
  ) {
    problems.push({
      line,
      column: 'degree_level',
      reason: values.kind === 'degree' ? 'is required for a degree' : 'is only for degrees',
    });
  }
  if (problems.length > 0) return { problems };
  const ordered = Object.keys(format).map((column) => values[column] ?? null);
  return {
    row: { line, values: values as Row, hash: createHash('md5').update(JSON.stringify(ordered)).digest('base64url') },
  };
}

export interface ParsedFile {
  kind: ImportKind;
  rows: ParsedRow[];
  problems: Problem[];
  /** Records read, header excluded. */
  count: number;
}

/** A whole file: the header checked, each row parsed, a legacy id given twice refused the second time. */
export function parseFile(kind: ImportKind, content: string): ParsedFile {
  const format: Record<string, ColumnSpec> = FORMATS[kind];
  const rows: ParsedRow[] = [];
  const problems: Problem[] = [];
  let count = 0;
  try {
    const records = readCsv(content);
    const first = records.next();
    if (first.done)
      return {
        kind,
        rows,
        problems: [{ line: 1, column: '', reason: 'the file is empty (a header line is required)' }],
        count,
      };
    const header = first.value.fields.map((f) => f.trim().toLowerCase());
    const missing = Object.entries(format).filter(([column, spec]) => spec.required && !header.includes(column));
    const unknown = header.filter((column) => !(column in format));
    if (missing.length > 0 || unknown.length > 0) {
      for (const [column] of missing)
        problems.push({ line: 1, column, reason: 'the header lacks this required column' });
      for (const column of unknown)
        problems.push({
          line: 1,
          column,
          reason: `is not a column of ${kind} files (expected: ${Object.keys(format).join(', ')})`,
        });
      return { kind, rows, problems, count };
    }
    const seen = new Map<string, number>();
    for (const record of records) {
      count++;
      const parsed = parseRow(kind, header, record.fields, record.line);
      if ('problems' in parsed) {
        problems.push(...parsed.problems);
        continue;
      }
      const earlier = seen.get(parsed.row.values.legacy_id);
      if (earlier !== undefined) {
        problems.push({
          line: record.line,
          column: 'legacy_id',
          reason: `"${parsed.row.values.legacy_id}" is given twice in this file (first on line ${earlier})`,
        });
        continue;
      }
      seen.set(parsed.row.values.legacy_id, record.line);
      rows.push(parsed.row);
    }
  } catch (error) {
    if (error instanceof CsvSyntaxError)
      problems.push({ line: error.line, column: '', reason: error.message.replace(/^line \d+: /, '') });
    else throw error;
  }
  return { kind, rows, problems, count };
}

/** A name as compared for duplicates: lower case, accents and punctuation dropped. */
export function normalizedName(first: string, last: string): string {
  return `${first} ${last}`
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z ]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Levenshtein distance, stopping early once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, current[j]!);
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * Two names of one person written differently ("Katherine Smith" / "Kathrine Smyth", "Jo Ann
 * Lee" / "JoAnn Lee"): at most two edits apart, or three for names longer than 15 letters.
 */
export function similarNames(a: string, b: string): boolean {
  if (a === b) return true;
  const squeezedA = a.replace(/ /g, '');
  const squeezedB = b.replace(/ /g, '');
  const limit = Math.max(squeezedA.length, squeezedB.length) > 15 ? 3 : 2;
  return editDistance(squeezedA, squeezedB, limit) <= limit;
}
