/**
 * Online, on-demand courses: enrolling (the rule set may refuse, e.g. one DESE course at a
 * time; a fee is paid through the payment provider first), working through the modules with
 * progress kept, and a knowledge check whose pass completes the course and records the training
 * at once, with the credit the rule set decides.
 */
import type { Knex } from 'knex';
import type { Db } from '../db/connection.js';
import { audit } from '../db/audit.js';
import { ruleSetInEffect } from '../db/ruleSets.js';
import type { DeadlineRow, TrainingRecordRow } from '../db/rows.js';
import { COMPLIANCE_RULE_SET } from '../rules/versions/index.js';
import { localDateOf } from '../rules/dates.js';
import type { EnrollmentStatus } from '../rules/domain.js';
import { DomainError } from './errors.js';
import { recordTraining } from './training.js';
import { groupUseRefusal } from './groupTraining.js';
import type { PaymentProvider } from './payments.js';
import { creditFor, ENGAGEMENT_PING_SECONDS, minimumMs, minutesLeft, requiredPerModuleMs } from './onlineCourseTime.js';

interface CourseRow {
  id: number;
  title: string;
  description: string;
  sponsor: string | null;
  topic: string;
  delivery: 'in_person' | 'online' | 'blended';
  clock_hours: string;
  approved: boolean;
  fee_cents: number | null;
  pass_mark_percent: number | null;
  trainer_user_id: number | null;
  /** The least time the course takes (approved with the course); null: its clock hours. */
  minimum_minutes: number | null;
  knowledge_check_attempts: number;
  knowledge_check_wait_minutes: number;
}

export interface EnrollmentRow {
  id: number;
  course_id: number;
  professional_id: number;
  status: EnrollmentStatus;
  registered_on: string;
  started_at: Date | null;
  completed_at: Date | null;
  fee_cents: number;
  last_module_id: number | null;
  training_record_id: number | null;
  /** The enrollment's engagement clock: the module open at the last ping, and when (services/onlineCourseTime.ts). */
  engaged_module_id: number | null;
  engaged_at: Date | null;
  /** A director enrolled a group of staff to take the course together (an online module used for a group). */
  taken_as_group: boolean;
  group_enrolled_by_user_id: number | null;
}

export interface ModuleContent {
  id?: number;
  title: string;
  body: string;
  imageUrl?: string | null;
  imageAlt?: string | null;
  videoUrl?: string | null;
  captionsUrl?: string | null;
  transcript?: string | null;
  handoutUploadId?: string | null;
}

export interface CourseContent {
  passMarkPercent: number;
  modules: ModuleContent[];
  questions: Array<{ prompt: string; choices: string[]; correctChoice: number }>;
}

const OPEN: EnrollmentStatus[] = ['awaiting_payment', 'in_progress'];

async function onlineCourse(db: Db, courseId: number): Promise<CourseRow> {
  const course = await db('courses').where({ id: courseId }).first<CourseRow | undefined>();
  if (!course || course.delivery !== 'online')
    throw new DomainError('NotFound', `No online course with id ${courseId}`, 'courseId');
  return course;
}

async function lockEnrollment(trx: Knex.Transaction, enrollmentId: number): Promise<EnrollmentRow> {
  const enrollment = await trx('enrollments')
    .where({ id: enrollmentId })
    .forUpdate()
    .first<EnrollmentRow | undefined>();
  if (!enrollment) throw new DomainError('NotFound', `No enrollment with id ${enrollmentId}`, 'id');
  return enrollment;
}

function assertInProgress(enrollment: EnrollmentRow): void {
  if (enrollment.status !== 'in_progress')
    throw new DomainError(
      'Conflict',
      enrollment.status === 'awaiting_payment'
        ? 'Pay the course fee first'
        : `This enrollment is ${enrollment.status.replace('_', ' ')}`,
    );
}

/**
 * A ping from the learner's page for a module at `at`: credits the time since the enrollment's
 * previous ping when that was for the same module (capped; see onlineCourseTime.ts), and moves the
 * enrollment's clock to this module and moment. Returns the module's engaged time.
 */
async function recordEngagement(
  trx: Knex.Transaction,
  enrollment: EnrollmentRow,
  moduleId: number,
  at: Date,
): Promise<number> {
  const credit = creditFor(
    {
      moduleId: enrollment.engaged_module_id === null ? null : Number(enrollment.engaged_module_id),
      at: enrollment.engaged_at,
    },
    moduleId,
    at,
  );
  const [row] = await trx('module_engagement')
    .insert({ enrollment_id: enrollment.id, module_id: moduleId, opened_at: at, engaged_ms: credit })
    .onConflict(['enrollment_id', 'module_id'])
    .merge({ engaged_ms: trx.raw('module_engagement.engaged_ms + ?', [credit]) })
    .returning('engaged_ms');
  await trx('enrollments')
    .where({ id: enrollment.id })
    .update({ engaged_module_id: moduleId, engaged_at: at, last_module_id: moduleId });
  return Number((row as { engaged_ms: number }).engaged_ms);
}

const moduleCount = async (db: Db, courseId: number) =>
  Number((await db('course_modules').where({ course_id: courseId }).count<{ n: number }[]>({ n: '*' }))[0]!.n);

const modulesOf = (db: Db, courseId: number) =>
  db('course_modules')
    .where({ course_id: courseId })
    .orderBy([{ column: 'position' }, { column: 'id' }]);
const questionsOf = (db: Db, courseId: number) =>
  db('course_questions')
    .where({ course_id: courseId })
    .orderBy([{ column: 'position' }, { column: 'id' }]);

export function createOnlineCourses({
  db,
  payments,
  now = () => new Date(),
}: {
  db: Db;
  payments?: PaymentProvider;
  now?: () => Date;
}) {
  return {
    /** The course as anyone sees it before enrolling: outline, pass mark, fee; and the person's enrollment, if any. */
    async outline(courseId: number, professionalId: number | null) {
      const course = await onlineCourse(db, courseId);
      const modules: Array<{ id: number; title: string; video_url: string | null }> = await modulesOf(
        db,
        courseId,
      ).select('id', 'title', 'video_url');
      const questionCount = Number(
        (await db('course_questions').where({ course_id: courseId }).count<{ n: number }[]>({ n: '*' }))[0]!.n,
      );
      const enrollment = professionalId
        ? await db('enrollments')
            .where({ course_id: courseId, professional_id: professionalId })
            .orderBy('id', 'desc')
            .first<EnrollmentRow | undefined>()
        : undefined;
      return {
        course: {
          id: course.id,
          title: course.title,
          description: course.description,
          sponsor: course.sponsor,
          topic: course.topic,
          clockHours: Number(course.clock_hours),
          feeCents: course.fee_cents ?? 0,
          passMarkPercent: course.pass_mark_percent,
          minimumMinutes: minimumMs(course) / 60_000,
          knowledgeCheckAttempts: course.knowledge_check_attempts,
          approved: course.approved,
          ready: course.approved && modules.length > 0 && questionCount > 0 && course.pass_mark_percent !== null,
        },
        modules: modules.map((m) => ({ id: m.id, title: m.title, hasVideo: m.video_url !== null })),
        questionCount,
        enrollment: enrollment ? { id: enrollment.id, status: enrollment.status } : null,
      };
    },

    /**
     * Enrolls a person. The rule set may refuse (its reason is the error); a fee starts a checkout
     * with the payment provider and the course starts once the provider confirms payment.
     */
    async enroll(input: {
      courseId: number;
      professionalId: number;
      byUserId: number;
      requestId?: string;
      /** A director enrolling staff to take the course together: their user id. */
      asGroupBy?: number;
      /** A transaction of the caller's (a group enrolls everyone or no one). */
      trx?: Knex.Transaction;
    }) {
      return (input.trx ?? db).transaction(async (trx) => {
        // One enrollment decision at a time per person: two clicks cannot both pass the rule.
        await trx('professionals').where({ id: input.professionalId }).forUpdate().first('id');
        const course = await onlineCourse(trx, input.courseId);
        const open = await trx('enrollments')
          .where({ course_id: course.id, professional_id: input.professionalId })
          .whereIn('status', OPEN)
          .first<EnrollmentRow | undefined>();
        if (open) return { enrollmentId: open.id, status: open.status, checkoutUrl: null as string | null };
        const questions = Number(
          (await trx('course_questions').where({ course_id: course.id }).count<{ n: number }[]>({ n: '*' }))[0]!.n,
        );
        const modules = Number(
          (await trx('course_modules').where({ course_id: course.id }).count<{ n: number }[]>({ n: '*' }))[0]!.n,
        );
        if (!course.approved || modules === 0 || questions === 0 || course.pass_mark_percent === null) {
          throw new DomainError(
            'Conflict',
            'This course is not open yet: it needs approval, modules and a knowledge check',
          );
        }
        const today = localDateOf(now());
        // Whether the course is taken as a group is the enrolling director's fact, never the
        // learner's: a self-enrollment is always taken alone.
        const group = input.asGroupBy;
        if (group) {
          const refusal = await groupUseRefusal(trx, course.id, {
            on: today,
            source: 'online_course',
          });
          if (refusal.length > 0) throw new DomainError('Conflict', refusal.map((r) => r.text).join(' '));
        }
        const inProgress = Number(
          (
            await trx('enrollments as e')
              .join('courses as c', 'c.id', 'e.course_id')
              .where({ 'e.professional_id': input.professionalId, 'c.delivery': 'online' })
              .whereIn('e.status', OPEN)
              .count<{ n: number }[]>({ n: '*' })
          )[0]!.n,
        );
        const rules = await ruleSetInEffect(trx, COMPLIANCE_RULE_SET, today);
        const refusals = await rules.enrollmentRefusals({
          course: { sponsor: course.sponsor, delivery: course.delivery, topic: course.topic },
          learner: { onlineCoursesInProgress: inProgress },
        });
        if (refusals.length > 0) throw new DomainError('Conflict', refusals.map((r) => r.text).join(' '));

        const fee = course.fee_cents ?? 0;
        if (fee > 0 && !payments)
          throw new DomainError(
            'Conflict',
            'This course has a fee, and this site takes no payments: ask the course’s sponsor',
          );
        const at = now();
        const [saved] = await trx('enrollments')
          .insert({
            course_id: course.id,
            professional_id: input.professionalId,
            status: fee > 0 ? 'awaiting_payment' : 'in_progress',
            registered_on: today,
            started_at: fee > 0 ? null : at,
            fee_cents: fee,
            created_at: at,
            taken_as_group: group !== undefined,
            group_enrolled_by_user_id: group ?? null,
          })
          .returning(['id', 'status']);
        const enrollment = saved as { id: number; status: EnrollmentStatus };
        await audit(trx, {
          actorUserId: input.byUserId,
          action: 'enrollment.created',
          entity: 'enrollment',
          entityId: enrollment.id,
          after: {
            courseId: course.id,
            professionalId: input.professionalId,
            status: enrollment.status,
            feeCents: fee,
            takenAsGroup: group !== undefined,
          },
          requestId: input.requestId ?? null,
        });
        let checkoutUrl: string | null = null;
        if (fee > 0 && payments) {
          const checkout = await payments.startCheckout({
            amountCents: fee,
            description: course.title,
            returnPath: `/learn/${course.id}`,
          });
          await trx('payments').insert({
            enrollment_id: enrollment.id,
            provider: payments.name,
            provider_reference: checkout.providerReference,
            amount_cents: fee,
          });
          checkoutUrl = checkout.checkoutUrl;
        }
        return { enrollmentId: enrollment.id, status: enrollment.status, checkoutUrl };
      });
    },

    /**
     * A director enrolls a group of their staff to take an online course together. Online modules
     * used for group training: the rule set in effect today decides what that earns, and a group
     * that would earn nothing is refused up front with the rule's reason (each person may still
     * enroll on their own). When the rule set lets it earn, everyone is enrolled or no one, and each
     * completion carries the group fact to the credit decision.
     */
    async enrollGroup(input: { courseId: number; professionalIds: number[]; byUserId: number; requestId?: string }) {
      return db.transaction(async (trx) => {
        const course = await onlineCourse(trx, input.courseId);
        const refusal = await groupUseRefusal(trx, course.id, { on: localDateOf(now()), source: 'online_course' });
        if (refusal.length > 0) throw new DomainError('Conflict', refusal.map((r) => r.text).join(' '));
        if ((course.fee_cents ?? 0) > 0)
          throw new DomainError('Conflict', 'This course has a fee: each person enrolls and pays on their own');
        const enrollments = [];
        for (const professionalId of [...new Set(input.professionalIds)]) {
          const enrolled = await this.enroll({
            courseId: course.id,
            professionalId,
            byUserId: input.byUserId,
            requestId: input.requestId,
            asGroupBy: input.byUserId,
            trx,
          });
          enrollments.push({ professionalId, enrollmentId: enrolled.enrollmentId, status: enrolled.status });
        }
        return { enrollments };
      });
    },

    /** A new checkout for an enrollment still awaiting payment (the first was abandoned or failed). */
    async checkoutAgain(enrollmentId: number): Promise<{ checkoutUrl: string }> {
      return db.transaction(async (trx) => {
        const enrollment = await lockEnrollment(trx, enrollmentId);
        if (enrollment.status !== 'awaiting_payment')
          throw new DomainError('Conflict', 'Nothing is owed on this enrollment');
        if (!payments) throw new DomainError('Conflict', 'This site takes no payments: ask the course’s sponsor');
        const course = await onlineCourse(trx, enrollment.course_id);
        const checkout = await payments.startCheckout({
          amountCents: enrollment.fee_cents,
          description: course.title,
          returnPath: `/learn/${course.id}`,
        });
        await trx('payments').where({ enrollment_id: enrollment.id }).update({
          provider: payments.name,
          provider_reference: checkout.providerReference,
          status: 'pending',
          settled_at: null,
        });
        return { checkoutUrl: checkout.checkoutUrl };
      });
    },

    /** Everything a learner needs: modules with content and progress, where to resume, the questions (not their answers). */
    async enrollment(enrollmentId: number) {
      const enrollment = await db('enrollments').where({ id: enrollmentId }).first<EnrollmentRow | undefined>();
      if (!enrollment) throw new DomainError('NotFound', `No enrollment with id ${enrollmentId}`, 'id');
      const course = await onlineCourse(db, enrollment.course_id);
      const unlocked = enrollment.status === 'in_progress' || enrollment.status === 'completed';
      const modules = await modulesOf(db, course.id);
      const done = new Set(
        (await db('module_progress').where({ enrollment_id: enrollmentId }).pluck('module_id')).map(Number),
      );
      const questions: Array<{ id: number; prompt: string; choices: string[] }> = unlocked
        ? await questionsOf(db, course.id).select('id', 'prompt', 'choices')
        : [];
      const attempts: Array<{ scorePercent: number; passed: boolean; at: Date }> = await db('knowledge_check_attempts')
        .where({ enrollment_id: enrollmentId })
        .orderBy('id')
        .select('score_percent as scorePercent', 'passed', 'at');
      const engaged = new Map(
        (await db('module_engagement').where({ enrollment_id: enrollmentId }).select('module_id', 'engaged_ms')).map(
          (r: { module_id: number; engaged_ms: number }) => [Number(r.module_id), Number(r.engaged_ms)],
        ),
      );
      const courseMinimumMs = minimumMs(course);
      const requiredMs = requiredPerModuleMs(courseMinimumMs, modules.length);
      const lastAttempt = attempts.at(-1);
      const nextAttemptAt =
        lastAttempt && !lastAttempt.passed
          ? new Date(new Date(lastAttempt.at).getTime() + course.knowledge_check_wait_minutes * 60_000)
          : null;
      const record = enrollment.training_record_id
        ? await db('training_records').where({ id: enrollment.training_record_id }).first<TrainingRecordRow>()
        : undefined;
      const payment = await db('payments')
        .where({ enrollment_id: enrollmentId })
        .first<{ status: string; amount_cents: number } | undefined>('status', 'amount_cents');
      const resume =
        modules.find((m) => !done.has(Number(m.id))) ??
        modules.find((m) => Number(m.id) === Number(enrollment.last_module_id)) ??
        modules[0];
      return {
        enrollment: {
          id: enrollment.id,
          status: enrollment.status,
          registeredOn: enrollment.registered_on,
          startedAt: enrollment.started_at,
          completedAt: enrollment.completed_at,
          feeCents: enrollment.fee_cents,
        },
        payment: payment ? { status: payment.status, amountCents: payment.amount_cents } : null,
        course: {
          id: course.id,
          title: course.title,
          sponsor: course.sponsor,
          clockHours: Number(course.clock_hours),
          passMarkPercent: course.pass_mark_percent,
          minimumMinutes: courseMinimumMs / 60_000,
        },
        /** How often the page pings while a module is open. */
        pingSeconds: ENGAGEMENT_PING_SECONDS,
        /** Engaged time the server has recorded, in seconds (what the clock hours rest on). */
        timeSpentSeconds: Math.floor(modules.reduce((sum, m) => sum + (engaged.get(Number(m.id)) ?? 0), 0) / 1000),
        knowledgeCheck: {
          attemptsAllowed: course.knowledge_check_attempts,
          attemptsLeft: Math.max(0, course.knowledge_check_attempts - attempts.length),
          nextAttemptAt: nextAttemptAt && nextAttemptAt > now() ? nextAttemptAt : null,
        },
        modules: modules.map((m) => ({
          id: Number(m.id),
          title: m.title,
          done: done.has(Number(m.id)),
          engagedSeconds: Math.floor((engaged.get(Number(m.id)) ?? 0) / 1000),
          requiredSeconds: Math.ceil(requiredMs / 1000),
          ...(unlocked
            ? {
                body: m.body,
                imageUrl: m.image_url,
                imageAlt: m.image_alt,
                videoUrl: m.video_url,
                captionsUrl: m.captions_url,
                transcript: m.transcript,
                handoutUploadId: m.handout_upload_id,
              }
            : {}),
        })),
        resumeModuleId: resume ? Number(resume.id) : null,
        questions: questions.map((q) => ({ id: Number(q.id), prompt: q.prompt, choices: q.choices })),
        attempts,
        record: record
          ? {
              id: record.id,
              completedOn: record.completed_on,
              hours: Number(record.hours),
              creditedHours: Number(record.credited_hours),
              reasons: record.credit_reasons,
              ruleSetVersion: record.credit_rule_set_version,
              timeSpentMinutes: record.time_spent_minutes ?? null,
            }
          : null,
      };
    },

    /**
     * The learner's page says a module is open (on opening it, then every ENGAGEMENT_PING_SECONDS
     * while it is in view): the server records the engaged time. Answers the module's time so far.
     */
    async engage(input: { enrollmentId: number; moduleId: number }) {
      return db.transaction(async (trx) => {
        const enrollment = await lockEnrollment(trx, input.enrollmentId);
        assertInProgress(enrollment);
        const course = await onlineCourse(trx, enrollment.course_id);
        const module = await trx('course_modules').where({ id: input.moduleId, course_id: course.id }).first('id');
        if (!module) throw new DomainError('Invalid', 'is not a module of this course', 'moduleId');
        const engagedMs = await recordEngagement(trx, enrollment, input.moduleId, now());
        const requiredMs = requiredPerModuleMs(minimumMs(course), await moduleCount(trx, course.id));
        return {
          moduleId: input.moduleId,
          engagedSeconds: Math.floor(engagedMs / 1000),
          requiredSeconds: Math.ceil(requiredMs / 1000),
        };
      });
    },

    /** Marks a module done: only once the learner has spent the module's share of the course's minimum time on it. */
    async completeModule(input: { enrollmentId: number; moduleId: number }) {
      const outcome = await db.transaction(async (trx) => {
        const enrollment = await lockEnrollment(trx, input.enrollmentId);
        assertInProgress(enrollment);
        const course = await onlineCourse(trx, enrollment.course_id);
        const module = await trx('course_modules').where({ id: input.moduleId, course_id: course.id }).first('id');
        if (!module) throw new DomainError('Invalid', 'is not a module of this course', 'moduleId');
        const at = now();
        // Marking done is also a ping: the time since the last one counts.
        const engagedMs = await recordEngagement(trx, enrollment, input.moduleId, at);
        const alreadyDone = await trx('module_progress')
          .where({ enrollment_id: enrollment.id, module_id: input.moduleId })
          .first('module_id');
        const requiredMs = requiredPerModuleMs(minimumMs(course), await moduleCount(trx, course.id));
        // The ping above is kept (committed) even when the module is not done yet.
        if (!alreadyDone && engagedMs < requiredMs) return { shortMs: requiredMs - engagedMs };
        await trx('module_progress')
          .insert({ enrollment_id: enrollment.id, module_id: input.moduleId, completed_at: at })
          .onConflict(['enrollment_id', 'module_id'])
          .ignore();
        return { shortMs: 0 };
      });
      if (outcome.shortMs > 0)
        throw new DomainError(
          'Conflict',
          `Spend about ${minutesLeft(outcome.shortMs)} more minute(s) on this module before marking it done`,
        );
      return { moduleId: input.moduleId, done: true };
    },

    /**
     * Scores the knowledge check. A pass with every module done completes the course and records
     * the training at once; the credit is the rule set's (once a year, by Dec 31, one at a time).
     * Submitting again after completion changes nothing.
     */
    async submitKnowledgeCheck(input: {
      enrollmentId: number;
      answers: number[];
      byUserId: number;
      requestId?: string;
    }) {
      return db.transaction(async (trx) => {
        const enrollment = await lockEnrollment(trx, input.enrollmentId);
        if (enrollment.status === 'completed')
          return {
            passed: true,
            scorePercent: null as number | null,
            alreadyCompleted: true,
            record: null as TrainingRecordRow | null,
            deadlinesToWake: [] as DeadlineRow[],
          };
        if (enrollment.status !== 'in_progress')
          throw new DomainError(
            'Conflict',
            enrollment.status === 'awaiting_payment'
              ? 'Pay the course fee first'
              : `This enrollment is ${enrollment.status.replace('_', ' ')}`,
          );
        const course = await onlineCourse(trx, enrollment.course_id);
        const modules: number[] = (await modulesOf(trx, course.id).pluck('id')).map(Number);
        const done = new Set(
          (await trx('module_progress').where({ enrollment_id: enrollment.id }).pluck('module_id')).map(Number),
        );
        const left = modules.filter((id) => !done.has(id)).length;
        if (left > 0) throw new DomainError('Invalid', `Finish every module first: ${left} still to go`, 'answers');
        const at = now();
        // Clock hours reflect time spent: the course's minimum, counted by the server (onlineCourseTime.ts).
        const spentMs = Number(
          (
            await trx('module_engagement')
              .where({ enrollment_id: enrollment.id })
              .whereIn('module_id', modules)
              .sum<{ ms: number | null }[]>({ ms: 'engaged_ms' })
          )[0]!.ms ?? 0,
        );
        const neededMs = minimumMs(course);
        if (spentMs < neededMs)
          throw new DomainError(
            'Conflict',
            `This course takes at least ${Math.round(neededMs / 60_000)} minutes; about ${minutesLeft(neededMs - spentMs)} to go`,
          );
        const questions: Array<{ correct_choice: number; choices: string[] }> = await questionsOf(
          trx,
          course.id,
        ).select('correct_choice', 'choices');
        if (input.answers.length !== questions.length)
          throw new DomainError('Invalid', `must answer all ${questions.length} questions`, 'answers');
        input.answers.forEach((answer, i) => {
          if (answer < 0 || answer >= questions[i]!.choices.length)
            throw new DomainError('Invalid', 'is not one of the choices', `answers.${i}`);
        });
        // A limited number of attempts, with a wait after a failed one: answers cannot be found by trying them all.
        const previous: Array<{ at: Date }> = await trx('knowledge_check_attempts')
          .where({ enrollment_id: enrollment.id })
          .orderBy('id')
          .select('at');
        if (previous.length >= course.knowledge_check_attempts) {
          throw new DomainError(
            'Conflict',
            `You have used all ${course.knowledge_check_attempts} attempts at the knowledge check: withdraw and enroll again to retake the course`,
          );
        }
        const last = previous.at(-1);
        const retryAt = last
          ? new Date(new Date(last.at).getTime() + course.knowledge_check_wait_minutes * 60_000)
          : null;
        if (retryAt && retryAt > at)
          throw new DomainError(
            'Conflict',
            `Review the modules and try again in about ${minutesLeft(retryAt.getTime() - at.getTime())} minute(s)`,
          );
        const right = questions.filter((q, i) => q.correct_choice === input.answers[i]).length;
        const scorePercent = Math.round((right / questions.length) * 100);
        const passed = scorePercent >= (course.pass_mark_percent ?? 100);
        await trx('knowledge_check_attempts').insert({
          enrollment_id: enrollment.id,
          answers: JSON.stringify(input.answers),
          score_percent: scorePercent,
          passed,
          at,
        });
        if (!passed) return { passed, scorePercent, alreadyCompleted: false, record: null, deadlinesToWake: [] };

        const recorded = await recordTraining(
          trx,
          {
            professionalId: Number(enrollment.professional_id),
            courseId: course.id,
            completedOn: localDateOf(at),
            source: 'online_course',
            registeredOn: enrollment.registered_on,
            startedAt: enrollment.started_at,
            completedAt: at,
            // Set when a director enrolled a group: the rule set decides what that earns.
            usedForGroup: enrollment.taken_as_group,
          },
          { actorUserId: input.byUserId, requestId: input.requestId },
        );
        const timeSpentMinutes = Math.round(spentMs / 6_000) / 10;
        await trx('training_records')
          .where({ id: recorded.record.id })
          .update({ time_spent_minutes: timeSpentMinutes });
        await trx('enrollments')
          .where({ id: enrollment.id })
          .update({ status: 'completed', completed_at: at, training_record_id: recorded.record.id });
        await audit(trx, {
          actorUserId: input.byUserId,
          action: 'enrollment.completed',
          entity: 'enrollment',
          entityId: enrollment.id,
          after: { scorePercent, trainingRecordId: recorded.record.id, creditedHours: recorded.record.credited_hours },
          requestId: input.requestId ?? null,
        });
        return {
          passed,
          scorePercent,
          alreadyCompleted: false,
          record: recorded.record,
          deadlinesToWake: recorded.deadlinesToWake,
        };
      });
    },

    async withdraw(input: { enrollmentId: number; byUserId: number; requestId?: string }) {
      return db.transaction(async (trx) => {
        const enrollment = await lockEnrollment(trx, input.enrollmentId);
        if (!OPEN.includes(enrollment.status))
          throw new DomainError('Conflict', `This enrollment is already ${enrollment.status.replace('_', ' ')}`);
        await trx('enrollments').where({ id: enrollment.id }).update({ status: 'withdrawn', withdrawn_at: now() });
        await trx('payments')
          .where({ enrollment_id: enrollment.id, status: 'pending' })
          .update({ status: 'failed', settled_at: now() });
        await audit(trx, {
          actorUserId: input.byUserId,
          action: 'enrollment.withdrawn',
          entity: 'enrollment',
          entityId: enrollment.id,
          before: { status: enrollment.status },
          after: { status: 'withdrawn' },
          requestId: input.requestId ?? null,
        });
        return { status: 'withdrawn' as const };
      });
    },

    /** The course's content for its author: modules in order, questions with their answers. */
    async content(courseId: number): Promise<CourseContent & { title: string }> {
      const course = await onlineCourse(db, courseId);
      const modules = await modulesOf(db, courseId);
      const questions = await questionsOf(db, courseId);
      return {
        title: course.title,
        passMarkPercent: course.pass_mark_percent ?? 80,
        modules: modules.map((m) => ({
          id: Number(m.id),
          title: m.title,
          body: m.body,
          imageUrl: m.image_url,
          imageAlt: m.image_alt,
          videoUrl: m.video_url,
          captionsUrl: m.captions_url,
          transcript: m.transcript,
          handoutUploadId: m.handout_upload_id,
        })),
        questions: questions.map((q) => ({ prompt: q.prompt, choices: q.choices, correctChoice: q.correct_choice })),
      };
    },

    /** Saves the content: modules keep their ids (and learners' progress) when edited; removed ones go. */
    async saveContent(input: {
      courseId: number;
      content: CourseContent;
      byUserId: number | null;
      requestId?: string;
    }) {
      return db.transaction(async (trx) => {
        await trx('courses').where({ id: input.courseId }).forUpdate().first('id');
        await onlineCourse(trx, input.courseId);
        const existing = new Set(
          (await trx('course_modules').where({ course_id: input.courseId }).pluck('id')).map(Number),
        );
        input.content.modules.forEach((m, i) => {
          if (m.id !== undefined && !existing.has(m.id))
            throw new DomainError('Invalid', 'is not a module of this course', `modules.${i}.id`);
        });
        const kept = input.content.modules.filter((m) => m.id !== undefined).map((m) => m.id!);
        await trx('course_modules').where({ course_id: input.courseId }).whereNotIn('id', kept).delete();
        for (const [position, m] of input.content.modules.entries()) {
          const row = {
            course_id: input.courseId,
            position,
            title: m.title,
            body: m.body,
            image_url: m.imageUrl ?? null,
            image_alt: m.imageAlt ?? null,
            video_url: m.videoUrl ?? null,
            captions_url: m.captionsUrl ?? null,
            transcript: m.transcript ?? null,
            handout_upload_id: m.handoutUploadId ?? null,
          };
          if (m.id !== undefined) await trx('course_modules').where({ id: m.id }).update(row);
          else await trx('course_modules').insert(row);
        }
        await trx('course_questions').where({ course_id: input.courseId }).delete();
        if (input.content.questions.length > 0) {
          await trx('course_questions').insert(
            input.content.questions.map((q, position) => ({
              course_id: input.courseId,
              position,
              prompt: q.prompt,
              choices: JSON.stringify(q.choices),
              correct_choice: q.correctChoice,
            })),
          );
        }
        await trx('courses').where({ id: input.courseId }).update({ pass_mark_percent: input.content.passMarkPercent });
        await audit(trx, {
          actorUserId: input.byUserId,
          action: 'course.content_saved',
          entity: 'course',
          entityId: input.courseId,
          after: {
            modules: input.content.modules.length,
            questions: input.content.questions.length,
            passMarkPercent: input.content.passMarkPercent,
          },
          requestId: input.requestId ?? null,
        });
        return { saved: true };
      });
    },
  };
}

export type OnlineCourses = ReturnType<typeof createOnlineCourses>;
