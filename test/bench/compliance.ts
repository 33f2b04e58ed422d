/**
 * Compliance at statewide size: 60,000 professionals with five years of history (about 3 million
 * training records), each figure beside a floor measured in the same run — the plain SQL that only
 * reads the same rows. Run: npm run bench:compliance  (BENCH_PROFESSIONALS to scale it down)
 */
import { performance } from 'node:perf_hooks';
import { createDb, dropDatabase, ensureDatabase, migrateLatest } from '../../db/connection.js';
import { installShippedRuleSets } from '../../db/ruleSets.js';
import { publishLicensingHours } from '../support/ruleSets.js';
import { complianceAsOf, recomputeCompliance } from '../../services/compliance.js';
import { staffReport } from '../../services/staffReport.js';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createSimulationActivities } from '../../activities/ruleSetSimulation.js';
import { seedWorkforce } from './seeding.js';
import { insertedId, mustFind } from '../support/rows.js';

const PROFESSIONALS = Number(process.env.BENCH_PROFESSIONALS ?? 60_000);
const RECORDS_EACH = 50;
const ORGANIZATIONS = Math.max(2, Math.round(PROFESSIONALS / 20));
const AS_OF = '2026-06-30';
const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
url.pathname = '/mopd_bench';

const say = (line: string) => process.stdout.write(`${line}\n`);
const ms = (n: number) => `${n.toFixed(2)} ms`;
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
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

say(
  `seeding ${PROFESSIONALS} professionals, ${ORGANIZATIONS} organizations, ${PROFESSIONALS * RECORDS_EACH} training records…`,
);
const [seedMs] = await timed(async () => {
  await seedWorkforce(db, { professionals: PROFESSIONALS, recordsEach: RECORDS_EACH, organizations: ORGANIZATIONS });
});
say(`seeded in ${(seedMs / 1000).toFixed(1)} s`);

// 1. One professional's compliance, warm, beside the SQL that reads the same rows.
const sample = Array.from({ length: 1000 }, (_, i) => 1 + ((i * 7919) % PROFESSIONALS));
for (const id of sample.slice(0, 100)) await complianceAsOf(db, id, AS_OF);
const floorSingle: number[] = [];
const single: number[] = [];
for (const id of sample) {
  floorSingle.push(
    (
      await timed(() =>
        Promise.all([
          db.raw(
            'SELECT e.*, to_jsonb(o.*) FROM employments e JOIN organizations o ON o.id = e.organization_id WHERE e.professional_id = ?',
            [id],
          ),
          db.raw('SELECT * FROM training_records WHERE professional_id = ? ORDER BY completed_on, id', [id]),
        ]),
      )
    )[0],
  );
  single.push((await timed(() => complianceAsOf(db, id, AS_OF)))[0]);
}

// 2. The director report of the 200-staff organization, beside reading its staff's rows.
const report: number[] = [];
const floorReport: number[] = [];
for (let i = 0; i < 5; i++) {
  floorReport.push(
    (
      await timed(() =>
        db.raw(
          'SELECT t.* FROM training_records t JOIN employments e ON e.professional_id = t.professional_id WHERE e.organization_id = 1',
        ),
      )
    )[0],
  );
  report.push((await timed(() => staffReport(db, 1, AS_OF)))[0]);
}

// 3. Statewide recompute after a new rule-set version (licensing hours raised to 15 from
//    2026-01-01, so two versions judge each person), beside one GROUP BY over every record.
await publishLicensingHours(db, { version: 2, effectiveFrom: '2026-01-01', hours: 15 });
const [floorAll] = await timed(() =>
  db.raw(
    "SELECT professional_id, date_part('year', completed_on) AS year, sum(credited_hours) FROM training_records GROUP BY 1, 2",
  ),
);
const [recompute, count] = await timed(() => recomputeCompliance(db, { asOf: AS_OF }));

// 4. What-if: a draft lowering licensing to 10 hours from 2026-01-01, simulated against everyone
//    beside the versions in effect (both summarized per person), read-only, as the worker runs it.
await publishLicensingHours(db, { version: 3, effectiveFrom: '2026-01-01', hours: 10, status: 'draft' });
const simulationId = await insertedId(
  db('rule_set_simulations')
    .insert({ rule_set: 'mopd-compliance', version: 3, as_of: AS_OF, workflow_id: 'bench-simulation' })
    .returning('id'),
);
const { runSimulation } = createSimulationActivities({ db });
const [simulation] = await timed(() =>
  new MockActivityEnvironment().run(runSimulation, { simulationId: Number(simulationId) }),
);
const simulated = (await mustFind(db('rule_set_simulations').where({ id: simulationId }).first())).result as {
  turned: { toCompliant: number; toNonCompliant: number };
  credit: { recordsCompared: number };
};

say('');
say(`| measure | MOPD | floor (same rows, plain SQL) | ratio |`);
say(`| --- | --- | --- | --- |`);
say(
  `| one professional's compliance as of a date, explained, p50 (n=${sample.length}, warm) | ${ms(percentile(single, 50))} | ${ms(percentile(floorSingle, 50))} | ${(percentile(single, 50) / percentile(floorSingle, 50)).toFixed(1)}x |`,
);
say(
  `| one professional's compliance, p99 | ${ms(percentile(single, 99))} | ${ms(percentile(floorSingle, 99))} | ${(percentile(single, 99) / percentile(floorSingle, 99)).toFixed(1)}x |`,
);
say(
  `| staff report, 200 staff (median of 5) | ${ms(percentile(report, 50))} | ${ms(percentile(floorReport, 50))} | ${(percentile(report, 50) / percentile(floorReport, 50)).toFixed(1)}x |`,
);
say(
  `| statewide recompute after a new version, ${count} professionals | ${(recompute / 1000).toFixed(1)} s | ${(floorAll / 1000).toFixed(1)} s (GROUP BY) | ${(recompute / floorAll).toFixed(1)}x |`,
);
say(
  `| what-if simulation of a draft, ${count} professionals under both (${simulated.turned.toCompliant} turn compliant, ${simulated.turned.toNonCompliant} not; ${simulated.credit.recordsCompared} records re-credited) | ${(simulation / 1000).toFixed(1)} s | ${(floorAll / 1000).toFixed(1)} s (GROUP BY) | ${(simulation / floorAll).toFixed(1)}x |`,
);

await db.destroy();
if (!process.env.BENCH_KEEP) await dropDatabase(url.toString());
