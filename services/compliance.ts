/**
 * A professional's compliance: the facts come from PostgreSQL, the requirements from the rule
 * set in effect, the allocation from the pure calculator in rules/.
 */
import type { Knex } from 'knex';
import type { Db } from '../db/connection.js';
import { employmentsOf, type EmploymentWithOrganization } from '../db/employments.js';
import type { TrainingRecordRow } from '../db/rows.js';
import { ruleSetTimeline, type VersionInEffect } from '../db/ruleSets.js';
import { carriedBy, type Carried, type EmploymentHeld } from '../rules/carried.js';
import { settingsHistories, type ProgramSettingsRow } from '../db/organizations.js';
import { settingsPieces, type ProgramSettings } from '../rules/programSettings.js';
import {
  computeCompliance,
  summarize,
  summaryFromSums,
  type ComplianceResult,
  type ComplianceSummary,
  type PeriodSum,
} from '../rules/compliance.js';
import type { EmploymentFacts } from '../rules/engine.js';
import { COMPLIANCE_RULE_SET } from '../rules/versions/index.js';
import { dateOf, localDateOf, type LocalDate } from '../rules/dates.js';

export interface ComplianceReport extends ComplianceResult {
  /** The rule set and the version in effect on the as-of date. */
  ruleSet: string;
  ruleSetVersion: number;
  /** Every version that judged some of the time covered, with the days it was in effect. */
  versionsApplied: Array<{ version: number; from: LocalDate; to: LocalDate | null }>;
}

/**
 * The facts of an employment for the rules: the organization's settings as recorded on it (those
 * in effect today), or, given `settings`, the program settings in effect for the piece judged.
 */
export function employmentFacts(
  employment: EmploymentWithOrganization,
  settings?: Omit<ProgramSettings, 'effectiveFrom'>,
): EmploymentFacts {
  const o = employment.organization;
  return {
    organization: {
      licensed: settings?.licensed ?? o.licensed,
      subsidized: settings?.subsidized ?? o.subsidized,
      servesInfants: settings?.servesInfants ?? o.serves_infants,
      contractYearStartMonth: settings ? settings.contractYearStartMonth : o.contract_year_start_month,
      county: o.county,
      programType: o.program_type ?? 'child_care',
    },
    employment: { role: employment.role, hireDate: employment.hire_date, endDate: employment.end_date },
  };
}

/** A program's settings history as the rules read it. */
const settingsOfRow = (r: ProgramSettingsRow): ProgramSettings => ({
  effectiveFrom: r.effective_from,
  licensed: r.licensed,
  licenseExempt: r.license_exempt,
  subsidized: r.subsidized,
  servesInfants: r.serves_infants,
  contractYearStartMonth: r.contract_year_start_month,
});

/** Settings histories of the organizations some employments are at. */
export async function historiesFor(db: Db, employments: EmploymentWithOrganization[]): Promise<SettingsHistories> {
  const rows = await settingsHistories(
    db,
    employments.map((e) => Number(e.organization_id)),
  );
  return new Map([...rows].map(([id, list]) => [id, list.map(settingsOfRow)]));
}

export type SettingsHistories = Map<number, ProgramSettings[]>;

/**
 * Each employment cut into the pieces during which one set of program settings applied, each
 * judged by those settings and by the contract-year month in effect at its contract years' start
 * (see rules/programSettings.ts). An organization with no history is judged by its own columns.
 */
export function employmentsHeld(
  employments: EmploymentWithOrganization[],
  histories: SettingsHistories,
): EmploymentHeld[] {
  return employments.flatMap((e) => {
    const o = e.organization;
    const fallback: ProgramSettings = {
      effectiveFrom: e.hire_date,
      licensed: o.licensed,
      licenseExempt: o.license_exempt,
      subsidized: o.subsidized,
      servesInfants: o.serves_infants,
      contractYearStartMonth: o.contract_year_start_month,
    };
    return settingsPieces(histories.get(Number(e.organization_id)) ?? [], e.hire_date, e.end_date, fallback).map(
      (piece) => ({
        organizationId: e.organization_id,
        contractYearStartMonth: piece.contractYearStartMonth,
        facts: employmentFacts(e, { ...piece.settings, contractYearStartMonth: piece.contractYearStartMonth }),
        piece: { from: piece.from, to: piece.to },
      }),
    );
  });
}

/** The columns of a training record the calculator reads. */
const CREDITED_COLUMNS = ['id', 'professional_id', 'title', 'topic', 'completed_on', 'credited_hours'] as const;
type CreditedRecord = Pick<TrainingRecordRow, (typeof CREDITED_COLUMNS)[number]>;

/**
 * Compliance from rows already loaded (one person's employments with organizations, and records).
 * Each employment is judged, day by day, by the version in effect on that day: its span is cut
 * where versions change, and each piece carries what its version requires. Prerequisites are
 * what the version in effect on the as-of date asks.
 */
export async function evaluateLoaded(
  timeline: VersionInEffect[],
  employments: EmploymentWithOrganization[],
  records: Array<Omit<CreditedRecord, 'professional_id'>>,
  asOf: LocalDate,
  histories: SettingsHistories = new Map(),
): Promise<ComplianceReport> {
  const { requirements, prerequisites, refreshers } = await carriedFor(timeline, employments, histories);
  const trainings = records.map((r) => ({
    id: r.id,
    title: r.title,
    topic: r.topic,
    completedOn: r.completed_on,
    creditedHours: r.credited_hours,
  }));
  return { ...computeCompliance(requirements, trainings, asOf, prerequisites, refreshers), ...versionsOf(timeline) };
}

const versionsOf = (timeline: VersionInEffect[]) => ({
  ruleSet: timeline.at(-1)!.rules.ruleSet,
  ruleSetVersion: timeline.at(-1)!.rules.version,
  versionsApplied: timeline.map((v) => ({ version: v.rules.version, from: v.from, to: v.to })),
});

/** The hour requirements, prerequisites and refreshers a person's employments make them carry, version by version. */
function carriedFor(
  timeline: VersionInEffect[],
  employments: EmploymentWithOrganization[],
  histories: SettingsHistories,
): Promise<Carried> {
  return carriedBy(timeline, employmentsHeld(employments, histories));
}

/**
 * A professional's compliance as of a date, each stretch of time judged by the version in effect
 * then, with every period explained. One round trip: the versions, employments and records are
 * read in parallel.
 */
export async function complianceAsOf(
  db: Db,
  professionalId: number,
  asOf: LocalDate,
  timeline?: VersionInEffect[],
): Promise<ComplianceReport> {
  const reads = [
    () => (timeline ? Promise.resolve(timeline) : ruleSetTimeline(db, COMPLIANCE_RULE_SET, asOf)),
    () => employmentsOf(db, professionalId),
    () =>
      db('training_records')
        .where({ professional_id: professionalId })
        .orderBy([{ column: 'completed_on' }, { column: 'id' }])
        .select(CREDITED_COLUMNS) as Promise<CreditedRecord[]>,
  ] as const;
  // A transaction is one connection, which runs one query at a time: read in turn there.
  const inTransaction = (db as Knex.Transaction).isTransaction === true;
  const [versions, employments, records] = inTransaction
    ? [await reads[0](), await reads[1](), await reads[2]()]
    : await Promise.all([reads[0](), reads[1](), reads[2]()]);
  return evaluateLoaded(versions, employments, records, asOf, await historiesFor(db, employments));
}

/** The row stored for a person: what lists and reports read, and the versions that produced it. */
function storedRow(professionalId: number, summary: StoredCompliance) {
  return {
    professional_id: professionalId,
    as_of: summary.asOf,
    rule_set: summary.ruleSet,
    rule_set_version: summary.ruleSetVersion,
    compliant: summary.compliant,
    result: JSON.stringify(summary),
  };
}

export type StoredCompliance = ComplianceSummary &
  Pick<ComplianceReport, 'ruleSet' | 'ruleSetVersion' | 'versionsApplied'>;

/** Recomputes today's compliance and stores its summary; call after anything that changes it. */
export async function refreshCompliance(
  db: Db,
  professionalId: number,
  now: Date = new Date(),
): Promise<ComplianceReport> {
  const report = await complianceAsOf(db, professionalId, localDateOf(now));
  const summary = {
    ...summarize(report),
    ruleSet: report.ruleSet,
    ruleSetVersion: report.ruleSetVersion,
    versionsApplied: report.versionsApplied,
  };
  await db('compliance_results')
    .insert({ ...storedRow(professionalId, summary), computed_at: db.fn.now() })
    .onConflict('professional_id')
    .merge();
  return report;
}

/** Today's compliance, computed fresh with every explanation (a new day can end a period). */
export function currentCompliance(db: Db, professionalId: number, now: Date = new Date()): Promise<ComplianceReport> {
  return complianceAsOf(db, professionalId, localDateOf(now));
}

/** Compliance of several people as of one date, from two queries (staff reports). */
export async function complianceOfMany(
  db: Db,
  professionalIds: number[],
  asOf: LocalDate,
): Promise<Map<number, ComplianceReport>> {
  const timeline = await ruleSetTimeline(db, COMPLIANCE_RULE_SET, asOf);
  const { employmentsBy, recordsBy } = await loadMany(db, (q, column) => q.whereIn(column, professionalIds));
  const histories = await historiesFor(db, [...employmentsBy.values()].flat());
  const reports = new Map<number, ComplianceReport>();
  for (const id of professionalIds)
    reports.set(
      id,
      await evaluateLoaded(timeline, employmentsBy.get(id) ?? [], recordsBy.get(id) ?? [], asOf, histories),
    );
  return reports;
}

/** Employments (with organizations) and records of the people a filter selects, grouped by person. */
async function loadMany(db: Db, filter: (query: Knex.QueryBuilder, column: string) => Knex.QueryBuilder) {
  const [employments, records] = await Promise.all([
    filter(db('employments as e').join('organizations as o', 'o.id', 'e.organization_id'), 'e.professional_id')
      .orderBy('e.hire_date')
      .select('e.*', db.raw('to_jsonb(o.*) AS organization')),
    filter(db('training_records'), 'professional_id')
      .orderBy([{ column: 'completed_on' }, { column: 'id' }])
      .select(CREDITED_COLUMNS),
  ]);
  return {
    employmentsBy: groupBy(employments as EmploymentWithOrganization[], (e) => e.professional_id),
    recordsBy: groupBy(records as CreditedRecord[], (r) => r.professional_id),
  };
}

/** One batch of people, summarized under each timeline asked for (in the same order). */
export interface SummarizedBatch {
  ids: number[];
  lastId: number;
  /** summaries[t][i]: person ids[i] under timelines[t]. */
  summaries: StoredCompliance[][];
  employmentsBy: Map<number, EmploymentWithOrganization[]>;
}

/**
 * Summarizes everyone's compliance as of a date under one or more timelines of versions (the
 * live one, and for a what-if simulation a draft's), in batches by id. Each batch is read in three
 * queries: employments, the credited hours PostgreSQL sums per person and period, and the first
 * and last credited training on each topic a prerequisite or refresher names; the calculator then
 * allocates those sums (see `summaryFromSums`), which gives the same standing as allocating every
 * training while reading a tenth of the rows. Two batches are read ahead while one is computed, and `onBatch`
 * (writing, reporting) runs for one batch while the next is computed; it is awaited in order.
 */
export async function summarizeEveryone(
  db: Db,
  options: {
    asOf: LocalDate;
    timelines: VersionInEffect[][];
    batchSize?: number;
    afterId?: number;
    /** Stop after this professional id (one bounded batch of a rollover); everyone after `afterId` without it. */
    throughId?: number;
    onBatch: (batch: SummarizedBatch) => Promise<void>;
  },
): Promise<number> {
  const { asOf, timelines } = options;
  const versions = timelines.map(versionsOf);
  // Which topics prerequisites and refreshers ask for is the rule sets' to say.
  const topicsNamed = [
    ...new Set(
      timelines.flatMap((t) =>
        t
          .at(-1)!
          .rules.document.rules.flatMap((r) =>
            r.scope === 'employment' && (r.event.type === 'prerequisite' || r.event.type === 'refresher')
              ? [r.event.params.satisfiedByTopic]
              : [],
          ),
      ),
    ),
  ];
  const batchSize = options.batchSize ?? 2000;
  const readBatch = async (ids: number[]) => {
    const range: [number, number] = [ids[0]!, ids.at(-1)!];
    const [employments, sums, firsts] = await Promise.all([
      db('employments as e')
        .join('organizations as o', 'o.id', 'e.organization_id')
        .whereBetween('e.professional_id', range)
        .orderBy('e.hire_date')
        .select('e.*', db.raw('to_jsonb(o.*) AS organization')),
      periodSums(db, range, asOf),
      topicsNamed.length === 0
        ? []
        : db('training_records')
            .whereBetween('professional_id', range)
            .whereIn('topic', topicsNamed)
            .where('credited_hours', '>', 0)
            .where('completed_on', '<=', asOf)
            .groupBy('professional_id', 'topic')
            .select(
              'professional_id',
              'topic',
              db.raw('min(completed_on) AS first_on'),
              db.raw('max(completed_on) AS last_on'),
            ),
    ]);
    const firstsBy = new Map<number, Map<string, LocalDate>>();
    const lastsBy = new Map<number, Map<string, LocalDate>>();
    for (const f of firsts as Array<{
      professional_id: number;
      topic: string;
      first_on: LocalDate;
      last_on: LocalDate;
    }>) {
      (firstsBy.get(f.professional_id) ?? firstsBy.set(f.professional_id, new Map()).get(f.professional_id)!).set(
        f.topic,
        f.first_on,
      );
      (lastsBy.get(f.professional_id) ?? lastsBy.set(f.professional_id, new Map()).get(f.professional_id)!).set(
        f.topic,
        f.last_on,
      );
    }
    return {
      ids,
      employmentsBy: groupBy(employments as EmploymentWithOrganization[], (e) => e.professional_id),
      histories: await historiesFor(db, employments as EmploymentWithOrganization[]),
      sumsBy: groupBy(sums, (s) => s.professionalId),
      firstsBy,
      lastsBy,
    };
  };
  // Everyone's id up front (a few hundred kilobytes at statewide size), cut into batches.
  const allIds: number[] = await db('professionals')
    .where('id', '>', options.afterId ?? 0)
    .modify((q) => {
      if (options.throughId !== undefined) q.where('id', '<=', options.throughId);
    })
    .orderBy('id')
    .pluck('id');
  const batches: number[][] = [];
  for (let i = 0; i < allIds.length; i += batchSize) batches.push(allIds.slice(i, i + batchSize));
  const READ_AHEAD = 2;
  const reads: Array<ReturnType<typeof readBatch>> = [];
  const readAhead = (index: number) => {
    if (index >= batches.length || reads[index]) return;
    reads[index] = readBatch(batches[index]!);
    // A failed read surfaces when its batch is awaited; keep it from being unhandled meanwhile.
    reads[index]!.catch(() => undefined);
  };
  let done = 0;
  let handing: Promise<unknown> = Promise.resolve();
  for (let index = 0; index < batches.length; index++) {
    for (let ahead = index; ahead <= index + READ_AHEAD; ahead++) readAhead(ahead);
    const batch = await reads[index]!;
    delete reads[index];
    const summaries: StoredCompliance[][] = [];
    for (const [t, timeline] of timelines.entries()) {
      const rows: StoredCompliance[] = [];
      for (const id of batch.ids) {
        const { requirements, prerequisites, refreshers } = await carriedFor(
          timeline,
          batch.employmentsBy.get(id) ?? [],
          batch.histories,
        );
        const summary = summaryFromSums(
          requirements,
          batch.sumsBy.get(id) ?? [],
          asOf,
          prerequisites,
          batch.firstsBy.get(id) ?? new Map(),
          refreshers,
          batch.lastsBy.get(id),
        );
        rows.push({ ...summary, ...versions[t]! });
      }
      summaries.push(rows);
    }
    await handing;
    handing = options
      .onBatch({ ids: batch.ids, lastId: batch.ids.at(-1)!, summaries, employmentsBy: batch.employmentsBy })
      .then(() => {
        done += batch.ids.length;
      });
    // A failed hand-over surfaces at the next await of `handing`.
    handing.catch(() => undefined);
  }
  await handing;
  return done;
}

/**
 * Recomputes and stores the compliance of everyone as of a date (after a new rule-set version),
 * by `summarizeEveryone` under the live versions. `onProgress` hears the running count; `onBatch`
 * hears whose status turned in each batch, after it is written.
 */
export async function recomputeCompliance(
  db: Db,
  options: {
    asOf: LocalDate;
    batchSize?: number;
    /** The running count, and the last professional id whose results are written. */
    onProgress?: (done: number, lastId: number) => void;
    /** Resume after this professional id (a restarted publication carries on where it stopped). */
    afterId?: number;
    /** Stop after this professional id (see `recomputeComplianceBatch`). */
    throughId?: number;
    /** Write only the rows whose result differs (a rollover run again on the same date changes nothing). */
    onlyChanged?: boolean;
    /**
     * Each batch's results and whatever this does (telling whose status turned, noting progress)
     * are written in one transaction, `trx`: a batch is recorded with its consequences or not at all.
     */
    onBatch?: (batch: {
      lastId: number;
      done: number;
      turned: Array<{ professionalId: number; compliant: boolean }>;
      trx: Knex.Transaction;
    }) => Promise<void>;
  },
): Promise<number> {
  const timeline = await ruleSetTimeline(db, COMPLIANCE_RULE_SET, options.asOf);
  let done = 0;
  return summarizeEveryone(db, {
    asOf: options.asOf,
    timelines: [timeline],
    batchSize: options.batchSize,
    afterId: options.afterId,
    throughId: options.throughId,
    onBatch: async ({ ids, lastId, summaries }) => {
      const rows = ids.map((id, i) => ({ ...storedRow(id, summaries[0]![i]!), computed_at: db.fn.now() }));
      const store = (q: Db) => {
        const upsert = q('compliance_results').insert(rows).onConflict('professional_id').merge();
        return options.onlyChanged
          ? upsert.whereRaw('compliance_results.result IS DISTINCT FROM excluded.result')
          : upsert;
      };
      const told = options.onBatch;
      if (!told) await store(db);
      else {
        await db.transaction(async (trx) => {
          // Whose status turns is read in the transaction, just before the write.
          const before = new Map(
            (
              await trx('compliance_results')
                .whereBetween('professional_id', [ids[0]!, lastId])
                .forUpdate()
                .select('professional_id', 'compliant')
            ).map((r: { professional_id: number; compliant: boolean }) => [Number(r.professional_id), r.compliant]),
          );
          await store(trx);
          const turned = rows
            .filter((r) => before.has(r.professional_id) && before.get(r.professional_id) !== r.compliant)
            .map((r) => ({ professionalId: r.professional_id, compliant: r.compliant }));
          await told({ lastId, done: done + ids.length, turned, trx });
        });
      }
      done += ids.length;
      options.onProgress?.(done, lastId);
    },
  });
}

/**
 * Recomputes and stores the compliance of at most `limit` people after `afterId` (keyset by id),
 * in sub-batches of `batchSize`; `onProgress` hears the last id written after each sub-batch (a
 * rollover activity heartbeats it, so a retry carries on from there). `finished` says nobody is left.
 */
export async function recomputeComplianceBatch(
  db: Db,
  options: {
    asOf: LocalDate;
    afterId: number;
    limit: number;
    batchSize?: number;
    onProgress?: (lastId: number, done: number) => void;
    /** Whose status turned in each sub-batch, in its transaction (see `recomputeCompliance`). */
    onBatch?: Parameters<typeof recomputeCompliance>[1]['onBatch'];
  },
): Promise<{ lastId: number; done: number; finished: boolean }> {
  const ids: number[] = (
    await db('professionals').where('id', '>', options.afterId).orderBy('id').limit(options.limit).pluck('id')
  ).map(Number);
  if (ids.length === 0) return { lastId: options.afterId, done: 0, finished: true };
  const throughId = ids.at(-1)!;
  const done = await recomputeCompliance(db, {
    asOf: options.asOf,
    afterId: options.afterId,
    throughId,
    batchSize: options.batchSize ?? 500,
    onlyChanged: true,
    onProgress: (count, lastId) => options.onProgress?.(lastId, count),
    onBatch: options.onBatch,
  });
  return { lastId: throughId, done, finished: ids.length < options.limit };
}

/**
 * Credited hours per person and period up to a date, summed by PostgreSQL: for each person, per
 * calendar year (periods starting in January) and per contract year of each program they were
 * employed at (periods starting in the program's month).
 */
async function periodSums(
  db: Db,
  range: [number, number],
  asOf: LocalDate,
): Promise<Array<PeriodSum & { professionalId: number }>> {
  // A period is named by the year it starts in: a date in a month before the anchor month belongs
  // to the period that started the year before. Calendar years (anchor 1) are summed for everyone
  // in one plain pass; only people at programs with a later contract month are summed again.
  const { rows } = await db.raw<{
    rows: Array<{ professional_id: number; anchor_month: number; period_year: number; hours: string }>;
  }>(
    `SELECT professional_id, 1 AS anchor_month, date_part('year', completed_on)::int AS period_year, sum(credited_hours) AS hours
       FROM training_records
      WHERE professional_id BETWEEN :first AND :last AND credited_hours > 0 AND completed_on <= :asOf
      GROUP BY 1, 3
     UNION ALL
     SELECT t.professional_id, a.anchor_month,
            date_part('year', t.completed_on)::int - (date_part('month', t.completed_on)::int < a.anchor_month)::int,
            sum(t.credited_hours)
       FROM training_records t
       JOIN (SELECT e.professional_id, o.contract_year_start_month AS anchor_month
               FROM employments e JOIN organizations o ON o.id = e.organization_id
              WHERE e.professional_id BETWEEN :first AND :last AND o.contract_year_start_month > 1
              UNION
             -- Every start month a program's history has had: each judges its own contract years.
             SELECT e.professional_id, ps.contract_year_start_month
               FROM employments e JOIN program_settings ps ON ps.organization_id = e.organization_id
              WHERE e.professional_id BETWEEN :first AND :last AND ps.contract_year_start_month > 1) a
         ON a.professional_id = t.professional_id
      WHERE t.professional_id BETWEEN :first AND :last AND t.credited_hours > 0 AND t.completed_on <= :asOf
      GROUP BY 1, 2, 3`,
    { first: range[0], last: range[1], asOf },
  );
  return rows.map((r) => ({
    professionalId: r.professional_id,
    anchorMonth: r.anchor_month,
    periodStart: dateOf(r.period_year, r.anchor_month, 1),
    hours: Number(r.hours),
  }));
}

function groupBy<T>(items: T[], key: (item: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
