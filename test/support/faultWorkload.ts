/**
 * A realistic workload for fault-injection runs, driven through the real API, and the invariants
 * checked afterwards from PostgreSQL, the SMTP capture and Temporal.
 *
 * Approval cases: half organization claims (one in four denied with a reason), half individual
 * training requests with proof (approved: each grants a course and a credited training record).
 * Each is submitted by an applicant, checked and assigned by its workflow to the one reviewer, and
 * decided through the API with an Idempotency-Key, as a reviewer's browser would.
 * Employment deadlines: hires at licensed programs serving infants, dated so the safe-sleep
 * deadline acts at once: a third hired 40 days ago (overdue: the person and the director are
 * emailed), a third 25 days ago (the reminder goes out; overdue in 6 days, so the workflow waits),
 * a third 10 days ago whose safe-sleep training is then recorded (met; the workflow ends).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultRig } from './faultRig.js';
import { until } from './polling.js';
import { outboxMessageId } from '../../services/mail/mailer.js';
import { aUser, signIn, type Session } from './app.js';
import { addDays, localDateOf } from '../../rules/dates.js';

export interface WorkloadOptions {
  cases: number;
  deadlines: number;
  /** Requests in flight at once. */
  concurrency?: number;
  log?: (line: string) => void;
}

type DeadlineGroup = 'overdue' | 'reminded' | 'met';
const GROUPS: Array<{ group: DeadlineGroup; hiredDaysAgo: number }> = [
  { group: 'overdue', hiredDaysAgo: 40 },
  { group: 'reminded', hiredDaysAgo: 25 },
  { group: 'met', hiredDaysAgo: 10 },
];

export interface WorkloadResult {
  cases: Array<{ id: number; type: 'organization_claim' | 'training_request'; decision: 'approved' | 'denied' }>;
  hires: Array<{ employmentId: number; professionalId: number; group: DeadlineGroup }>;
  /** Requests answered 503 (and tried again) while a dependency was away. */
  unavailable: number;
}

/** Runs `work` for 0..count-1 with at most `concurrency` at once. */
export async function pool(count: number, concurrency: number, work: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

/** Polls a yes-or-no check (polling.ts's `until`) until it holds; a failure names what was waited for. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  try {
    await until(check, (holds) => holds, timeoutMs, 250);
  } catch (error) {
    throw new Error(`waiting for ${what}: ${(error as Error).message}`, { cause: error });
  }
}

const count = async (query: PromiseLike<Array<Record<string, unknown>>>) =>
  Number(Object.values((await query)[0] ?? { n: 0 })[0]);

/**
 * Sends a request until it is answered with something other than a temporary refusal: 503 (a
 * dependency away; the change was not made), 409 from a case's workflow that has not yet reached
 * the state its row shows, or no answer at all. Anything else must be `expected`.
 */
async function persist(
  label: string,
  result: WorkloadResult,
  send: () => PromiseLike<{ status: number; body: unknown }>,
  expected: number,
  retryOn: number[] = [503],
) {
  for (let attempt = 1; ; attempt++) {
    let response: { status: number; body: unknown } | undefined;
    try {
      response = await send();
    } catch (error) {
      if (attempt > 200) throw error;
    }
    if (response?.status === expected) return response.body as { case: { id: number }; employment: { id: number } };
    if (response && !retryOn.includes(response.status))
      throw new Error(`${label}: ${response.status} ${JSON.stringify(response.body)}`);
    if (response?.status === 503) result.unavailable++;
    if (attempt > 200) throw new Error(`${label}: still ${response?.status ?? 'no answer'} after ${attempt} attempts`);
    await sleep(Math.min(250 * attempt, 2_000));
  }
}

export async function runWorkload(rig: FaultRig, options: WorkloadOptions): Promise<WorkloadResult> {
  const { db } = rig.database;
  const concurrency = options.concurrency ?? 10;
  const log = options.log ?? (() => undefined);
  const today = localDateOf(new Date());
  const result: WorkloadResult = { cases: [], hires: [], unavailable: 0 };

  // People and places (set-up, in SQL where it is not what is being tested).
  const claims = Math.ceil(options.cases / 2);
  await db.raw(
    `INSERT INTO organizations (name, licensed, subsidized, serves_infants, county) SELECT 'Claimed Center ' || g, true, false, false, 'Boone' FROM generate_series(1, ?) g`,
    [claims],
  );
  const claimable: number[] = (
    await db('organizations').where('name', 'like', 'Claimed Center %').orderBy('id').pluck('id')
  ).map(Number);
  await db.raw(
    `INSERT INTO organizations (name, licensed, subsidized, serves_infants, county) SELECT 'Infant Center ' || g, true, false, true, 'Boone' FROM generate_series(1, 10) g`,
  );
  const infantCenters: number[] = (
    await db('organizations').where('name', 'like', 'Infant Center %').orderBy('id').pluck('id')
  ).map(Number);
  await db.raw(
    `INSERT INTO professionals (mopd_id, first_name, last_name, email) SELECT 'MO' || lpad((7000000 + g)::text, 7, '0'), 'Hire' || g, 'Fault', 'hire' || g || '@example.org' FROM generate_series(1, ?) g`,
    [options.deadlines + infantCenters.length],
  );
  const people: number[] = (await db('professionals').where('last_name', 'Fault').orderBy('id').pluck('id')).map(
    Number,
  );
  // Each infant center has a director, who hears of their staff's overdue deadlines.
  await db('employments').insert(
    infantCenters.map((organizationId, i) => ({
      professional_id: people[i],
      organization_id: organizationId,
      role: 'director',
      hire_date: addDays(today, -1000),
    })),
  );
  const hirees = people.slice(infantCenters.length);
  const [safeSleep] = await db('courses')
    .insert({
      title: 'Infant Safe Sleep (in person)',
      sponsor: 'DESE OOC',
      topic: 'infant-safe-sleep',
      delivery: 'in_person',
      clock_hours: 1,
      approved: true,
    })
    .returning('id');
  const safeSleepCourse = Number((safeSleep as { id: number }).id);

  const applicantUsers = await Promise.all(
    Array.from({ length: Math.min(20, Math.max(1, options.cases)) }, () => aUser(db, ['professional'])),
  );
  const reviewerUser = await aUser(db, ['reviewer']);
  await db('reviewer_profiles').insert({
    user_id: reviewerUser.user.id,
    is_lead: true,
    accepts_automatic_assignment: true,
  });
  const admin = await signIn(rig.server, await aUser(db, ['admin']));
  const reviewer = await signIn(rig.server, reviewerUser);
  const applicants: Session[] = [];
  const proofs: string[] = [];
  for (const user of applicantUsers) {
    const session = await signIn(rig.server, user);
    applicants.push(session);
    const upload = await session.agent
      .post('/api/uploads')
      .set('x-csrf-token', session.csrf)
      .field('purpose', 'training_proof')
      .attach('file', Buffer.from('%PDF-1.4\n% certificate of completion\n%%EOF\n'), 'certificate.pdf');
    if (upload.status !== 201) throw new Error(`upload: ${upload.status} ${JSON.stringify(upload.body)}`);
    proofs.push(upload.body.upload.id as string);
  }
  log(
    `prepared ${options.cases} cases from ${applicants.length} applicants and ${options.deadlines} hires at ${infantCenters.length} infant centers`,
  );

  // Hires and cases go in together, as they would on a working day.
  const submitCase = async (i: number) => {
    const a = i % applicants.length;
    const applicant = applicants[a]!;
    if (i < claims) {
      const body = await persist(
        `claim ${i}`,
        result,
        () => applicant.post('/api/cases/organization-claims', { organizationId: claimable[i], position: 'Director' }),
        201,
      );
      result.cases.push({
        id: Number(body.case.id),
        type: 'organization_claim',
        decision: i % 4 === 3 ? 'denied' : 'approved',
      });
    } else {
      const body = await persist(
        `training request ${i}`,
        result,
        () =>
          applicant.post('/api/cases/training-requests', {
            title: `Child development coursework ${i}`,
            provider: 'Columbia College',
            category: 'college-coursework',
            inRatio: false,
            topic: 'child-development',
            completedOn: addDays(today, -20),
            hours: 3,
            delivery: 'in_person',
            proof: [proofs[a]],
          }),
        201,
      );
      result.cases.push({ id: Number(body.case.id), type: 'training_request', decision: 'approved' });
    }
  };
  const hire = async (i: number) => {
    const { group, hiredDaysAgo } = GROUPS[i % GROUPS.length]!;
    const professionalId = hirees[i]!;
    const body = await persist(
      `hire ${i}`,
      result,
      () =>
        admin.post('/api/employments', {
          professionalId,
          organizationId: infantCenters[i % infantCenters.length],
          role: 'teacher',
          hireDate: addDays(today, -hiredDaysAgo),
        }),
      201,
    );
    result.hires.push({ employmentId: Number(body.employment.id), professionalId, group });
  };
  const submissions: Array<() => Promise<void>> = [];
  for (let k = 0; k < Math.max(options.cases, options.deadlines); k++) {
    if (k < options.cases) submissions.push(() => submitCase(k));
    if (k < options.deadlines) submissions.push(() => hire(k));
  }
  await pool(submissions.length, concurrency, (i) => submissions[i]!());
  log(
    `submitted ${result.cases.length} cases and ${result.hires.length} hires (${result.unavailable} answers 503 so far)`,
  );

  // Safe-sleep training for the third hired 10 days ago, recorded by an admin: it meets the deadline.
  const met = result.hires.filter((h) => h.group === 'met');
  await pool(met.length, concurrency, (i) =>
    persist(
      `training ${i}`,
      result,
      () =>
        admin.post('/api/training-records', {
          professionalId: met[i]!.professionalId,
          courseId: safeSleepCourse,
          completedOn: addDays(today, -1),
          source: 'attendance',
        }),
      201,
    ),
  );
  log(`recorded ${met.length} safe-sleep trainings`);

  // The reviewer decides each case once it is in review (assigned by workload: the only reviewer).
  const waiting = new Map(result.cases.map((c) => [c.id, c]));
  while (waiting.size > 0) {
    const ready: number[] = (
      await db('cases')
        .whereIn('id', [...waiting.keys()])
        .where({ status: 'in_review' })
        .pluck('id')
    ).map(Number);
    await pool(ready.length, concurrency, async (i) => {
      const c = waiting.get(ready[i]!)!;
      const body =
        c.decision === 'approved'
          ? { decision: 'approved', reasons: [] }
          : { decision: 'denied', reasons: ['Another director already manages this program.'] };
      // The same key on every try, so a decision whose answer was lost is not made twice; 409 is a
      // workflow that has not yet caught up with its row.
      await persist(
        `decide ${c.id}`,
        result,
        () =>
          reviewer.agent
            .post(`/api/cases/${c.id}/decide`)
            .set('x-csrf-token', reviewer.csrf)
            .set('idempotency-key', `fault-decide-${c.id}`)
            .send(body),
        200,
        [409, 503],
      );
      waiting.delete(c.id);
    });
    if (ready.length === 0) await sleep(250);
  }
  log(`decided ${result.cases.length} cases (${result.unavailable} answers 503 in all)`);
  return result;
}

/** What each workflow should be once the run is over: closed, or waiting on a timer or a signal. */
function expectedWorkflows(result: WorkloadResult): Map<string, 'COMPLETED' | 'RUNNING'> {
  const expected = new Map<string, 'COMPLETED' | 'RUNNING'>();
  for (const c of result.cases) expected.set(`case-${c.type.replace(/_/g, '-')}-${c.id}`, 'COMPLETED');
  for (const h of result.hires)
    expected.set(`employment-deadlines-${h.employmentId}`, h.group === 'met' ? 'COMPLETED' : 'RUNNING');
  return expected;
}

const EXPECTED_DEADLINE_STATUS: Record<DeadlineGroup, string> = { overdue: 'overdue', reminded: 'open', met: 'met' };

/** Waits until every case is decided, every deadline where it should be, every email sent and every workflow as expected. */
export async function settle(rig: FaultRig, result: WorkloadResult, timeoutMs: number): Promise<void> {
  const { db } = rig.database;
  const byStatus = async () => {
    const rows: Array<{ id: number; status: string }> = await db('cases')
      .whereIn(
        'id',
        result.cases.map((c) => c.id),
      )
      .select('id', 'status');
    const status = new Map(rows.map((r) => [Number(r.id), r.status]));
    return result.cases.every((c) => status.get(c.id) === c.decision);
  };
  await waitFor('every case decided in PostgreSQL', byStatus, timeoutMs);
  await waitFor(
    'every deadline where its hire date puts it',
    async () => {
      const rows: Array<{ employment_id: number; status: string; reminded_at: Date | null }> = await db('deadlines')
        .whereIn(
          'employment_id',
          result.hires.map((h) => h.employmentId),
        )
        .select('employment_id', 'status', 'reminded_at');
      const of = new Map(rows.map((r) => [Number(r.employment_id), r]));
      return result.hires.every(
        (h) =>
          of.get(h.employmentId)?.status === EXPECTED_DEADLINE_STATUS[h.group] &&
          (h.group !== 'reminded' || of.get(h.employmentId)!.reminded_at !== null),
      );
    },
    timeoutMs,
  );
  const client = await rig.temporal();
  const expected = expectedWorkflows(result);
  await waitFor(
    'every workflow closed or waiting as it should',
    async () => {
      const statuses = await pooledDescribe(client, [...expected.keys()]);
      return [...expected].every(([id, status]) => statuses.get(id) === status);
    },
    timeoutMs,
  );
  await waitFor(
    'every email sent',
    async () => (await count(db('outbox').whereNot({ status: 'sent' }).count({ n: '*' }))) === 0,
    timeoutMs,
  );
}

async function pooledDescribe(
  client: Awaited<ReturnType<FaultRig['temporal']>>,
  ids: string[],
): Promise<Map<string, string>> {
  const statuses = new Map<string, string>();
  await pool(ids.length, 20, async (i) => {
    const id = ids[i]!;
    try {
      statuses.set(id, (await client.workflow.getHandle(id).describe()).status.name);
    } catch (error) {
      statuses.set(id, `not found (${(error as Error).name})`);
    }
  });
  return statuses;
}

export interface InvariantReport {
  /** Each broken promise, in words; empty when all hold. */
  violations: string[];
  figures: Record<string, number>;
}

/** The promises of the issue, checked from PostgreSQL, the SMTP capture and Temporal. */
export async function checkInvariants(rig: FaultRig, result: WorkloadResult): Promise<InvariantReport> {
  const { db } = rig.database;
  const violations: string[] = [];
  const figures: Record<string, number> = {};
  const fail = (line: string) => {
    if (violations.length < 200) violations.push(line);
  };
  const caseIds = result.cases.map((c) => c.id);

  // Cases: one outcome each, a timeline without a doubled transition.
  const cases: Array<{ id: number; status: string }> = await db('cases').whereIn('id', caseIds).select('id', 'status');
  const statusOf = new Map(cases.map((c) => [Number(c.id), c.status]));
  for (const c of result.cases)
    if (statusOf.get(c.id) !== c.decision) fail(`case ${c.id} is ${statusOf.get(c.id)}, expected ${c.decision}`);
  if ((await count(db('cases').count({ n: '*' }))) !== result.cases.length)
    fail(`${await count(db('cases').count({ n: '*' }))} case rows for ${result.cases.length} submissions`);
  const events: Array<{ case_id: number; kind: string; n: number }> = await db('case_events')
    .whereIn('case_id', caseIds)
    .groupBy('case_id', 'kind')
    .select('case_id', 'kind', db.raw('count(*)::int AS n'));
  const timeline = new Map<number, Map<string, number>>();
  for (const e of events)
    (timeline.get(Number(e.case_id)) ?? timeline.set(Number(e.case_id), new Map()).get(Number(e.case_id))!).set(
      e.kind,
      e.n,
    );
  for (const c of result.cases) {
    const kinds = timeline.get(c.id) ?? new Map<string, number>();
    for (const [kind, n] of kinds) if (n > 1) fail(`case ${c.id}: '${kind}' ${n} times on its timeline`);
    const want = ['submitted', 'checked', 'assigned', c.decision];
    if ([...kinds.keys()].sort().join() !== want.sort().join())
      fail(`case ${c.id}: timeline ${[...kinds.keys()].join(', ')}, expected ${want.join(', ')}`);
  }
  figures.cases = result.cases.length;
  figures.caseEvents = events.reduce((sum, e) => sum + e.n, 0);

  // Training: each approved request granted one course and one record; every record has its credit decision.
  const granted: Array<{ case_id: number; courses: number; records: number }> = (
    await db.raw(
      `SELECT k.id AS case_id, count(DISTINCT c.id)::int AS courses, count(r.id)::int AS records
         FROM cases k LEFT JOIN courses c ON c.approved_by_case_id = k.id LEFT JOIN training_records r ON r.course_id = c.id
        WHERE k.id = ANY (?) AND k.type = 'training_request' GROUP BY k.id`,
      [caseIds],
    )
  ).rows;
  for (const g of granted)
    if (g.courses !== 1 || g.records !== 1)
      fail(`training request ${g.case_id} granted ${g.courses} courses and ${g.records} records`);
  const undecided = await count(
    db('training_records')
      .where((w) => w.whereNull('credited_hours').orWhereNull('credit_rule_set_version').orWhereNull('credit_reasons'))
      .count({ n: '*' }),
  );
  if (undecided > 0) fail(`${undecided} training records without a credit decision`);
  const met = result.hires.filter((h) => h.group === 'met');
  const records = await count(db('training_records').count({ n: '*' }));
  const expectedRecords = result.cases.filter((c) => c.type === 'training_request').length + met.length;
  if (records !== expectedRecords)
    fail(
      `${records} training records, expected ${expectedRecords} (one per approved request and per recorded training)`,
    );
  const doubled = await count(
    db('training_records')
      .select('professional_id', 'course_id', 'completed_on')
      .groupBy('professional_id', 'course_id', 'completed_on')
      .havingRaw('count(*) > 1')
      .count({ n: '*' }),
  );
  if (doubled > 0) fail(`${doubled} trainings recorded twice`);
  figures.trainingRecords = records;

  // Deadlines: exactly one per hire, in the one state its dates and training give it.
  const deadlines: Array<{
    employment_id: number;
    status: string;
    reminded_at: Date | null;
    became_overdue_at: Date | null;
    met_by_training_record_id: number | null;
    n: number;
  }> = await db('deadlines')
    .whereIn(
      'employment_id',
      result.hires.map((h) => h.employmentId),
    )
    .select('employment_id', 'status', 'reminded_at', 'became_overdue_at', 'met_by_training_record_id');
  const deadlineOf = new Map<number, (typeof deadlines)[number][]>();
  for (const d of deadlines)
    (
      deadlineOf.get(Number(d.employment_id)) ??
      deadlineOf.set(Number(d.employment_id), []).get(Number(d.employment_id))!
    ).push(d);
  for (const h of result.hires) {
    const ds = deadlineOf.get(h.employmentId) ?? [];
    if (ds.length !== 1) {
      fail(`employment ${h.employmentId} has ${ds.length} deadlines`);
      continue;
    }
    const d = ds[0]!;
    const ok =
      h.group === 'overdue'
        ? d.status === 'overdue' && d.became_overdue_at !== null && d.reminded_at === null
        : h.group === 'reminded'
          ? d.status === 'open' && d.reminded_at !== null && d.became_overdue_at === null
          : d.status === 'met' &&
            d.met_by_training_record_id !== null &&
            d.reminded_at === null &&
            d.became_overdue_at === null;
    if (!ok)
      fail(
        `employment ${h.employmentId} (${h.group}): deadline ${d.status}, reminded ${d.reminded_at !== null}, overdue ${d.became_overdue_at !== null}`,
      );
  }
  figures.deadlines = deadlines.length;

  // Email: each cause once in the outbox, each outbox row delivered exactly once.
  const byTemplate: Array<{ template: string; n: number }> = await db('outbox')
    .groupBy('template')
    .select('template', db.raw('count(*)::int AS n'));
  const templates = Object.fromEntries(byTemplate.map((t) => [t.template, t.n]));
  const overdue = result.hires.filter((h) => h.group === 'overdue').length;
  const expectedTemplates: Record<string, number> = {
    'case-notice': 3 * result.cases.length, // received, assigned, decided
    'deadline-overdue': overdue,
    'staff-deadline-overdue': overdue, // one director per center
    'deadline-reminder': result.hires.filter((h) => h.group === 'reminded').length,
    'staff-added': result.hires.length, // each person is told they were added to an organization
  };
  for (const [template, n] of Object.entries({
    ...Object.fromEntries(Object.keys(templates).map((t) => [t, 0])),
    ...expectedTemplates,
  })) {
    if ((templates[template] ?? 0) !== n)
      fail(`${templates[template] ?? 0} '${template}' emails in the outbox, expected ${n}`);
  }
  const sameEmailTwice = await count(
    db('outbox')
      .select('template', 'to_address', 'subject', 'body_text')
      .groupBy('template', 'to_address', 'subject', 'body_text')
      .havingRaw('count(*) > 1')
      .count({ n: '*' }),
  );
  if (sameEmailTwice > 0) fail(`${sameEmailTwice} emails in the outbox twice under different keys`);
  const outbox: Array<{ id: number; job_key: string; to_address: string; status: string }> = await db('outbox').select(
    'id',
    'job_key',
    'to_address',
    'status',
  );
  const delivered = new Map<string, number>();
  for (const m of rig.smtp.messages)
    delivered.set(m.messageId ?? '(none)', (delivered.get(m.messageId ?? '(none)') ?? 0) + 1);
  for (const row of outbox) {
    const n = delivered.get(outboxMessageId(row)) ?? 0;
    if (row.status !== 'sent') fail(`outbox ${row.id} is ${row.status}`);
    if (n !== 1) fail(`outbox ${row.id} to ${row.to_address} delivered ${n} times`);
  }
  if (rig.smtp.messages.length !== outbox.length)
    fail(`${rig.smtp.messages.length} emails delivered for ${outbox.length} outbox rows`);
  figures.emails = outbox.length;
  figures.delivered = rig.smtp.messages.length;

  // Temporal: every workflow of the run closed or waiting as it should, none failed, none left over.
  const client = await rig.temporal();
  const expected = expectedWorkflows(result);
  const statuses = await pooledDescribe(client, [...expected.keys()]);
  for (const [id, status] of expected)
    if (statuses.get(id) !== status) fail(`workflow ${id} is ${statuses.get(id)}, expected ${status}`);
  const listed = new Map<string, string>();
  for await (const w of client.workflow.list({ query: `TaskQueue = '${rig.taskQueue}'` }))
    listed.set(w.workflowId, w.status.name);
  for (const [id, status] of listed) {
    if (!expected.has(id)) fail(`workflow ${id} (${status}) belongs to no case or hire`);
    if (status !== 'COMPLETED' && status !== 'RUNNING') fail(`workflow ${id} is ${status}`);
  }
  figures.workflows = listed.size;
  figures.workflowsCompleted = [...listed.values()].filter((s) => s === 'COMPLETED').length;
  figures.workflowsWaiting = [...listed.values()].filter((s) => s === 'RUNNING').length;
  return { violations, figures };
}
