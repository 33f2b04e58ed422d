import { describe, expect, it } from 'vitest';
import {
  CURRENT_MICRO_CREDENTIALS,
  MICRO_CREDENTIAL_CATALOGS,
  awardExpiresOn,
  awardStatus,
  catalogIn,
  evidenceProblems,
  findMicroCredential,
  parseMicroCredentialCatalog,
  untranslatedTexts,
} from '../../rules/microCredentials.js';
import { TOPICS } from '../../rules/domain.js';

const safeSleep = findMicroCredential('micro-credentials.v1', 'safe-sleep-practice')!;

describe('the micro-credential catalog', () => {
  it('ships credentials in the core competency areas, each asking for evidence', () => {
    expect(CURRENT_MICRO_CREDENTIALS.credentials.length).toBeGreaterThanOrEqual(5);
    for (const c of CURRENT_MICRO_CREDENTIALS.credentials) {
      expect(Object.keys(TOPICS)).toContain(c.area);
      expect(c.evidence.reflection.minCharacters).toBeGreaterThan(0);
    }
  });

  it('refuses a catalog naming an area that is not a competency area, or an id twice', () => {
    const valid = structuredClone(CURRENT_MICRO_CREDENTIALS);
    expect(() =>
      parseMicroCredentialCatalog({ ...valid, credentials: [{ ...valid.credentials[0], area: 'juggling' }] }),
    ).toThrow(/area/);
    expect(() =>
      parseMicroCredentialCatalog({ ...valid, credentials: [valid.credentials[0], valid.credentials[0]] }),
    ).toThrow(/credential id twice/);
    expect(() =>
      parseMicroCredentialCatalog({
        ...valid,
        credentials: [
          {
            ...valid.credentials[0],
            evidence: {
              ...valid.credentials[0]!.evidence,
              documents: { min: 3, max: 2, description: 'Some documents here' },
            },
          },
        ],
      }),
    ).toThrow(/min must not exceed max/);
  });
});

describe('the catalog in Spanish', () => {
  it('has a Spanish title, competency, documents description and reflection prompt for every credential of every shipped version', () => {
    for (const shipped of MICRO_CREDENTIAL_CATALOGS.values()) expect(untranslatedTexts(shipped, 'es')).toEqual([]);
  });

  it('names a new credential that has no Spanish texts yet, and shows it in English until it has', () => {
    const valid = structuredClone(CURRENT_MICRO_CREDENTIALS);
    const added = parseMicroCredentialCatalog({
      ...valid,
      credentials: [...valid.credentials, { ...valid.credentials[0]!, id: 'new-credential' }],
    });
    expect(untranslatedTexts(added, 'es')).toEqual(
      ['title', 'competency', 'documents', 'reflection'].map((field) => `credentials.new-credential.${field}`),
    );
    const shown = catalogIn(added, 'es').credentials;
    expect(shown.at(-1)!.title).toBe(safeSleep.title);
    expect(shown[0]!.title).toBe('El sueño seguro en la práctica diaria');
  });

  it('refuses an empty translation, or one of a credential the catalog does not offer', () => {
    const valid = structuredClone(CURRENT_MICRO_CREDENTIALS);
    const es = valid.translations!.es!;
    expect(() =>
      parseMicroCredentialCatalog({
        ...valid,
        translations: { es: { ...es, credentials: { ...es.credentials, 'safe-sleep-practice': { title: '' } } } },
      }),
    ).toThrow(/must not be empty/);
    expect(() =>
      parseMicroCredentialCatalog({
        ...valid,
        translations: {
          es: { ...es, credentials: { ...es.credentials, 'safe-sleeep-practice': { title: 'Sueño seguro' } } },
        },
      }),
    ).toThrow(/is not a credential id/);
  });

  it('keeps the ids and the evidence rules: only the words change', () => {
    const spanish = catalogIn(CURRENT_MICRO_CREDENTIALS, 'es').credentials.find((c) => c.id === 'safe-sleep-practice')!;
    expect(spanish).toMatchObject({
      area: safeSleep.area,
      validForYears: safeSleep.validForYears,
      evidence: { documents: { min: 1, max: 5 }, reflection: { minCharacters: 400, maxCharacters: 6000 } },
    });
    expect(spanish.evidence.reflection.prompt).toMatch(/^Describa cómo acuesta a dormir/);
    expect(catalogIn(CURRENT_MICRO_CREDENTIALS, 'en').credentials.find((c) => c.id === 'safe-sleep-practice')).toEqual(
      safeSleep,
    );
  });
});

describe('evidence for a credential', () => {
  it('is enough with the documents and a reflection of the asked length', () => {
    expect(evidenceProblems(safeSleep, { reflection: 'x'.repeat(400), documentCount: 1 })).toEqual([]);
  });

  it('names the missing documents and the short reflection, by field', () => {
    expect(evidenceProblems(safeSleep, { reflection: '  short  ', documentCount: 0 })).toEqual([
      { field: 'documents', message: expect.stringMatching(/^attach at least 1 document: /) },
      { field: 'reflection', message: 'must be at least 400 characters (it has 5)' },
    ]);
  });

  it('refuses more documents than the credential takes', () => {
    expect(evidenceProblems(safeSleep, { reflection: 'x'.repeat(400), documentCount: 6 })).toEqual([
      { field: 'documents', message: 'attach at most 5 documents' },
    ]);
  });
});

describe('an award', () => {
  it('runs for the credential’s years, or for good', () => {
    expect(awardExpiresOn({ validForYears: 3 }, '2026-12-01')).toBe('2029-12-01');
    expect(awardExpiresOn({ validForYears: null }, '2026-12-01')).toBeNull();
  });

  it('is valid through its last day, expired after it, and revoked whatever the date', () => {
    expect(awardStatus({ expiresOn: '2029-12-01', revoked: false }, '2029-12-01')).toBe('valid');
    expect(awardStatus({ expiresOn: '2029-12-01', revoked: false }, '2029-12-02')).toBe('expired');
    expect(awardStatus({ expiresOn: null, revoked: false }, '2099-01-01')).toBe('valid');
    expect(awardStatus({ expiresOn: null, revoked: true }, '2026-12-01')).toBe('revoked');
  });
});
