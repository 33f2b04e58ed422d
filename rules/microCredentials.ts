/**
 * Competency-based micro-credentials, written as data (rules/instruments/micro-credentials.v*.json):
 * each names the competency area it belongs to (the TOPICS), the evidence asked for (how many
 * documents, a reflection prompt with its minimum length) and how long an award stays valid. This
 * module checks a catalog, checks a submission's evidence against its credential, and works out an
 * award's expiry and standing. Pure: no I/O, no clock.
 */
import { z } from 'zod';
import { TOPICS, type AwardedCredentialStatus, type Topic } from './domain.js';
import { addYears, type LocalDate } from './dates.js';
import microCredentialsV1 from './instruments/micro-credentials.v1.json' with { type: 'json' };

const topicCodes = Object.keys(TOPICS) as [Topic, ...Topic[]];

const credentialSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, 'must be a lowercase code such as safe-sleep-practice').max(60),
    title: z.string().min(3).max(120),
    area: z.enum(topicCodes),
    /** What the holder can do, in one sentence: shown on the public verification page. */
    competency: z.string().min(10).max(400),
    evidence: z
      .object({
        documents: z
          .object({
            min: z.number().int().min(0),
            max: z.number().int().min(1).max(10),
            description: z.string().min(10),
          })
          .strict()
          .refine((d) => d.min <= d.max, { message: 'min must not exceed max', path: ['min'] }),
        reflection: z
          .object({
            prompt: z.string().min(10),
            minCharacters: z.number().int().min(1),
            maxCharacters: z.number().int().max(20_000),
          })
          .strict()
          .refine((r) => r.minCharacters < r.maxCharacters, { message: 'minCharacters must be below maxCharacters', path: ['minCharacters'] }),
      })
      .strict(),
    /** Whole years an award stays valid; null: it does not expire. */
    validForYears: z.number().int().min(1).max(20).nullable(),
  })
  .strict();

const catalogSchema = z
  .object({
    catalog: z.string().min(1),
    version: z.string().regex(/^[a-z0-9.-]+$/),
    title: z.string().min(3),
    introduction: z.string(),
    credentials: z.array(credentialSchema).min(1),
  })
  .strict()
  .superRefine((catalog, ctx) => {
    const ids = catalog.credentials.map((c) => c.id);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['credentials'], message: 'uses a credential id twice' });
  });

export type MicroCredentialCatalog = z.infer<typeof catalogSchema>;
export type MicroCredential = z.infer<typeof credentialSchema>;

export function parseMicroCredentialCatalog(input: unknown): MicroCredentialCatalog {
  return catalogSchema.parse(input);
}

/** Every catalog version ever shipped, by version id: a case is judged by the one it was submitted under. */
export const MICRO_CREDENTIAL_CATALOGS: ReadonlyMap<string, MicroCredentialCatalog> = new Map([parseMicroCredentialCatalog(microCredentialsV1)].map((c) => [c.version, c]));
/** The version new submissions are made under. */
export const CURRENT_MICRO_CREDENTIALS: MicroCredentialCatalog = MICRO_CREDENTIAL_CATALOGS.get('micro-credentials.v1')!;

export function findMicroCredential(catalogVersion: string, credentialId: string): MicroCredential | undefined {
  return MICRO_CREDENTIAL_CATALOGS.get(catalogVersion)?.credentials.find((c) => c.id === credentialId);
}

export interface EvidenceProblem {
  /** The submission's field the form shows the message beside. */
  field: 'documents' | 'reflection';
  message: string;
}

/** What is missing from a submission's evidence, by field; empty when it is enough to review. */
export function evidenceProblems(credential: MicroCredential, evidence: { reflection: string; documentCount: number }): EvidenceProblem[] {
  const problems: EvidenceProblem[] = [];
  const { documents, reflection } = credential.evidence;
  if (evidence.documentCount < documents.min) problems.push({ field: 'documents', message: `attach at least ${documents.min} document${documents.min === 1 ? '' : 's'}: ${documents.description}` });
  if (evidence.documentCount > documents.max) problems.push({ field: 'documents', message: `attach at most ${documents.max} documents` });
  const length = evidence.reflection.trim().length;
  if (length < reflection.minCharacters) problems.push({ field: 'reflection', message: `must be at least ${reflection.minCharacters} characters (it has ${length})` });
  if (length > reflection.maxCharacters) problems.push({ field: 'reflection', message: `must be at most ${reflection.maxCharacters} characters (it has ${length})` });
  return problems;
}

/** The last day an award is valid, or null when the credential does not expire. */
export function awardExpiresOn(credential: Pick<MicroCredential, 'validForYears'>, awardedOn: LocalDate): LocalDate | null {
  return credential.validForYears === null ? null : addYears(awardedOn, credential.validForYears);
}

/** An award's standing on a date: revoked wins; then expired after its last day. */
export function awardStatus(award: { expiresOn: LocalDate | null; revoked: boolean }, today: LocalDate): AwardedCredentialStatus {
  if (award.revoked) return 'revoked';
  if (award.expiresOn !== null && award.expiresOn < today) return 'expired';
  return 'valid';
}
