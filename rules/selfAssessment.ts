/**
 * The self-assessment: an instrument written as data (rules/instruments/self-assessment.v*.json),
 * one section per competency area (the TOPICS), each statement rated on a 4-point scale. This
 * module checks an instrument and a set of answers, scores each area, names the strengths and
 * growth areas, and compares one assessment with an earlier one. Pure: no I/O, no clock.
 */
import { z } from 'zod';
import { TRANSLATED_LANGUAGES, translatedText, type TranslatedLanguage } from './translations.js';
import { TOPICS, type Language, type Topic } from './domain.js';
import selfAssessmentV1 from './instruments/self-assessment.v1.json' with { type: 'json' };

const topicCodes = Object.keys(TOPICS) as [Topic, ...Topic[]];

/**
 * One language's texts, by the same keys the English uses (scale value, area, statement id), so
 * stored answers stay keyed by id whatever language they were given in. A text left out is shown
 * in English.
 */
const translationSchema = z
  .object({
    title: translatedText.optional(),
    introduction: translatedText.optional(),
    scale: z.record(z.string(), translatedText).optional(),
    sections: z.partialRecord(z.enum(topicCodes), translatedText).optional(),
    statements: z.record(z.string(), translatedText).optional(),
  })
  .strict();

const instrumentSchema = z
  .object({
    instrument: z.string().min(1),
    version: z.string().regex(/^[a-z0-9.-]+$/),
    title: z.string().min(3),
    introduction: z.string(),
    scale: z.array(z.object({ value: z.number().int(), label: z.string().min(1) }).strict()).min(2),
    thresholds: z
      .object({
        /** An area whose average is at least this is a strength. */
        strengthAtLeast: z.number(),
        /** An area whose average is at most this is a growth area. */
        growthAtMost: z.number(),
        /** When no area is that low, this many of the lowest (that are not strengths) are the growth areas. */
        lowestWhenNoGrowth: z.number().int().min(0),
      })
      .strict(),
    sections: z
      .array(
        z
          .object({
            area: z.enum(topicCodes),
            statements: z
              .array(z.object({ id: z.string().regex(/^[a-z0-9-]+$/), text: z.string().min(10) }).strict())
              .min(1),
          })
          .strict(),
      )
      .min(1),
    translations: z.partialRecord(z.enum(TRANSLATED_LANGUAGES), translationSchema).optional(),
  })
  .strict()
  .superRefine((instrument, ctx) => {
    const areas = instrument.sections.map((s) => s.area);
    for (const topic of topicCodes)
      if (!areas.includes(topic))
        ctx.addIssue({
          code: 'custom',
          path: ['sections'],
          message: `has no section for the competency area ${topic}`,
        });
    if (new Set(areas).size !== areas.length)
      ctx.addIssue({ code: 'custom', path: ['sections'], message: 'names an area twice' });
    const ids = instrument.sections.flatMap((s) => s.statements.map((st) => st.id));
    if (new Set(ids).size !== ids.length)
      ctx.addIssue({ code: 'custom', path: ['sections'], message: 'uses a statement id twice' });
    const values = instrument.scale.map((p) => p.value);
    if (values.some((v, i) => i > 0 && v <= values[i - 1]!))
      ctx.addIssue({ code: 'custom', path: ['scale'], message: 'must go up one value after another' });
    // A translation of something the instrument does not ask is a typo that would leave the real one in English.
    for (const [language, translation] of Object.entries(instrument.translations ?? {})) {
      for (const key of Object.keys(translation.scale ?? {}))
        if (!values.map(String).includes(key))
          ctx.addIssue({
            code: 'custom',
            path: ['translations', language, 'scale', key],
            message: 'is not a value on the scale',
          });
      for (const key of Object.keys(translation.statements ?? {}))
        if (!ids.includes(key))
          ctx.addIssue({
            code: 'custom',
            path: ['translations', language, 'statements', key],
            message: 'is not a statement id',
          });
    }
  });

export type Instrument = z.infer<typeof instrumentSchema>;

export function parseInstrument(input: unknown): Instrument {
  return instrumentSchema.parse(input);
}

/** Every version of the instrument ever shipped, by version id: earlier assessments are read with their own. */
export const INSTRUMENTS: ReadonlyMap<string, Instrument> = new Map(
  [parseInstrument(selfAssessmentV1)].map((i) => [i.version, i]),
);
/** The version new assessments are taken with. */
export const CURRENT_INSTRUMENT: Instrument = INSTRUMENTS.get('self-assessment.v1')!;

/** The instrument as a person reads it: every text in their language, English where it has no translation. */
export type InstrumentText = Omit<Instrument, 'translations' | 'sections'> & {
  sections: Array<Instrument['sections'][number] & { label: string }>;
};

export function instrumentIn(instrument: Instrument, language: Language): InstrumentText {
  const { translations, ...english } = instrument;
  const texts = language === 'en' ? undefined : translations?.[language];
  return {
    ...english,
    title: texts?.title ?? english.title,
    introduction: texts?.introduction ?? english.introduction,
    scale: english.scale.map((p) => ({ ...p, label: texts?.scale?.[String(p.value)] ?? p.label })),
    sections: english.sections.map((s) => ({
      ...s,
      label: texts?.sections?.[s.area] ?? TOPICS[s.area],
      statements: s.statements.map((st) => ({ ...st, text: texts?.statements?.[st.id] ?? st.text })),
    })),
  };
}

/** Where each text of the instrument lacks a translation into `language`: empty when it is whole. */
export function untranslatedTexts(instrument: Instrument, language: TranslatedLanguage): string[] {
  const texts = instrument.translations?.[language];
  return [
    ...(texts?.title ? [] : ['title']),
    ...(texts?.introduction ? [] : ['introduction']),
    ...instrument.scale.filter((p) => !texts?.scale?.[String(p.value)]).map((p) => `scale.${p.value}`),
    ...instrument.sections.filter((s) => !texts?.sections?.[s.area]).map((s) => `sections.${s.area}`),
    ...instrument.sections.flatMap((s) =>
      s.statements.filter((st) => !texts?.statements?.[st.id]).map((st) => `statements.${st.id}`),
    ),
  ];
}

/** Answers as submitted and stored: statement id → the chosen value on the scale. */
export type Answers = Record<string, number>;

export interface AnswerProblem {
  /** The statement's id: the form shows the message beside it. */
  statementId: string;
  message: string;
}

/** Every statement answered, each with a value on the scale, nothing the instrument does not ask. */
export function answerProblems(instrument: Instrument, answers: Record<string, unknown>): AnswerProblem[] {
  const values = instrument.scale.map((p) => p.value);
  const asked = new Set<string>();
  const problems: AnswerProblem[] = [];
  const range = `${values[0]} to ${values.at(-1)}`;
  for (const section of instrument.sections) {
    for (const statement of section.statements) {
      asked.add(statement.id);
      const value = answers[statement.id];
      if (value === undefined || value === null)
        problems.push({ statementId: statement.id, message: 'must be answered' });
      else if (typeof value !== 'number' || !values.includes(value))
        problems.push({ statementId: statement.id, message: `must be one of the scale's values, ${range}` });
    }
  }
  for (const key of Object.keys(answers))
    if (!asked.has(key)) problems.push({ statementId: key, message: `is not a statement of ${instrument.version}` });
  return problems;
}

export interface AreaScore {
  area: Topic;
  label: string;
  /** The mean of the area's answers, to two decimals. */
  average: number;
}

export interface AssessmentProfile {
  instrumentVersion: string;
  scores: AreaScore[];
  strengths: Topic[];
  /** Lowest first. */
  growthAreas: Topic[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Each area's average, in the instrument's order. Answers are assumed checked (`answerProblems`). */
export function scoreAreas(instrument: Instrument, answers: Answers): AreaScore[] {
  return instrument.sections.map((section) => {
    const given = section.statements.map((s) => answers[s.id]).filter((v): v is number => typeof v === 'number');
    return {
      area: section.area,
      label: TOPICS[section.area],
      average: given.length === 0 ? 0 : round2(given.reduce((a, b) => a + b, 0) / given.length),
    };
  });
}

/**
 * Strengths: areas at or above `strengthAtLeast`. Growth areas: areas at or below `growthAtMost`;
 * when none is that low, the `lowestWhenNoGrowth` lowest areas that are not strengths (someone who
 * rates everything highly still gets somewhere to grow, unless every area is a strength). Ties
 * keep the instrument's order.
 */
export function profileOf(instrument: Instrument, answers: Answers): AssessmentProfile {
  const scores = scoreAreas(instrument, answers);
  const { strengthAtLeast, growthAtMost, lowestWhenNoGrowth } = instrument.thresholds;
  const lowestFirst = [...scores].sort((a, b) => a.average - b.average);
  const low = lowestFirst.filter((s) => s.average <= growthAtMost);
  const growth =
    low.length > 0 ? low : lowestFirst.filter((s) => s.average < strengthAtLeast).slice(0, lowestWhenNoGrowth);
  return {
    instrumentVersion: instrument.version,
    scores,
    strengths: scores.filter((s) => s.average >= strengthAtLeast).map((s) => s.area),
    growthAreas: growth.map((s) => s.area),
  };
}

export interface AreaChange {
  area: Topic;
  label: string;
  before: number;
  after: number;
  /** after − before: positive is growth. */
  difference: number;
}

/** Area by area, how the later profile differs from the earlier one (areas both assessed). */
export function changeBetween(earlier: AssessmentProfile, later: AssessmentProfile): AreaChange[] {
  const before = new Map(earlier.scores.map((s) => [s.area, s.average]));
  return later.scores.flatMap((s) => {
    const was = before.get(s.area);
    return was === undefined
      ? []
      : [{ area: s.area, label: s.label, before: was, after: s.average, difference: round2(s.average - was) }];
  });
}
