/**
 * The professional's profile as the registry knows it: education, credentials with their standing,
 * the career level the rule set gives them, and self-assessments.
 */
import type { Db } from '../db/connection.js';
import { careerFactsOf, credentialsOf, latestCredentials, selfAssessmentsOf } from '../db/profile.js';
import { ruleSetInEffect } from '../db/ruleSets.js';
import type { CredentialRow, EducationRow } from '../db/rows.js';
import { credentialStatusOn } from '../rules/credentials.js';
import { DEGREE_LEVELS, type CredentialKind, type CredentialStatus, type DegreeLevel } from '../rules/domain.js';
import type { CareerFacts, CareerLevel, CompiledRuleSet } from '../rules/engine.js';
import type { LocalDate } from '../rules/dates.js';
import { COMPLIANCE_RULE_SET } from '../rules/versions/index.js';

export function careerFacts(education: EducationRow[], lifetimeCreditedHours: number): CareerFacts {
  let highest: DegreeLevel | null = null;
  for (const e of education) {
    if (e.degree_level && (highest === null || DEGREE_LEVELS.indexOf(e.degree_level) > DEGREE_LEVELS.indexOf(highest))) highest = e.degree_level;
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
    .flatMap((r) => (r.scope === 'career' ? [{ level: r.event.params.level, label: r.event.params.label, description: r.event.params.description }] : []))
    .sort((a, b) => a.level - b.level);
}

export async function careerProgression(db: Db, professionalId: number, asOf: LocalDate): Promise<CareerProgression> {
  const [rules, { education, lifetimeCreditedHours }] = await Promise.all([ruleSetInEffect(db, COMPLIANCE_RULE_SET, asOf), careerFactsOf(db, professionalId)]);
  const facts = careerFacts(education, lifetimeCreditedHours);
  return { current: await rules.careerLevel(facts), levels: careerLevels(rules), facts, ruleSet: rules.ruleSet, ruleSetVersion: rules.version };
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
export async function standingOf(rules: CompiledRuleSet, kind: CredentialKind, credential: CredentialRow | undefined, on: LocalDate): Promise<CredentialStanding> {
  if (!credential) return { kind, status: 'none', issuer: null, issuedOn: null, expiresOn: null, credentialId: null };
  const renewal = await rules.credentialRenewal({
    credential: { kind: credential.kind, issuer: credential.issuer, issuedOn: credential.issued_on, expiresOn: credential.expires_on },
  });
  return {
    kind,
    status: credentialStatusOn(credential.expires_on, renewal?.remindDaysBefore ?? null, on),
    issuer: credential.issuer,
    issuedOn: credential.issued_on,
    expiresOn: credential.expires_on,
    credentialId: credential.id,
  };
}

/** The CPR/First Aid card standing of many people on one date (staff reports). */
export async function cprCardStandings(db: Db, professionalIds: number[], on: LocalDate): Promise<Map<number, CredentialStanding>> {
  const rules = await ruleSetInEffect(db, COMPLIANCE_RULE_SET, on);
  const latest = await latestCredentials(db, professionalIds, 'cpr_first_aid_card', on);
  const standings = new Map<number, CredentialStanding>();
  for (const id of professionalIds) standings.set(id, await standingOf(rules, 'cpr_first_aid_card', latest.get(id), on));
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
