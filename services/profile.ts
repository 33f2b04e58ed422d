/**
 * The professional's profile as the registry knows it: education, credentials with their standing,
 * the career level the rule set gives them, and self-assessments.
 */
import type { Db } from '../db/connection.js';
import type { Logger } from 'pino';
import {
  addCredential,
  addEducation,
  cardsAwaitingVerification,
  careerFactsOf,
  credentialsOf,
  latestCredentials,
  selfAssessmentsOf,
  setCardVerification,
  findCredential,
  type CardAwaitingVerification,
  type NewCredential,
  type NewEducation,
} from '../db/profile.js';
import { audit } from '../db/audit.js';
import { openDeadlineWorkflowsOfCredentials } from '../db/deadlines.js';
import { findProfessional, updateProfessional } from '../db/professionals.js';
import { DomainError } from './errors.js';
import type { TemporalGateway } from './workflowClient.js';
import { ruleSetInEffect } from '../db/ruleSets.js';
import type { CredentialRow, EducationRow, ProfessionalRow } from '../db/rows.js';
import { credentialStatusOn } from '../rules/credentials.js';
import { localDateOf } from '../rules/dates.js';
import { DEGREE_LEVELS, type CredentialKind, type CredentialStatus, type DegreeLevel } from '../rules/domain.js';
import type { CareerFacts, CareerLevel, CompiledRuleSet } from '../rules/engine.js';
import type { LocalDate } from '../rules/dates.js';
import { COMPLIANCE_RULE_SET } from '../rules/versions/index.js';
import { addToOutboxInLanguage } from './mail/outboxInLanguage.js';
import { cprCardRejected } from './mail/templates.js';

export function careerFacts(education: EducationRow[], lifetimeCreditedHours: number): CareerFacts {
  let highest: DegreeLevel | null = null;
  for (const e of education) {
    if (e.degree_level && (highest === null || DEGREE_LEVELS.indexOf(e.degree_level) > DEGREE_LEVELS.indexOf(highest)))
      highest = e.degree_level;
  }
  return {
    education: {
      highestDegree: highest,
      credentials: education.filter((e) => e.kind === 'credential').map((e) => e.title),
      collegeCreditHours: education.reduce((sum, e) => sum + (e.kind === 'coursework' ? (e.credit_hours ?? 0) : 0), 0),
    },
    training: { lifetimeCreditedHours: Math.round(lifetimeCreditedHours * 100) / 100 },
  };
}

export interface CareerProgression {
  current: CareerLevel | null;
  /** Every level the rule set defines, lowest first, for the ladder on the profile page. */
  levels: Array<{ level: number; label: string; description: string }>;
  facts: CareerFacts;
  ruleSet: string;
  ruleSetVersion: number;
}

export function careerLevels(rules: CompiledRuleSet): CareerProgression['levels'] {
  return rules.document.rules
    .flatMap((r) =>
      r.scope === 'career'
        ? [{ level: r.event.params.level, label: r.event.params.label, description: r.event.params.description }]
        : [],
    )
    .sort((a, b) => a.level - b.level);
}

export async function careerProgression(db: Db, professionalId: number, asOf: LocalDate): Promise<CareerProgression> {
  const [rules, { education, lifetimeCreditedHours }] = await Promise.all([
    ruleSetInEffect(db, COMPLIANCE_RULE_SET, asOf),
    careerFactsOf(db, professionalId),
  ]);
  const facts = careerFacts(education, lifetimeCreditedHours);
  return {
    current: await rules.careerLevel(facts),
    levels: careerLevels(rules),
    facts,
    ruleSet: rules.ruleSet,
    ruleSetVersion: rules.version,
  };
}

export interface CredentialStanding {
  kind: CredentialKind;
  status: CredentialStatus;
  issuer: string | null;
  issuedOn: LocalDate | null;
  expiresOn: LocalDate | null;
  credentialId: number | null;
}

/** A credential's standing on a date, with the renewal rule of the version in effect then. */
export async function standingOf(
  rules: CompiledRuleSet,
  kind: CredentialKind,
  credential: CredentialRow | undefined,
  on: LocalDate,
): Promise<CredentialStanding> {
  if (!credential) return { kind, status: 'none', issuer: null, issuedOn: null, expiresOn: null, credentialId: null };
  const renewal = await rules.credentialRenewal({
    credential: {
      kind: credential.kind,
      issuer: credential.issuer,
      issuedOn: credential.issued_on,
      expiresOn: credential.expires_on,
    },
  });
  return {
    kind,
    status: credentialStatusOn(credential.expires_on, renewal?.remindDaysBefore ?? null, on, credential.verification),
    issuer: credential.issuer,
    issuedOn: credential.issued_on,
    expiresOn: credential.expires_on,
    credentialId: credential.id,
  };
}

/** The CPR/First Aid card standing of many people on one date (staff reports). */
export async function cprCardStandings(
  db: Db,
  professionalIds: number[],
  on: LocalDate,
): Promise<Map<number, CredentialStanding>> {
  const rules = await ruleSetInEffect(db, COMPLIANCE_RULE_SET, on);
  const latest = await latestCredentials(db, professionalIds, 'cpr_first_aid_card', on);
  const standings = new Map<number, CredentialStanding>();
  for (const id of professionalIds)
    standings.set(id, await standingOf(rules, 'cpr_first_aid_card', latest.get(id), on));
  return standings;
}

export async function profileOf(db: Db, professionalId: number, today: LocalDate) {
  const [career, credentials, selfAssessments, rules] = await Promise.all([
    careerProgression(db, professionalId, today),
    credentialsOf(db, professionalId),
    selfAssessmentsOf(db, professionalId),
    ruleSetInEffect(db, COMPLIANCE_RULE_SET, today),
  ]);
  const withStanding = await Promise.all(
    credentials.map(async (c) => ({ ...c, standing: await standingOf(rules, c.kind, c, today) })),
  );
  return { career, credentials: withStanding, selfAssessments };
}

export type ContactChanges = Partial<
  Pick<ProfessionalRow, 'phone' | 'address_line' | 'city' | 'zip' | 'county' | 'region'>
>;

/** Changes a professional's contact details with the audit entry, in one transaction; answers the record as it is now. */
export async function changeContact(
  db: Db,
  professionalId: number,
  changes: ContactChanges,
  ctx: { actorUserId: number; requestId?: string },
): Promise<ProfessionalRow> {
  return db.transaction(async (trx) => {
    const before = await findProfessional(trx, professionalId);
    if (!before) throw new DomainError('NotFound', 'Not found, or not yours to see', 'id');
    const after = await updateProfessional(trx, professionalId, changes);
    await audit(trx, {
      actorUserId: ctx.actorUserId,
      action: 'professional.contact-changed',
      entity: 'professional',
      entityId: professionalId,
      before,
      after,
      requestId: ctx.requestId,
    });
    return after;
  });
}

/** Adds a degree, coursework or credential to a professional's education, with its audit entry. */
export async function recordEducation(
  db: Db,
  professionalId: number,
  input: NewEducation,
  ctx: { actorUserId: number; requestId?: string },
): Promise<EducationRow> {
  return db.transaction(async (trx) => {
    const education = await addEducation(trx, professionalId, input);
    await audit(trx, {
      actorUserId: ctx.actorUserId,
      action: 'education.added',
      entity: 'education',
      entityId: education.id,
      after: education,
      requestId: ctx.requestId,
    });
    return education;
  });
}

/**
 * Adds a card (a CPR/First Aid card) with its audit entry and starts its renewal reminders in the
 * same transaction: no card is saved untracked. Then wakes the workflows of the older cards of its
 * kind still open, so they see the renewal now (they re-check on their own timers anyway).
 */
export async function recordCredential(
  db: Db,
  temporal: Pick<TemporalGateway, 'startCredentialRenewal' | 'notifyCredentialAdded'>,
  professionalId: number,
  input: NewCredential,
  ctx: { actorUserId: number; requestId?: string; logger: Pick<Logger, 'warn'> },
): Promise<{ credential: CredentialRow; renewalWorkflowId: string }> {
  // The scan is what a reviewer verifies; the issuer must be one the rule set in effect today accepts.
  if (!input.uploadId) throw new DomainError('Invalid', 'Upload a scan of the card', 'uploadId');
  const rules = await ruleSetInEffect(db, COMPLIANCE_RULE_SET, localDateOf(new Date()));
  const [refusal] = await rules.credentialRefusals({
    credential: { kind: input.kind, issuer: input.issuer, issuedOn: input.issuedOn, expiresOn: input.expiresOn },
  });
  if (refusal) throw new DomainError('Invalid', refusal.text, 'issuer');
  // The issuer as the rule set spells it, whatever the case it was typed in.
  const issuer =
    rules.acceptedIssuers(input.kind).find((a) => a.trim().toLowerCase() === input.issuer.trim().toLowerCase()) ??
    input.issuer;
  const { credential, workflowId, older } = await db.transaction(async (trx) => {
    const older = (await credentialsOf(trx, professionalId)).filter((c) => c.kind === input.kind);
    const credential = await addCredential(trx, professionalId, { ...input, issuer });
    await audit(trx, {
      actorUserId: ctx.actorUserId,
      action: 'credential.added',
      entity: 'credential',
      entityId: credential.id,
      after: credential,
      requestId: ctx.requestId,
    });
    let workflowId: string;
    try {
      workflowId = await temporal.startCredentialRenewal(credential.id);
    } catch (error) {
      throw new DomainError(
        'Unavailable',
        `Renewal reminders could not be started, so the card was not saved: ${(error as Error).message}`,
      );
    }
    return { credential, workflowId, older };
  });
  for (const workflowId of await openDeadlineWorkflowsOfCredentials(
    db,
    older.map((c) => c.id),
  )) {
    await temporal
      .notifyCredentialAdded(workflowId, credential.id)
      .catch((err: unknown) => ctx.logger.warn({ err, workflowId }, 'could not signal renewal workflow'));
  }
  return { credential, renewalWorkflowId: workflowId };
}

/** The CPR/First Aid cards waiting for a reviewer, oldest first, with the scan to look at. */
export function cardVerificationQueue(db: Db): Promise<CardAwaitingVerification[]> {
  return cardsAwaitingVerification(db);
}

/**
 * A reviewer's word on a card's scan: verified (the card now counts on staff reports) or rejected
 * with a note for its holder. Audited; a card already decided is not decided again. A rejection
 * emails the holder (in their language, with the reason and the link to upload the card again)
 * through the outbox in the same transaction, so the decision and its email stand or fall together.
 */
export async function verifyCard(
  db: Db,
  credentialId: number,
  input: { decision: 'verified' | 'rejected'; note?: string | null },
  ctx: { actorUserId: number; actorProfessionalId: number | null; requestId?: string; publicUrl?: string },
): Promise<CredentialRow> {
  const note = input.note?.trim() || null;
  if (input.decision === 'rejected' && !note)
    throw new DomainError('Invalid', 'Say why the card is rejected, for its holder to read', 'note');
  return db.transaction(async (trx) => {
    const before = await findCredential(trx, credentialId);
    if (!before) throw new DomainError('NotFound', `No card with id ${credentialId}`, 'id');
    if (ctx.actorProfessionalId === before.professional_id)
      throw new DomainError('Forbidden', 'A reviewer does not verify their own card');
    const after = await setCardVerification(trx, credentialId, {
      verification: input.decision,
      reviewerUserId: ctx.actorUserId,
      note,
      at: new Date(),
    });
    if (!after) throw new DomainError('Conflict', `This card was already ${before.verification}`);
    await audit(trx, {
      actorUserId: ctx.actorUserId,
      action: `credential.${input.decision}`,
      entity: 'credential',
      entityId: credentialId,
      before,
      after,
      requestId: ctx.requestId,
    });
    if (input.decision === 'rejected') await tellCardRejected(trx, after, note!, ctx.publicUrl);
    return after;
  });
}

/** The holder of a rejected card, by email in their language: why, and where to upload it again. */
async function tellCardRejected(db: Db, card: CredentialRow, reason: string, publicUrl?: string): Promise<void> {
  const holder = await findProfessional(db, card.professional_id);
  if (!holder?.email) return;
  const base = publicUrl ?? process.env.PUBLIC_URL ?? 'http://127.0.0.1:3000';
  const facts = {
    personName: `${holder.first_name} ${holder.last_name}`,
    credentialKind: card.kind,
    issuer: card.issuer,
    expiresOn: card.expires_on,
    profileUrl: `${base}/professionals/${holder.id}/profile`,
    reason,
  };
  // A card is rejected once (a decided card is not decided again): its id keys the email.
  await addToOutboxInLanguage(db, {
    dedupeKey: `cpr-card-${card.id}-rejected`,
    template: 'cpr-card-rejected',
    to: holder.email,
    compose: (language) => cprCardRejected(language, facts),
  });
}
