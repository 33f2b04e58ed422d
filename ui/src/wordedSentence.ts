/**
 * MOPD's own sentences in the reader's language: the server records, beside an English sentence,
 * the key of the sentence that says it and the values it names; the page looks the key up under a
 * base (vue-i18n) and fills the values. One way for every kind: a value named `…On` is a calendar
 * day, `…Hours` a number of hours, a value named in `labels` a code the UI names (a topic, a
 * level), other numbers written for the reader's locale; `count` picks the plural form. Anything
 * the UI does not know (no words, an unknown key or code) shows the English sentence as recorded.
 */

/** The key of a sentence and the values it names, as the server records them. */
export interface Words {
  key: string;
  values: Record<string, string | number>;
}

/** The part of vue-i18n's composer a sentence needs. */
export interface Wording {
  t(key: string, named: Record<string, unknown>): string;
  t(key: string, named: Record<string, unknown>, plural: number): string;
  te(key: string): boolean;
}

/** How the page writes a calendar day, a number and (where a sentence names one) hours in the reader's language. */
export interface Formats {
  day(date: string): string;
  number(value: number): string;
  hours?(value: number): string;
}

export function wordedSentence(
  base: string,
  words: Words | null | undefined,
  english: string,
  { t, te }: Wording,
  { day, number, hours = number }: Formats,
  labels: Record<string, string> = {},
): string {
  if (!words) return english;
  const key = `${base}.${words.key}`;
  if (!te(key)) return english;
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(words.values)) {
    if (name in labels) {
      const label = `${labels[name]}.${value}`;
      if (!te(label)) return english;
      values[name] = t(label, {});
    } else if (/On$/.test(name)) values[name] = day(String(value));
    else if (/Hours$/.test(name)) values[name] = hours(Number(value));
    else values[name] = typeof value === 'number' ? number(value) : value;
  }
  return 'count' in words.values ? t(key, values, Number(words.values.count)) : t(key, values);
}
