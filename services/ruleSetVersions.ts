/**
 * Policy staff change the rules as versions: a draft copied from a version, edited, validated
 * (shape, meaning), checked against the rule set's worked cases, then published through a
 * workflow on its effective date. Versions past draft are never edited; a change is a new draft.
 */
import type { Knex } from 'knex';
import type { Db } from '../db/connection.js';
import { audit } from '../db/audit.js';
import { getSetting } from '../db/settings.js';
import { compileRuleSet } from '../rules/engine.js';
import { diffRuleSets, type RuleSetDiff } from '../rules/diff.js';
import { registryCodesNamedBy, validateRuleSet, type Problem, type RegistryCodes } from '../rules/validate.js';
import { runWorkedCases, workedCase, type CaseOutcome, type WorkedCase } from '../rules/workedCases.js';
import { parseRuleSetDocument, type RuleSetDocument } from '../rules/schema.js';
import type { LocalDate } from '../rules/dates.js';
import { DomainError } from './errors.js';
import type { RuleSetVersionTableRow } from '../db/types/tableRows.js';

/** A version of a rule set as stored. */
export type VersionRow = RuleSetVersionTableRow;

async function findVersion(db: Db, ruleSet: string, version: number, forUpdate = false): Promise<VersionRow> {
  const q = db('rule_set_versions').where({ rule_set: ruleSet, version });
  const row = await (forUpdate ? q.forUpdate() : q).first<VersionRow | undefined>();
  if (!row) throw new DomainError('NotFound', `Rule set ${ruleSet} has no version ${version}`, 'version');
  return row;
}

export async function workedCasesOf(db: Db, ruleSet: string): Promise<WorkedCase[]> {
  const rows: Array<{ definition: unknown }> = await db('rule_set_cases')
    .where({ rule_set: ruleSet })
    .orderBy('case_id')
    .select('definition');
  return rows.map((r) => workedCase.parse(r.definition));
}

/**
 * The program types and professional roles the registry holds, that rules may name; and those it
 * no longer offers that no published version of the rule set names, which a draft may not name.
 */
async function registryCodes(db: Db, ruleSet: string): Promise<RegistryCodes> {
  const entries = async (table: 'program_types' | 'professional_roles') =>
    (await db(table).orderBy('code').select('code', 'active')) as Array<{ code: string; active: boolean }>;
  const programTypes = await entries('program_types');
  const professionalRoles = await entries('professional_roles');
  const codes = {
    programTypes: programTypes.map((e) => e.code),
    professionalRoles: professionalRoles.map((e) => e.code),
  };
  if ([...programTypes, ...professionalRoles].every((e) => e.active)) return codes;
  const carried = { programTypes: new Set<string>(), professionalRoles: new Set<string>() };
  const published: Array<{ document: unknown }> = await db('rule_set_versions')
    .where({ rule_set: ruleSet })
    .whereIn('status', ['published', 'superseded'])
    .select('document');
  for (const { document } of published) {
    const named = registryCodesNamedBy(parseRuleSetDocument(document));
    named.programTypes.forEach((c) => carried.programTypes.add(c));
    named.professionalRoles.forEach((c) => carried.professionalRoles.add(c));
  }
  const inactive = (list: typeof programTypes, kept: Set<string>) =>
    list.filter((e) => !e.active && !kept.has(e.code)).map((e) => e.code);
  return {
    ...codes,
    inactive: {
      programTypes: inactive(programTypes, carried.programTypes),
      professionalRoles: inactive(professionalRoles, carried.professionalRoles),
    },
  };
}

/** The validation of a stored document, and when it is valid, its worked cases' outcomes. */
export async function check(
  db: Db,
  ruleSet: string,
  document: unknown,
): Promise<{ problems: Problem[]; cases: CaseOutcome[] | null }> {
  const validation = validateRuleSet(document, await registryCodes(db, ruleSet));
  if (!validation.ok) return { problems: validation.problems, cases: null };
  return {
    problems: [],
    cases: await runWorkedCases(compileRuleSet(validation.document), await workedCasesOf(db, ruleSet)),
  };
}

/** The version a draft is compared with: the one it was based on, else the latest published before it. */
async function baseOf(db: Db, row: VersionRow): Promise<VersionRow | undefined> {
  if (row.based_on_version) return findVersion(db, row.rule_set, row.based_on_version);
  return db('rule_set_versions')
    .where({ rule_set: row.rule_set })
    .where('version', '<', row.version)
    .whereIn('status', ['published', 'superseded'])
    .orderBy('version', 'desc')
    .first<VersionRow | undefined>();
}

/** Everyone who wrote a version's document. */
const draftersOf = (row: VersionRow): number[] => [
  ...new Set([
    ...(row.author_user_id !== null ? [Number(row.author_user_id)] : []),
    ...row.drafted_by_user_ids.map(Number),
  ]),
];

/**
 * Four eyes: whether a person may approve a version's publication. Someone who drafted it may not,
 * unless the admin setting `rule_set_single_person_publication` lets one person do both. Answers the
 * refusal in words, or null when they may.
 */
export async function approvalRefusal(db: Db, row: VersionRow, userId: number): Promise<string | null> {
  if (!draftersOf(row).includes(userId)) return null;
  if (await getSetting(db, 'rule_set_single_person_publication')) return null;
  return 'You drafted this version: another member of the policy staff approves its publication (four eyes)';
}

const shown = (row: VersionRow) => ({
  ruleSet: row.rule_set,
  version: row.version,
  status: row.status,
  effectiveFrom: row.effective_from,
  changeNote: row.change_note,
  authorUserId: row.author_user_id,
  basedOnVersion: row.based_on_version,
  approvedByUserId: row.approved_by_user_id,
  approvedAt: row.approved_at,
  draftedByUserIds: draftersOf(row),
  rollbackOfVersion: row.rollback_of_version,
  rollbackReason: row.rollback_reason,
  validatedAt: row.validated_at,
  publishedAt: row.published_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export function createRuleSetVersions({ db, now = () => new Date() }: { db: Db; now?: () => Date }) {
  async function newVersion(
    trx: Knex.Transaction,
    from: VersionRow,
    by: number,
    fields: { changeNote: string; rollbackOf?: number; rollbackReason?: string },
  ) {
    // One new version number at a time per rule set.
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`rule-set-${from.rule_set}`]);
    const { max } = (await trx('rule_set_versions')
      .where({ rule_set: from.rule_set })
      .max<{ max: number }>('version as max')
      .first())!;
    const version = Number(max) + 1;
    const document = { ...(from.document as RuleSetDocument), version };
    await trx('rule_set_versions').insert({
      rule_set: from.rule_set,
      version,
      status: 'draft',
      effective_from: null,
      document: JSON.stringify(document),
      change_note: fields.changeNote,
      author_user_id: by,
      drafted_by_user_ids: [String(by)],
      based_on_version: from.version,
      rollback_of_version: fields.rollbackOf ?? null,
      rollback_reason: fields.rollbackReason ?? null,
    });
    return version;
  }

  return {
    async list(ruleSet: string) {
      const rows: VersionRow[] = await db('rule_set_versions').where({ rule_set: ruleSet }).orderBy('version', 'desc');
      const names = new Map<number, string>(
        (
          await db('users')
            .whereIn(
              'id',
              rows
                .flatMap((r) => [r.author_user_id, r.approved_by_user_id, ...draftersOf(r)])
                .filter((x): x is number => x !== null),
            )
            .select('id', 'display_name')
        ).map((u: { id: number; display_name: string }) => [u.id, u.display_name]),
      );
      const publications = await db('rule_set_publications')
        .where({ rule_set: ruleSet })
        .orderBy('id', 'desc')
        .select('id', 'version', 'effective_from as effectiveFrom', 'status', 'total', 'done', 'changed');
      return {
        versions: rows.map((r) => ({
          ...shown(r),
          author: r.author_user_id ? (names.get(Number(r.author_user_id)) ?? null) : null,
          draftedBy: draftersOf(r).map((id) => names.get(id) ?? `#${id}`),
          approvedBy: r.approved_by_user_id ? (names.get(Number(r.approved_by_user_id)) ?? null) : null,
        })),
        publications,
      };
    },

    /** A version with its document, its diff against the version it replaces, its problems and its cases. */
    async detail(ruleSet: string, version: number, viewerUserId?: number) {
      const row = await findVersion(db, ruleSet, version);
      const people = new Map<number, string>(
        (
          await db('users')
            .whereIn('id', [...draftersOf(row), ...(row.approved_by_user_id ? [Number(row.approved_by_user_id)] : [])])
            .select('id', 'display_name')
        ).map((u: { id: number; display_name: string }) => [Number(u.id), u.display_name]),
      );
      const refusal = viewerUserId === undefined ? null : await approvalRefusal(db, row, viewerUserId);
      const base = await baseOf(db, row);
      let diff: RuleSetDiff | null = null;
      const checked = await check(db, ruleSet, row.document);
      if (base && checked.problems.length === 0)
        diff = diffRuleSets(parseRuleSetDocument(base.document), parseRuleSetDocument(row.document));
      return {
        version: {
          ...shown(row),
          author: row.author_user_id ? (people.get(Number(row.author_user_id)) ?? null) : null,
          draftedBy: draftersOf(row).map((id) => people.get(id) ?? `#${id}`),
          approvedBy: row.approved_by_user_id ? (people.get(Number(row.approved_by_user_id)) ?? null) : null,
        },
        /** Whether the person reading may approve its publication now, and if not by four eyes, why. */
        approval: {
          youMayApprove: row.status === 'validated' && refusal === null,
          refusal: row.status === 'validated' ? refusal : null,
        },
        document: row.document,
        comparedWith: base?.version ?? null,
        diff,
        problems: checked.problems,
        cases: checked.cases,
      };
    },

    /** A new draft with the content of a version (editing a published version starts here). */
    async createDraft(input: {
      ruleSet: string;
      fromVersion: number;
      changeNote: string;
      byUserId: number;
      requestId?: string;
    }) {
      return db.transaction(async (trx) => {
        const from = await findVersion(trx, input.ruleSet, input.fromVersion);
        const version = await newVersion(trx, from, input.byUserId, { changeNote: input.changeNote });
        await audit(trx, {
          actorUserId: input.byUserId,
          action: 'rule_set.draft_created',
          entity: 'rule_set_version',
          entityId: `${input.ruleSet}@${version}`,
          after: { basedOn: from.version, changeNote: input.changeNote },
          requestId: input.requestId ?? null,
        });
        return { version };
      });
    },

    /** Saves a draft's document (a validated one goes back to draft). Published versions never change. */
    async saveDraft(input: {
      ruleSet: string;
      version: number;
      document: unknown;
      changeNote?: string;
      byUserId: number;
      requestId?: string;
    }) {
      return db.transaction(async (trx) => {
        const row = await findVersion(trx, input.ruleSet, input.version, true);
        if (row.status !== 'draft' && row.status !== 'validated')
          throw new DomainError(
            'Conflict',
            `Version ${row.version} is ${row.status}; versions are never changed once published — start a new draft from it`,
          );
        if (!input.document || typeof input.document !== 'object' || Array.isArray(input.document))
          throw new DomainError('Invalid', 'must be a rule-set document (an object with rules)', 'document');
        // The draft's own identity is not the editor's to change.
        const document = {
          ...(input.document as Record<string, unknown>),
          ruleSet: row.rule_set,
          version: row.version,
        };
        await trx('rule_set_versions')
          .where({ rule_set: row.rule_set, version: row.version })
          .update({
            document: JSON.stringify(document),
            status: 'draft',
            validated_at: null,
            change_note: input.changeNote ?? row.change_note,
            drafted_by_user_ids: trx.raw(
              'ARRAY(SELECT DISTINCT x FROM unnest(array_append(drafted_by_user_ids, ?::bigint)) AS x)',
              [input.byUserId],
            ),
            updated_at: now(),
          });
        await audit(trx, {
          actorUserId: input.byUserId,
          action: 'rule_set.draft_saved',
          entity: 'rule_set_version',
          entityId: `${row.rule_set}@${row.version}`,
          before: row.document,
          after: document,
          requestId: input.requestId ?? null,
        });
        return check(trx, row.rule_set, document);
      });
    },

    /** Validates a draft: with no problem it becomes validated. Cases are run and reported too. */
    async validate(input: { ruleSet: string; version: number; byUserId: number; requestId?: string }) {
      return db.transaction(async (trx) => {
        const row = await findVersion(trx, input.ruleSet, input.version, true);
        const checked = await check(trx, row.rule_set, row.document);
        if (row.status === 'draft' && checked.problems.length === 0) {
          await trx('rule_set_versions')
            .where({ rule_set: row.rule_set, version: row.version })
            .update({ status: 'validated', validated_at: now(), updated_at: now() });
          await audit(trx, {
            actorUserId: input.byUserId,
            action: 'rule_set.validated',
            entity: 'rule_set_version',
            entityId: `${row.rule_set}@${row.version}`,
            requestId: input.requestId ?? null,
          });
        }
        return {
          status: checked.problems.length === 0 && row.status === 'draft' ? ('validated' as const) : row.status,
          ...checked,
        };
      });
    },

    /** Rolling back is publishing an earlier version's content as a new version, with a reason. */
    async rollbackDraft(input: {
      ruleSet: string;
      toVersion: number;
      reason: string;
      byUserId: number;
      requestId?: string;
    }) {
      return db.transaction(async (trx) => {
        const to = await findVersion(trx, input.ruleSet, input.toVersion);
        if (to.status !== 'published' && to.status !== 'superseded')
          throw new DomainError('Invalid', 'must be a version that was published', 'toVersion');
        const version = await newVersion(trx, to, input.byUserId, {
          changeNote: `Roll back to version ${to.version}: ${input.reason}`,
          rollbackOf: to.version,
          rollbackReason: input.reason,
        });
        await audit(trx, {
          actorUserId: input.byUserId,
          action: 'rule_set.rollback_drafted',
          entity: 'rule_set_version',
          entityId: `${input.ruleSet}@${version}`,
          after: { rollbackOf: to.version, reason: input.reason },
          requestId: input.requestId ?? null,
        });
        return { version };
      });
    },

    cases: (ruleSet: string) => workedCasesOf(db, ruleSet),

    async saveCase(input: { ruleSet: string; definition: WorkedCase; byUserId: number; requestId?: string }) {
      return db.transaction(async (trx) => {
        const before = await trx('rule_set_cases')
          .where({ rule_set: input.ruleSet, case_id: input.definition.id })
          .first<{ definition: unknown } | undefined>('definition');
        await trx('rule_set_cases')
          .insert({
            rule_set: input.ruleSet,
            case_id: input.definition.id,
            definition: JSON.stringify(input.definition),
            author_user_id: input.byUserId,
            updated_at: now(),
          })
          .onConflict(['rule_set', 'case_id'])
          .merge(['definition', 'author_user_id', 'updated_at']);
        await audit(trx, {
          actorUserId: input.byUserId,
          action: before ? 'rule_set.case_changed' : 'rule_set.case_added',
          entity: 'rule_set_case',
          entityId: `${input.ruleSet}/${input.definition.id}`,
          before: before?.definition,
          after: input.definition,
          requestId: input.requestId ?? null,
        });
        return { saved: input.definition.id };
      });
    },

    async deleteCase(input: { ruleSet: string; caseId: string; byUserId: number; requestId?: string }) {
      return db.transaction(async (trx) => {
        const before = await trx('rule_set_cases')
          .where({ rule_set: input.ruleSet, case_id: input.caseId })
          .first<{ definition: unknown } | undefined>('definition');
        if (!before) throw new DomainError('NotFound', `No worked case ${input.caseId}`, 'caseId');
        await trx('rule_set_cases').where({ rule_set: input.ruleSet, case_id: input.caseId }).delete();
        await audit(trx, {
          actorUserId: input.byUserId,
          action: 'rule_set.case_removed',
          entity: 'rule_set_case',
          entityId: `${input.ruleSet}/${input.caseId}`,
          before: before.definition,
          requestId: input.requestId ?? null,
        });
        return { removed: input.caseId };
      });
    },

    /**
     * Schedules a validated version's publication on an effective date (a date already passed
     * publishes at once, judging the periods since by it); every worked case must pass. The caller starts the publication workflow in the same transaction.
     */
    async schedulePublication(input: {
      ruleSet: string;
      version: number;
      effectiveFrom: LocalDate;
      byUserId: number;
      requestId?: string;
      start: (trx: Knex.Transaction, publicationId: number, workflowId: string) => Promise<unknown>;
    }) {
      return db.transaction(async (trx) => {
        const row = await findVersion(trx, input.ruleSet, input.version, true);
        const refusal = await approvalRefusal(trx, row, input.byUserId);
        if (refusal) throw new DomainError('Forbidden', refusal);
        if (row.status !== 'validated')
          throw new DomainError(
            'Conflict',
            row.status === 'draft'
              ? 'Validate this draft before publishing it'
              : `Version ${row.version} is already ${row.status}`,
          );
        // A change may reach back (e.g. to January 1 of this year), but not behind the version in effect: versions follow one another.
        const current = await trx('rule_set_versions')
          .where({ rule_set: row.rule_set })
          .whereIn('status', ['published', 'superseded'])
          .max<{ latest: LocalDate | null }>('effective_from as latest')
          .first();
        if (current?.latest && input.effectiveFrom < current.latest)
          throw new DomainError(
            'Invalid',
            `must be on or after ${current.latest}, when the version now in effect began`,
            'effectiveFrom',
          );
        const checked = await check(trx, row.rule_set, row.document);
        const failing = (checked.cases ?? []).filter((c) => !c.passed);
        if (checked.problems.length > 0)
          throw new DomainError('Conflict', 'This version has problems; validate it again');
        if (failing.length > 0)
          throw new DomainError(
            'Conflict',
            `${failing.length} worked case${failing.length === 1 ? '' : 's'} fail${failing.length === 1 ? 's' : ''} with this version: ${failing
              .slice(0, 3)
              .map((c) => c.name)
              .join('; ')}. Fix the rules or the cases first`,
          );
        const open = await trx('rule_set_publications')
          .where({ rule_set: row.rule_set })
          .whereIn('status', ['scheduled', 'recomputing'])
          .first('id', 'version');
        if (open)
          throw new DomainError(
            'Conflict',
            `Version ${open.version} is already being published; cancel it or wait for it to finish`,
          );
        const workflowId = `rule-set-publication-${row.rule_set}-${row.version}-${Date.now()}`;
        const [saved] = await trx('rule_set_publications')
          .insert({
            rule_set: row.rule_set,
            version: row.version,
            effective_from: input.effectiveFrom,
            workflow_id: workflowId,
            requested_by_user_id: input.byUserId,
          })
          .returning('id');
        const publicationId = Number((saved as { id: number }).id);
        await trx('rule_set_versions')
          .where({ rule_set: row.rule_set, version: row.version })
          .update({ approved_by_user_id: input.byUserId, approved_at: now(), updated_at: now() });
        await audit(trx, {
          actorUserId: input.byUserId,
          action: 'rule_set.publication_scheduled',
          entity: 'rule_set_version',
          entityId: `${row.rule_set}@${row.version}`,
          after: { effectiveFrom: input.effectiveFrom, publicationId },
          requestId: input.requestId ?? null,
        });
        await input.start(trx, publicationId, workflowId);
        return { publicationId, workflowId };
      });
    },
  };
}

export type RuleSetVersions = ReturnType<typeof createRuleSetVersions>;
