/**
 * The case page says what the automatic checks found in the reader's language
 * (ui/src/views/cases/checkSentence.ts), with the UI's own messages, and falls back to the English
 * sentence the checks recorded when a result carries no wording of its own.
 */
import { describe, expect, it } from 'vitest';
import { createI18n } from 'vue-i18n';
import { checkSentence } from '../../ui/src/views/cases/checkSentence.js';
import { PASSED_CHECK_WORDINGS, type CheckResult } from '../../services/cases.js';
import { emailMessages } from '../../services/mail/messages.js';
import en from '../../ui/src/locales/en/cases.json' with { type: 'json' };
import es from '../../ui/src/locales/es/cases.json' with { type: 'json' };

function wordingIn(locale: 'en' | 'es') {
  const { t, te } = createI18n({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages: { en: { cases: en }, es: { cases: es } },
  }).global;
  return { t, te };
}
const day = (date: string) => `[${date}]`;
const result = (fields: Partial<CheckResult>): CheckResult => ({
  check: 'a-check',
  passed: true,
  message: 'As recorded.',
  onFailure: 'refuse',
  ...fields,
});

describe('a check result on the case page', () => {
  it('says a passed check in Spanish, choosing the plural form by its count', () => {
    const attached = (count: number) =>
      result({
        message: `${count} document(s) attached.`,
        passedWords: { key: 'documentsPresent', values: { count: String(count) } },
      });
    expect(checkSentence(attached(1), wordingIn('es'), day)).toBe('1 documento adjunto.');
    expect(checkSentence(attached(3), wordingIn('es'), day)).toBe('3 documentos adjuntos.');
    expect(checkSentence(attached(1), wordingIn('en'), day)).toBe('1 document attached.');
    const credit = result({ check: 'credit', passedWords: { key: 'credit', values: { count: '4', version: '2' } } });
    expect(checkSentence(credit, wordingIn('es'), day)).toBe(
      'Daría crédito por las 4 horas según la versión 2 del conjunto de reglas.',
    );
  });

  it('says a failed check in Spanish, writing the values named …On as dates and the others as they are', () => {
    const expired = result({
      passed: false,
      message: 'Your American Red Cross instructor certification expired on 2026-01-31; upload the current one.',
      onFailure: 'needs_information',
      failedWords: {
        key: 'instructorCertificationCurrent',
        values: { model: 'American Red Cross', expiresOn: '2026-01-31' },
      },
    });
    expect(checkSentence(expired, wordingIn('es'), day)).toBe(
      'Su certificación de instructor/a de American Red Cross venció el [2026-01-31]; suba la vigente.',
    );
  });

  it('shows the recorded English sentence when the result carries no wording for its outcome, or one the UI does not know', () => {
    // A pass recorded before passes were worded carries no words.
    const before = result({ message: '2 document(s) attached.' });
    expect(checkSentence(before, wordingIn('es'), day)).toBe('2 document(s) attached.');
    const fromRules = result({ passed: false, message: 'Online CPR earns no credit.' });
    expect(checkSentence(fromRules, wordingIn('es'), day)).toBe('Online CPR earns no credit.');
    const unknown = result({ passedWords: { key: 'somethingNew' as never, values: {} } });
    expect(checkSentence(unknown, wordingIn('es'), day)).toBe('As recorded.');
  });

  it('has a sentence for every outcome the checks word: each pass they name, and each failure the emails word', () => {
    for (const messages of [en, es]) {
      expect(Object.keys(messages.checks.passed).sort()).toEqual([...PASSED_CHECK_WORDINGS].sort());
      expect(Object.keys(messages.checks.failed).sort()).toEqual(
        Object.keys(emailMessages.en.caseNotice.checks).sort(),
      );
    }
  });
});
