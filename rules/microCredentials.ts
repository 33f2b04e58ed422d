/**
 * Competency-based micro-credentials, written as data (rules/instruments/micro-credentials.v*.json):
 * each names the competency area it belongs to (the TOPICS), the evidence asked for (how many
 * documents, a reflection prompt with its minimum length) and how long an award stays valid. This
 * module checks a catalog, checks a submission's evidence against its credential, and works out an
 * award's expiry and standing. Pure: no I/O, no clock.
 */
import { z } from 'zod';
import { TRANSLATED_LANGUAGES, translatedText, type TranslatedLanguage } from './translations.js';
import { TOPICS, type AwardedCredentialStatus, type Language, type Topic } from './domain.js';
import { addYears, type LocalDate } from './dates.js';
import microCredentialsV1 from './instruments/micro-credentials.v1.json' with { type: 'json' };

const topicCodes = Object.keys(TOPICS) as [Topic, ...Topic[]];

/**
 * One language's texts, by credential id (ids stay the same in every language, so submissions and
 * awards keep pointing at the same credential). A text left out is shown in English.
 */
const translationSchema = z
  .object({
    title: translatedText.optional(),
    introduction: translatedText.optional(),
    credentials: z
      .record(
        z.string(),
        z
          .object({
            title: translatedText.max(120).optional(),
            competency: translatedText.max(400).optional(),
            documents: translatedText.optional(),
            reflection: translatedText.optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

const credentialSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9-]+$/, 'must be a lowercase code such as safe-sleep-practice')
      .max(60),
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
          .refine((r) => r.minCharacters < r.maxCharacters, {
            message: 'minCharacters must be below maxCharacters',
            path: ['minCharacters'],
          }),
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
    translations: z.partialRecord(z.enum(TRANSLATED_LANGUAGES), translationSchema).optional(),
  })
  .strict()
  .superRefine((catalog, ctx) => {
    const ids = catalog.credentials.map((c) => c.id);
    if (new Set(ids).size !== ids.length)
      ctx.addIssue({ code: 'custom', path: ['credentials'], message: 'uses a credential id twice' });
    // A translation of a credential the catalog does not offer is a typo that would leave the real one in English.
    for (const [language, translation] of Object.entries(catalog.translations ?? {})) {
      for (const key of Object.keys(translation.credentials ?? {}))
        if (!ids.includes(key))
          ctx.addIssue({
            code: 'custom',
            path: ['translations', language, 'credentials', key],
            message: 'is not a credential id',
          });
    }
  });

export type MicroCredentialCatalog = z.infer<typeof catalogSchema>;
export type MicroCredential = z.infer<typeof credentialSchema>;

export function parseMicroCredentialCatalog(input: unknown): MicroCredentialCatalog {
  return catalogSchema.parse(input);
}

/** Every catalog version ever shipped, by version id: a case is judged by the one it was submitted under. */
export const MICRO_CREDENTIAL_CATALOGS: ReadonlyMap<string, MicroCredentialCatalog> = new Map(
  [parseMicroCredentialCatalog(microCredentialsV1)].map((c) => [c.version, c]),
);
/** The version new submissions are made under. */
export const CURRENT_MICRO_CREDENTIALS: MicroCredentialCatalog = MICRO_CREDENTIAL_CATALOGS.get('micro-credentials.v1')!;

/** The catalog as a person reads it: every text in their language, English where it has no translation. */
export type MicroCredentialCatalogText = Omit<MicroCredentialCatalog, 'translations'>;

export function catalogIn(catalog: MicroCredentialCatalog, language: Language): MicroCredentialCatalogText {
  const { translations, ...english } = catalog;
  const texts = language === 'en' ? undefined : translations?.[language];
  return {
    ...english,
    title: texts?.title ?? english.title,
    introduction: texts?.introduction ?? english.introduction,
    credentials: english.credentials.map((c) => {
      const t = texts?.credentials?.[c.id];
      const { documents, reflection } = c.evidence;
      return {
        ...c,
        title: t?.title ?? c.title,
        competency: t?.competency ?? c.competency,
        evidence: {
          documents: { ...documents, description: t?.documents ?? documents.description },
          reflection: { ...reflection, prompt: t?.reflection ?? reflection.prompt },
        },
      };
    }),
  };
}

/** Where each text of the catalog lacks a translation into `language`: empty when it is whole. */
export function untranslatedTexts(catalog: MicroCredentialCatalog, language: TranslatedLanguage): string[] {
  const texts = catalog.translations?.[language];
  return [
    ...(texts?.title ? [] : ['title']),
    ...(texts?.introduction ? [] : ['introduction']),
    ...catalog.credentials.flatMap((c) =>
      (['title', 'competency', 'documents', 'reflection'] as const)
        .filter((field) => !texts?.credentials?.[c.id]?.[field])
        .map((field) => `credentials.${c.id}.${field}`),
    ),
  ];
}

export function findMicroCredential(catalogVersion: string, credentialId: string): MicroCredential | undefined {
  return MICRO_CREDENTIAL_CATALOGS.get(catalogVersion)?.credentials.find((c) => c.id === credentialId);
}

export interface EvidenceProblem {
  /** The submission's field the form shows the message beside. */
  field: 'documents' | 'reflection';
  message: string;
}

/** What is missing from a submission's evidence, by field; empty when it is enough to review. */
export function evidenceProblems(
  credential: MicroCredential,
  evidence: { reflection: string; documentCount: number },
): EvidenceProblem[] {
  const problems: EvidenceProblem[] = [];
  const { documents, reflection } = credential.evidence;
  if (evidence.documentCount < documents.min)
    problems.push({
      field: 'documents',
      message: `attach at least ${documents.min} document${documents.min === 1 ? '' : 's'}: ${documents.description}`,
    });
  if (evidence.documentCount > documents.max)
    problems.push({ field: 'documents', message: `attach at most ${documents.max} documents` });
  const length = evidence.reflection.trim().length;
  if (length < reflection.minCharacters)
    problems.push({
      field: 'reflection',
      message: `must be at least ${reflection.minCharacters} characters (it has ${length})`,
    });
  if (length > reflection.maxCharacters)
    problems.push({
      field: 'reflection',
      message: `must be at most ${reflection.maxCharacters} characters (it has ${length})`,
    });
  return problems;
}

/** The last day an award is valid, or null when the credential does not expire. */
export function awardExpiresOn(
  credential: Pick<MicroCredential, 'validForYears'>,
  awardedOn: LocalDate,
): LocalDate | null {
  return credential.validForYears === null ? null : addYears(awardedOn, credential.validForYears);
}

/** An award's standing on a date: revoked wins; then expired after its last day. */
export function awardStatus(
  award: { expiresOn: LocalDate | null; revoked: boolean },
  today: LocalDate,
): AwardedCredentialStatus {
  if (award.revoked) return 'revoked';
  if (award.expiresOn !== null && award.expiresOn < today) return 'expired';
  return 'valid';
}
