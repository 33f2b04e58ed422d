/** The checks a legacy CSV row passes or fails on its own, and the memoized credit decisions. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  IMPORT_KINDS,
  REFERS_TO,
  kindOfFile,
  parseDate,
  parseFile,
  parseSession,
  similarNames,
  normalizedName,
} from '../../services/legacyImport/formats.js';
import { CreditMemo } from '../../services/legacyImport/creditMemo.js';
import { CompiledRuleSet, type TrainingFacts } from '../../rules/engine.js';
import { shippedRuleSets } from '../../rules/versions/index.js';

describe('legacy CSV rows', () => {
  afterEach(() => vi.useRealTimers());

  it('takes today as America/Chicago’s date: late evening there, the UTC date is still the future', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-08T03:00:00Z')); // 9 pm on December 7 in Chicago
    expect(parseDate('2026-12-07')).toEqual({ ok: true, value: '2026-12-07' });
    expect(parseDate('2026-12-08')).toEqual({ ok: false, reason: '"2026-12-08" is in the future' });
  });

  it('reads ISO and M/D/YYYY dates and refuses days that do not exist or have not come', () => {
    expect(parseDate('2024-02-29')).toEqual({ ok: true, value: '2024-02-29' });
    expect(parseDate('3/7/2019')).toEqual({ ok: true, value: '2019-03-07' });
    expect(parseDate('2023-02-29')).toEqual({ ok: false, reason: '"2023-02-29" is not a day of the calendar' });
    expect(parseDate('07.03.2019')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('write YYYY-MM-DD or M/D/YYYY'),
    });
    expect(parseDate('2030-01-01', '2026-11-23')).toEqual({ ok: false, reason: '"2030-01-01" is in the future' });
  });

  it('names the line and column of each problem of a training file', () => {
    const file = parseFile(
      'training',
      [
        'legacy_id,person_legacy_id,course_legacy_id,completed_on,hours',
        'T1,P1,C1,2024-01-05,0',
        'T2,,C1,2024-01-05,2',
        'T3,P1,,2024-01-05,1.255',
        'T1,P2,C1,2024-01-06,2',
        'T4,P1,C1,2024-01-06,24',
      ].join('\r\n'),
    );
    expect(file.problems).toEqual([
      { line: 2, column: 'hours', reason: '0 hours is out of range (more than 0, at most 24)' },
      { line: 3, column: 'person_legacy_id', reason: 'give the person’s legacy id or MOPD ID' },
      { line: 4, column: 'hours', reason: '"1.255" is not a number of hours (digits, at most two decimals)' },
      { line: 4, column: 'course_legacy_id', reason: 'give the course’s legacy id, or its title, sponsor and topic' },
    ]);
    expect(file.rows.map((r) => r.values.legacy_id)).toEqual(['T1', 'T4']);
    expect(
      parseFile(
        'training',
        'legacy_id,person_legacy_id,course_legacy_id,completed_on,hours\nT1,P1,C1,2024-01-05,2\nT1,P1,C1,2024-01-05,2',
      ).problems,
    ).toEqual([{ line: 3, column: 'legacy_id', reason: '"T1" is given twice in this file (first on line 2)' }]);
  });

  it('refuses a header without its required columns or with unknown ones', () => {
    expect(parseFile('professionals', 'legacy_id,first_name,surname,email\n').problems).toEqual([
      { line: 1, column: 'last_name', reason: 'the header lacks this required column' },
      { line: 1, column: 'surname', reason: expect.stringContaining('is not a column of professionals files') },
    ]);
  });

  it('gives the same digest to the same row, and another to a changed one', () => {
    const header = 'legacy_id,name,license_number,licensed,subsidized,county\n';
    const [a] = parseFile('organizations', `${header}O1,Acorns,L1,yes,no,Boone`).rows;
    const [b] = parseFile('organizations', `${header}O1,Acorns,L1,Y,N,Boone`).rows;
    const [c] = parseFile('organizations', `${header}O1,Acorns,L1,yes,no,Cole`).rows;
    expect(a!.hash).toBe(b!.hash);
    expect(a!.hash).not.toBe(c!.hash);
  });

  it('tells the kind of a file from its name', () => {
    expect(kindOfFile('2019_Training_export.csv')).toBe('training');
    expect(kindOfFile('people.csv')).toBe('professionals');
    expect(kindOfFile('notes.csv')).toBeNull();
    expect(kindOfFile('Trainer_Applications.csv')).toBe('trainer_applications');
    expect(kindOfFile('course-applications-2025.csv')).toBe('course_applications');
    expect(kindOfFile('courses.csv')).toBe('courses');
    expect(kindOfFile('workshop_events.csv')).toBe('events');
  });

  it('applies each kind of file after every kind it refers to', () => {
    for (const kind of IMPORT_KINDS) {
      for (const earlier of REFERS_TO[kind])
        expect(IMPORT_KINDS.indexOf(earlier), `${kind} refers to ${earlier}`).toBeLessThan(IMPORT_KINDS.indexOf(kind));
    }
    expect(REFERS_TO.training).toContain('course_applications');
  });

  it('reads an event session in Missouri time, with its hours, and refuses one that ends before it starts', () => {
    // Central Daylight Time in June (UTC-5), Central Standard Time in January (UTC-6).
    expect(parseSession('2025-06-10 09:00-10:30')).toEqual({
      ok: true,
      value: { startsAt: '2025-06-10T14:00:00.000Z', endsAt: '2025-06-10T15:30:00.000Z', hours: 1.5 },
    });
    expect(parseSession('1/14/2026 18:00-21:00')).toEqual({
      ok: true,
      value: { startsAt: '2026-01-15T00:00:00.000Z', endsAt: '2026-01-15T03:00:00.000Z', hours: 3 },
    });
    expect(parseSession('2025-08-01 11:00-09:00')).toEqual({
      ok: false,
      reason: '"2025-08-01 11:00-09:00" ends before it starts',
    });
    expect(parseSession('2025-08-01 25:00-26:00')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('not on the clock'),
    });
    expect(parseSession('next Tuesday')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('is not a session'),
    });
  });

  it('checks the outcome, dates and lists of trainer and course applications and the place and sessions of events', () => {
    const trainers = parseFile(
      'trainer_applications',
      [
        'legacy_id,person_legacy_id,specialties,certifications,submitted_on,outcome,decided_on',
        'A1,P1,health-safety;cpr-first-aid,American Red Cross:2030-01-31,2025-01-10,approved,2025-02-01',
        'A2,P1,guidance,,2025-01-10,approved,',
        'A3,P1,guidance,,2025-01-10,pending,2025-02-01',
        'A4,P1,guidance;knitting,,2025-01-10,denied,2025-01-09',
        'A5,P1,guidance,Red Cross,2025-01-10,maybe,',
      ].join('\n'),
    );
    expect(trainers.rows.map((r) => r.values)).toEqual([
      expect.objectContaining({
        legacy_id: 'A1',
        specialties: ['health-safety', 'cpr-first-aid'],
        certifications: [{ model: 'American Red Cross', expiresOn: '2030-01-31' }],
        outcome: 'approved',
      }),
    ]);
    expect(trainers.problems).toEqual([
      { line: 3, column: 'decided_on', reason: 'is required for an application approved' },
      { line: 4, column: 'decided_on', reason: 'is only for decided applications (this one is pending)' },
      { line: 5, column: 'specialties', reason: expect.stringContaining('specialty: "knitting" is not one of') },
      { line: 5, column: 'decided_on', reason: '2025-01-09 is before the submission 2025-01-10' },
      {
        line: 6,
        column: 'certifications',
        reason: expect.stringContaining('"Red Cross" is not a model and its expiry date'),
      },
      { line: 6, column: 'outcome', reason: '"maybe" is not one of approved, denied, pending' },
    ]);
    const courses = parseFile(
      'course_applications',
      [
        'legacy_id,title,sponsor,topic,level,delivery,clock_hours,in_person_hours,fee,trainer_legacy_id,trainer_mopd_id,submitted_on,outcome,decided_on',
        'C1,Blended CPR,Calendar,cpr-first-aid,introductory,blended,4,1.5,25.50,A1,,2025-01-05,pending,',
        'C2,Songs,Calendar,curriculum,introductory,in_person,2,,,,,2025-01-05,pending,',
        'C3,Songs,Calendar,curriculum,introductory,in_person,2,,12.345,,MO0000001,2025-01-05,pending,',
      ].join('\n'),
    );
    expect(courses.rows.map((r) => [r.values.legacy_id, r.values.fee])).toEqual([['C1', 2550]]);
    expect(courses.problems).toEqual([
      { line: 3, column: 'trainer_legacy_id', reason: 'give the trainer’s application legacy id or MOPD ID' },
      { line: 4, column: 'fee', reason: expect.stringContaining('"12.345" is not an amount in dollars') },
    ]);
    const events = parseFile(
      'events',
      [
        'legacy_id,course_legacy_id,sessions,capacity',
        'E1,C1,2025-06-10 09:00-12:00;2025-06-10 11:00-13:00,10',
        'E2,C1,2025-06-10 09:00-12:00,0',
        'E3,C1,2025-06-10 09:00-12:00;2025-06-11 09:00-12:00,5000',
      ].join('\n'),
    );
    expect(events.problems).toEqual([
      { line: 2, column: 'sessions', reason: 'two sessions overlap: everyone attends every session of an event' },
      { line: 3, column: 'capacity', reason: '"0" is not a number of seats from 1 to 5000' },
    ]);
    expect(events.rows[0]!.values.sessions).toHaveLength(2);
  });

  it('finds one person under two spellings of a name, not two different people', () => {
    expect(similarNames(normalizedName('Katherine', 'Smith'), normalizedName('Kathrine', 'Smyth'))).toBe(true);
    expect(similarNames(normalizedName('Jo Ann', 'Lee'), normalizedName('JoAnn', 'Lée'))).toBe(true);
    expect(similarNames(normalizedName('Maria', 'Lopez'), normalizedName('Mark', 'Lopes'))).toBe(false);
  });
});

describe('memoized credit decisions', () => {
  const rules = new CompiledRuleSet(shippedRuleSets[0]!);
  const facts = (
    training: Partial<TrainingFacts['training']>,
    history: Partial<TrainingFacts['history']> = {},
  ): TrainingFacts => ({
    training: {
      approved: true,
      delivery: 'in_person',
      topic: 'health-safety',
      sponsor: 'DESE OOC',
      hours: 2,
      courseHours: 2,
      inPersonHours: null,
      source: 'legacy_import',
      completedOn: '2024-03-01',
      registeredOn: null,
      cprModel: null,
      trainerHasInstructorCertification: null,
      inRatio: false,
      usedForGroup: false,
      ...training,
    },
    history: { creditedCompletionsOfCourseThisYear: 0, overlapsAnotherCourseInProgress: false, ...history },
  });
  const cases: TrainingFacts[] = [
    facts({}),
    facts({ hours: 1.5, courseHours: 3 }),
    facts({ approved: false }),
    facts({ topic: 'cpr-first-aid', delivery: 'online', cprModel: 'American Red Cross' }),
    facts({
      topic: 'cpr-first-aid',
      delivery: 'blended',
      hours: 4,
      courseHours: 4,
      inPersonHours: 1.5,
      cprModel: 'American Red Cross',
    }),
    facts({ topic: 'cpr-first-aid', delivery: 'in_person', cprModel: 'Backyard CPR Club' }),
    facts({ delivery: 'online' }, { creditedCompletionsOfCourseThisYear: 1 }),
    facts({ delivery: 'online', registeredOn: '2023-06-01', completedOn: '2024-01-10' }),
    facts({ delivery: 'online', registeredOn: '2024-01-02', completedOn: '2024-01-10' }),
  ];

  it('decides every training as the engine does, with fewer evaluations when situations repeat', async () => {
    const memo = new CreditMemo(rules);
    for (const round of [1, 2, 3]) {
      for (const f of cases) expect(await memo.decide(f), `round ${round}`).toEqual(await rules.decideCredit(f));
    }
    const afterThree = memo.evaluations;
    for (const f of cases) await memo.decide(f);
    expect(memo.evaluations).toBe(afterThree);
  });
});
