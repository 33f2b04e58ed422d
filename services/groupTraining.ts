/**
 * Online modules used for group training. Whether a session is a group use of an online module is
 * a fact of the catalog and of who arranged it (a trainer's event of an on-demand course, a
 * director's group enrollment), never of what the learner says. What that fact costs is the rule
 * set's: these helpers ask it, so a version that drops the rule lets group sessions earn again.
 */
import type { Db } from '../db/connection.js';
import type { CourseRow } from '../db/rows.js';
import { ruleSetInEffect } from '../db/ruleSets.js';
import { findCourse } from '../db/trainingRecords.js';
import type { CreditReason } from '../rules/engine.js';
import type { LocalDate } from '../rules/dates.js';
import type { TrainingSource } from '../rules/domain.js';
import { COMPLIANCE_RULE_SET } from '../rules/versions/index.js';
import { trainingOf } from './credit.js';

/**
 * Whether a course is an online module: an online course with modules a learner works through on
 * the site (an on-demand course). An online course without modules is taught live over a link,
 * which is not an online module.
 */
export async function isOnlineModule(db: Db, course: Pick<CourseRow, 'id' | 'delivery'>): Promise<boolean> {
  if (course.delivery !== 'online') return false;
  return (await db('course_modules').where({ course_id: course.id }).first('id')) !== undefined;
}

/**
 * The rule set's reasons (in effect `on`) why a completion of the course used for a group earns
 * less than the same completion taken alone; empty when being a group costs nothing. Asked before
 * a group session is arranged, so nobody spends the hours on a session that would earn nothing.
 */
export async function groupUseRefusal(
  db: Db,
  courseId: number,
  input: { on: LocalDate; source: TrainingSource },
): Promise<CreditReason[]> {
  const course = await findCourse(db, courseId);
  if (!course) return [];
  const rules = await ruleSetInEffect(db, COMPLIANCE_RULE_SET, input.on);
  const history = { creditedCompletionsOfCourseThisYear: 0, overlapsAnotherCourseInProgress: false };
  const circumstances = {
    completedOn: input.on,
    registeredOn: input.on,
    hours: Number(course.clock_hours),
    source: input.source,
  };
  const alone = await rules.decideCredit({
    training: trainingOf(course, { ...circumstances, usedForGroup: false }),
    history,
  });
  const together = await rules.decideCredit({
    training: trainingOf(course, { ...circumstances, usedForGroup: true }),
    history,
  });
  if (together.creditedHours >= alone.creditedHours) return [];
  const already = new Set(alone.reasons.map((r) => r.ruleId));
  return together.reasons.filter((r) => !already.has(r.ruleId));
}
