/**
 * What-if: a draft against the live registry as of a date, beside the versions in effect. Every
 * person's compliance is summarized under both (the draft taken to be in effect from its own
 * effective date), read-only, in batches with progress; the result says how many turn each way,
 * by organization, region and program type, and how recent trainings would be credited instead.
 */
import type { Db } from '../db/connection.js';
import { ruleSetTimeline, ruleSetVersion, type VersionInEffect } from '../db/ruleSets.js';
import { compileRuleSet, type CompiledRuleSet, type TrainingFacts } from '../rules/engine.js';
import { parseRuleSetDocument } from '../rules/schema.js';
import { addDays, type LocalDate } from '../rules/dates.js';
import { summarizeEveryone, complianceAsOf } from './compliance.js';
import type { EmploymentWithOrganization } from '../db/employments.js';
import { DomainError } from './errors.js';
import { audit } from '../db/audit.js';
import { insertSimulation, ruleSetVersionExists } from '../db/ruleSets.js';
import type { TemporalGateway } from './workflowClient.js';

interface SimulationRow {
  id: number;
  rule_set: string;
  version: number;
  as_of: LocalDate;
  status: string;
  total: number | null;
}

/** The live versions with the draft in effect from its date on (nothing changes before it). */
export function timelineWithDraft(
  live: VersionInEffect[],
  draft: CompiledRuleSet,
  draftFrom: LocalDate,
): VersionInEffect[] {
  const before = live
    .filter((v) => v.from < draftFrom)
    .map((v) => ({ ...v, to: v.to === null || v.to >= draftFrom ? addDays(draftFrom, -1) : v.to }));
  return [...before, { from: draftFrom, to: null, rules: draft }];
}

async function timelinesOf(db: Db, row: SimulationRow) {
  const live = await ruleSetTimeline(db, row.rule_set, row.as_of);
  const version = await db('rule_set_versions')
    .where({ rule_set: row.rule_set, version: row.version })
    .first<{ document: unknown }>('document');
  const document = parseRuleSetDocument(version!.document);
  const draftFrom = document.effectiveFrom <= row.as_of ? document.effectiveFrom : row.as_of;
  return {
    live,
    draft: timelineWithDraft(live, compileRuleSet(document), draftFrom),
    draftRules: compileRuleSet(document),
  };
}

type Tally = { people: number; toCompliant: number; toNonCompliant: number };
const tally = (): Tally => ({ people: 0, toCompliant: 0, toNonCompliant: 0 });

/** The kind of program: the registry's program type (`organizations.program_type`), as reports group them. */
const programTypeOf = (o: EmploymentWithOrganization['organization']) => o.program_type ?? 'child_care';

const SAMPLES = 20;

/**
 * A simulation's result as read: each program type named by its English and Spanish labels as the
 * registry has them now (the stored result keeps the code, so a relabelled type reads as it is called today).
 */
export async function withProgramTypeLabels(db: Db, result: unknown): Promise<unknown> {
  const stored = result as { byProgramType?: Array<{ programType: string }> } | null;
  if (!stored?.byProgramType) return result;
  const labels = new Map(
    (
      (await db('program_types').select('code', 'label_en', 'label_es')) as Array<{
        code: string;
        label_en: string;
        label_es: string;
      }>
    ).map((t) => [t.code, t]),
  );
  return {
    ...stored,
    byProgramType: stored.byProgramType.map((p) => ({
      ...p,
      labelEn: labels.get(p.programType)?.label_en ?? p.programType,
      labelEs: labels.get(p.programType)?.label_es ?? p.programType,
    })),
  };
}

/** Told after each batch, with the last person's id: the activity heartbeats with it. */
export type Heartbeat = (progress: { lastId: number }) => void;

export function createSimulationService({ db }: { db: Db }) {
  return {
    async runSimulation(
      { simulationId }: { simulationId: number },
      heartbeat: Heartbeat = () => {},
    ): Promise<{ people: number }> {
      const row = await db('rule_set_simulations').where({ id: simulationId }).first<SimulationRow | undefined>();
      if (!row) throw new DomainError('NotFound', `No simulation ${simulationId}`);
      // Run again after it finished (a retry whose first completion was lost): the same answer.
      if (row.status !== 'running') return { people: Number(row.total ?? 0) };
      const { live, draft, draftRules } = await timelinesOf(db, row);
      const total = Number((await db('professionals').count<{ n: number }[]>({ n: '*' }))[0]!.n);
      await db('rule_set_simulations')
        .where({ id: simulationId })
        .update({ total, done: 0, compared_with_version: live.at(-1)!.rules.version });

      const turned = { toCompliant: 0, toNonCompliant: 0 };
      const byOrganization = new Map<number, Tally & { name: string }>();
      const byRegion = new Map<string, Tally>();
      const byProgramType = new Map<string, Tally>();
      const samples: Array<{ professionalId: number; before: boolean; after: boolean }> = [];
      let done = 0;
      await summarizeEveryone(db, {
        asOf: row.as_of,
        timelines: [live, draft],
        batchSize: 2000,
        onBatch: async ({ ids, lastId, summaries, employmentsBy }) => {
          ids.forEach((id, i) => {
            const before = summaries[0]![i]!.compliant;
            const after = summaries[1]![i]!.compliant;
            const change = before === after ? null : after ? 'toCompliant' : 'toNonCompliant';
            if (change) {
              turned[change]++;
              if (samples.length < SAMPLES) samples.push({ professionalId: id, before, after });
            }
            // Where they work as of the date: each of their current programs counts them once.
            const current = (employmentsBy.get(id) ?? []).filter(
              (e) => e.hire_date <= row.as_of && (!e.end_date || e.end_date >= row.as_of),
            );
            const count = (map: Map<string, Tally>, key: string) => {
              const t = map.get(key) ?? map.set(key, tally()).get(key)!;
              t.people++;
              if (change) t[change]++;
            };
            for (const e of current) {
              const o = e.organization;
              const org = byOrganization.get(o.id) ?? byOrganization.set(o.id, { ...tally(), name: o.name }).get(o.id)!;
              org.people++;
              if (change) org[change]++;
              count(byRegion, (o as { region?: string | null }).region ?? 'unknown');
              count(byProgramType, programTypeOf(o));
            }
          });
          done += ids.length;
          await db('rule_set_simulations').where({ id: simulationId }).update({ done });
          heartbeat({ lastId });
        },
      });

      const names = new Map<number, string>(
        (
          await db('professionals')
            .whereIn(
              'id',
              samples.map((s) => s.professionalId),
            )
            .select('id', 'first_name', 'last_name')
        ).map((p: { id: number; first_name: string; last_name: string }) => [
          Number(p.id),
          `${p.first_name} ${p.last_name}`,
        ]),
      );
      const result = {
        people: total,
        turned,
        byOrganization: [...byOrganization.entries()]
          .map(([organizationId, t]) => ({ organizationId, ...t }))
          .sort((a, b) => b.toCompliant + b.toNonCompliant - (a.toCompliant + a.toNonCompliant) || b.people - a.people)
          .slice(0, 200),
        byRegion: [...byRegion.entries()]
          .map(([region, t]) => ({ region, ...t }))
          .sort((a, b) => a.region.localeCompare(b.region)),
        byProgramType: [...byProgramType.entries()]
          .map(([programType, t]) => ({ programType, ...t }))
          .sort((a, b) => a.programType.localeCompare(b.programType)),
        credit: await creditDifferences(db, draftRules, row.as_of),
        samples: samples.map((s) => ({
          professionalId: s.professionalId,
          name: names.get(s.professionalId) ?? '',
          before: { compliant: s.before },
          after: { compliant: s.after },
        })),
      };
      await db('rule_set_simulations')
        .where({ id: simulationId })
        .update({ status: 'completed', result: JSON.stringify(result), done: total, finished_at: new Date() });
      return { people: total };
    },

    async failSimulation({ simulationId, error }: { simulationId: number; error: string }): Promise<void> {
      await db('rule_set_simulations')
        .where({ id: simulationId, status: 'running' })
        .update({ status: 'failed', error, finished_at: new Date() });
    },
  };
}

/**
 * How the draft would credit the trainings of the last twelve months, beside how they were
 * credited: distinct credit situations are grouped in SQL, each decided once under the draft.
 * (Credit is decided once, at completion, so this shows what the draft does to training to come.)
 *
 * The facts are rebuilt from what the record and its course hold, and some records hold fewer
 * facts than were known when they were credited (the CPR model and the trainer's certification
 * are not copied onto imported or seeded records; other trainings of the year are only known by
 * the reasons they left). Comparing the draft with the stored hours would then count a rebuilt
 * fact as a change of policy (CPR records credited under version 1 turning to none for "model not
 * accepted"). So each situation is decided under the version that credited it too, from the same
 * rebuilt facts, and only the draft's difference from that is reported: a rule the draft leaves as
 * it was changes nothing.
 */
async function creditDifferences(db: Db, draft: CompiledRuleSet, asOf: LocalDate) {
  const groups: Array<{
    approved: boolean;
    delivery: string;
    topic: string;
    sponsor: string | null;
    hours: string;
    clock_hours: string | null;
    in_person_hours: string | null;
    source: string;
    completed_on: LocalDate;
    registered_on: LocalDate | null;
    cpr_model: string | null;
    trainer_has_instructor_certification: boolean | null;
    in_ratio: boolean;
    used_for_group: boolean;
    credited_hours: string;
    credit_rule_set: string | null;
    credit_rule_set_version: number | null;
    reasons: string[];
    records: number;
  }> = (
    await db.raw(
      `SELECT coalesce(c.approved, true) AS approved, c.delivery, r.topic, c.sponsor, r.hours, c.clock_hours, c.in_person_hours, r.source, r.completed_on::text AS completed_on,
              r.registered_on::text AS registered_on, coalesce(r.cpr_model, c.cpr_model) AS cpr_model, r.trainer_has_instructor_certification, r.in_ratio, r.used_for_group, r.credited_hours,
              ARRAY(SELECT jsonb_array_elements(r.credit_reasons)->>'code') AS reasons, r.credit_rule_set, r.credit_rule_set_version, count(*)::int AS records
         FROM training_records r LEFT JOIN courses c ON c.id = r.course_id
        WHERE r.completed_on > ?::date - 365 AND r.completed_on <= ?::date
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18`,
      [asOf, asOf],
    )
  ).rows;
  let recordsCompared = 0;
  let recordsChanged = 0;
  let hoursBefore = 0;
  let hoursAfter = 0;
  const byReason = new Map<string, { code: string; text: string; records: number; hoursDifference: number }>();
  const versions = new Map<string, Promise<CompiledRuleSet | null>>();
  const creditedUnder = (g: (typeof groups)[number]) => {
    if (g.credit_rule_set !== draft.ruleSet || g.credit_rule_set_version === null) return Promise.resolve(null);
    const key = `${g.credit_rule_set}@${g.credit_rule_set_version}`;
    return (
      versions.get(key) ??
      versions
        .set(
          key,
          ruleSetVersion(db, g.credit_rule_set, Number(g.credit_rule_set_version)).catch(() => null),
        )
        .get(key)!
    );
  };
  for (const g of groups) {
    const facts: TrainingFacts = {
      training: {
        approved: g.approved,
        delivery: (g.delivery ?? null) as never,
        topic: g.topic,
        sponsor: g.sponsor,
        hours: Number(g.hours),
        courseHours: Number(g.clock_hours ?? g.hours),
        inPersonHours: g.in_person_hours === null ? null : Number(g.in_person_hours),
        source: g.source as never,
        completedOn: g.completed_on,
        registeredOn: g.registered_on,
        cprModel: g.cpr_model,
        // Not kept on seeded and imported records: what it was is in whether the rule cut the credit.
        trainerHasInstructorCertification:
          g.trainer_has_instructor_certification ??
          (g.cpr_model ? !g.reasons.includes('cpr-trainer-not-certified') : null),
        inRatio: g.in_ratio,
        usedForGroup: g.used_for_group,
      },
      // What the registry knew of this person's other trainings is carried in the reasons it gave.
      history: {
        creditedCompletionsOfCourseThisYear: g.reasons.includes('dese-course-already-credited-this-year') ? 1 : 0,
        overlapsAnotherCourseInProgress: g.reasons.includes('dese-course-overlapped-another'),
      },
    };
    const decision = await draft.decideCredit(facts);
    const stored = Number(g.credited_hours);
    // The same rebuilt facts under the version that credited the record: what the draft changes.
    const baseline = await (await creditedUnder(g))?.decideCredit(facts);
    const baselineHours = baseline?.creditedHours ?? stored;
    const baselineReasons = baseline ? baseline.reasons.map((r) => r.code) : g.reasons;
    const before = stored;
    const after = Math.max(0, stored + decision.creditedHours - baselineHours);
    recordsCompared += g.records;
    hoursBefore += before * g.records;
    hoursAfter += after * g.records;
    if (decision.creditedHours === baselineHours) continue;
    recordsChanged += g.records;
    const why = decision.reasons.filter((r) => !baselineReasons.includes(r.code));
    const keys =
      why.length > 0
        ? why.map((r) => ({ code: r.code, text: r.text }))
        : [
            {
              code: 'rule-removed-or-relaxed',
              text: `No longer cut by: ${baselineReasons.filter((c) => !decision.reasons.some((r) => r.code === c)).join(', ') || 'a changed rule'}`,
            },
          ];
    for (const k of keys) {
      const entry = byReason.get(k.code) ?? byReason.set(k.code, { ...k, records: 0, hoursDifference: 0 }).get(k.code)!;
      entry.records += g.records;
      entry.hoursDifference += (after - before) * g.records;
    }
  }
  return {
    recordsCompared,
    recordsChanged,
    hoursBefore,
    hoursAfter,
    byReason: [...byReason.values()].sort((a, b) => b.records - a.records),
  };
}

/** One person's compliance under the live versions and under the draft, explained, for the simulation's date. */
export async function simulatedPerson(db: Db, simulationId: number, professionalId: number) {
  const row = await db('rule_set_simulations').where({ id: simulationId }).first<SimulationRow | undefined>();
  if (!row) throw new DomainError('NotFound', `No simulation ${simulationId}`, 'id');
  const { live, draft } = await timelinesOf(db, row);
  return {
    before: await complianceAsOf(db, professionalId, row.as_of, live),
    after: await complianceAsOf(db, professionalId, row.as_of, draft),
  };
}

/**
 * Asks for a what-if run of a version (a draft) as of a date: saves it, audits it and starts its
 * workflow in one transaction (a workflow that fails to start leaves no simulation behind).
 */
export async function requestSimulation(
  db: Db,
  temporal: Pick<TemporalGateway, 'startSimulation'>,
  input: { ruleSet: string; version: number; asOf: LocalDate },
  context: { actorUserId: number; requestId?: string },
): Promise<{ simulationId: number }> {
  if (!(await ruleSetVersionExists(db, input.ruleSet, input.version)))
    throw new DomainError('NotFound', `Rule set ${input.ruleSet} has no version ${input.version}`, 'version');
  return db.transaction(async (trx) => {
    const workflowId = `rule-set-simulation-${input.ruleSet}-${input.version}-${Date.now()}`;
    const simulationId = await insertSimulation(trx, { ...input, workflowId, requestedByUserId: context.actorUserId });
    await audit(trx, {
      actorUserId: context.actorUserId,
      action: 'rule_set.simulation_started',
      entity: 'rule_set_version',
      entityId: `${input.ruleSet}@${input.version}`,
      after: { simulationId, asOf: input.asOf },
      requestId: context.requestId,
    });
    await temporal.startSimulation(simulationId, workflowId);
    return { simulationId };
  });
}
