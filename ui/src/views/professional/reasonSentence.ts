/**
 * Why a training is suggested, in the reader's language: MOPD's own sentence for the reason
 * (`recommendations.reasons.<key>`, ui/src/locales/<language>/recommendations.json) with the values
 * it names (rules/recommendations.ts ReasonWords). A reason without words, or one whose sentence,
 * topic, level or delivery this UI does not know, shows the English `text` the ranking wrote.
 * Labels from the rule set (a deadline's, an hours requirement's, a credit rule's reasons) are
 * policy text and stay as the rule set says them.
 */
import type { ReasonWords } from '../../../../rules/recommendations.js';
import type { Wording } from '../cases/checkSentence.js';

export interface SaidReason {
  text: string;
  words?: ReasonWords | null;
}

/** How the page writes a calendar day and a number in the reader's language. */
export interface Formats {
  day(date: string): string;
  number(value: number): string;
}

/** Where the UI names a code a value carries. */
const LABELS: Record<string, string> = { topic: 'recommendations.topics', level: 'recommendations.levels', delivery: 'profile.self.delivery' };

export function reasonSentence(reason: SaidReason, { t, te }: Wording, { day, number }: Formats): string {
  const words = reason.words;
  if (!words) return reason.text;
  const key = `recommendations.reasons.${words.key}`;
  if (!te(key)) return reason.text;
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(words.values)) {
    if (name in LABELS) {
      const label = `${LABELS[name]}.${value}`;
      if (!te(label)) return reason.text;
      values[name] = t(label, {});
    } else if (/On$/.test(name)) values[name] = day(String(value));
    else if (/Hours$/.test(name)) values[name] = t('recommendations.hours', { n: number(Number(value)) }, Number(value));
    else values[name] = typeof value === 'number' ? number(value) : value;
  }
  return 'count' in words.values ? t(key, values, Number(words.values.count)) : t(key, values);
}
