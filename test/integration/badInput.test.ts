/**
 * Bad input at every door: every declared route gets wrong types, NUL bytes, emoji and right-to-left
 * text, very long strings and injection strings in each of its fields and path parameters; the
 * legacy importer gets malformed CSV; the upload route gets oversized and disguised files; the rule
 * editor gets documents that are not JSON, of the wrong shape, nested deep or huge. Each answer is
 * a 4xx naming the field and the reason (never a 5xx), and a refused request writes nothing.
 * The full schema-driven fuzz run is `npm run fuzz`.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Express } from 'express';
import { z } from 'zod';
import { createTemporalGateway, type TemporalGateway } from '../../services/workflowClient.js';
import type { RouteDefinition } from '../../api/access/routes.js';
import { MAX_INPUT_DEPTH } from '../../api/input.js';
import { createRedis } from '../../bin/runtime.js';
import { ROLES } from '../../rules/domain.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aUser, signIn, testApp, visitor, type Session } from '../support/app.js';
import { signUpToken } from '../support/signUp.js';
import { mustFind } from '../support/rows.js';
import type { RuleSetDocument } from '../../rules/schema.js';

let database: TestDatabase;
let redis: ReturnType<typeof createRedis>;
let temporal: TemporalGateway;
let app: Express;
let routes: RouteDefinition[];
let everyone: Session;
let uploadDir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  temporal = createTemporalGateway({
    address: inject('temporalAddress'),
    namespace: 'default',
    taskQueue: `bad-input-${randomUUID()}`,
  });
  uploadDir = path.join(os.tmpdir(), `mopd-bad-input-${randomUUID()}`);
  ({ app, routes } = testApp(database, redis, temporal, { uploadDir }));
  // Every role at once, so that input reaches the schemas of every route.
  everyone = await signIn(app, await aUser(database.db, [...ROLES]));
});

afterAll(async () => {
  await temporal?.close();
  await redis?.quit();
  await database?.drop();
  if (uploadDir) await fs.rm(uploadDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------

/** Row counts of every table but the session store (reading a page touches a session). */
async function rowCounts(): Promise<Record<string, number>> {
  const tables: string[] = (
    await database.db.raw(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('session') AND tablename NOT LIKE 'knex_%' ORDER BY 1",
    )
  ).rows.map((r: { tablename: string }) => r.tablename);
  const { rows } = await database.db.raw(
    tables.map((t) => `SELECT '${t}' AS t, count(*)::int AS n FROM "${t}"`).join(' UNION ALL '),
  );
  return Object.fromEntries(rows.map((r: { t: string; n: number }) => [r.t, r.n]));
}

const TEXT_ATTACKS: Array<[string, string]> = [
  ['a NUL byte', 'before\u0000after'],
  ['emoji, right-to-left and combining text', '👩‍👧‍👦 مرحبا بالعالم \u202Egnp.exe Zӓlgo'],
  ['SQL injection', "x'); DROP TABLE professionals; --"],
  ['HTML injection', '<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>'],
  ['a long string (20,000 characters)', 'é'.repeat(20_000)],
  ['a lone surrogate', 'broken \ud800 pair'],
];
const WRONG_TYPES: Array<[string, unknown]> = [
  ['an object', { nested: { deeper: true } }],
  ['an array', [1, 2, 3]],
  ['a boolean', true],
  ['a number', 12345.678],
];

/** The fields of an object schema (through defaults, optionals and pipes), or none. */
function fieldsOf(schema: z.ZodType | undefined): string[] {
  let current: unknown = schema;
  for (let i = 0; i < 5 && current; i++) {
    if (current instanceof z.ZodObject) return Object.keys(current.shape);
    const def = (current as { _zod?: { def?: { innerType?: unknown; in?: unknown } } })._zod?.def;
    current = def?.innerType ?? def?.in;
  }
  return [];
}

/** A value that is not the field's type: a string for a field that takes anything else, else an object. */
function wrongTypeFor(schema: z.ZodType | undefined, field: string): unknown {
  const shape = (schema instanceof z.ZodObject ? schema.shape : undefined) as Record<string, z.ZodType> | undefined;
  const accepts = (value: unknown) => shape?.[field]?.safeParse(value).success ?? false;
  for (const [, value] of [['a string', 'surely not this'], ...WRONG_TYPES] as Array<[string, unknown]>)
    if (!accepts(value)) return value;
  return undefined;
}

/** The path with its parameters filled: with `fill` for the one named, else 1 (or a uuid). */
function concrete(definition: RouteDefinition, name?: string, fill?: string): string {
  return definition.path.replace(/:(\w+)/g, (_, param: string) => {
    if (param === name) return fill!;
    if (param === 'ruleSet') return 'mopd-compliance';
    if (definition.path.startsWith('/api/uploads/')) return randomUUID();
    if (param === 'code') return 'no_such_code';
    return param === 'caseId' ? 'no-such-case' : '1';
  });
}

function send(who: Session, definition: RouteDefinition, url: string, body?: unknown) {
  const request = who.agent[definition.method](url).set('x-csrf-token', who.csrf);
  return body === undefined ? request : request.send(body as object);
}

/** Routes the walk leaves alone: signing out ends the session it walks with. */
const SKIPPED = new Set(['POST /api/auth/sign-out']);
const walked = () => routes.filter((d) => !SKIPPED.has(`${d.method.toUpperCase()} ${d.path}`));
const label = (d: RouteDefinition) => `${d.method.toUpperCase()} ${d.path}`;

interface Answer {
  route: string;
  attack: string;
  status: number;
  body: unknown;
}
const fieldsNamed = (body: unknown): string[] =>
  ((body as { error?: { fields?: Array<{ field: string }> } }).error?.fields ?? []).map((f) => f.field);

describe('every route of the API', () => {
  it('answers bad values in each body and query field with a 4xx, never a 5xx, and names the field', async () => {
    const answers: Answer[] = [];
    let requests = 0;
    for (const definition of walked()) {
      const before = await rowCounts();
      let refusedAll = true;
      for (const [where, schema] of [
        ['body', definition.body],
        ['query', definition.query],
      ] as const) {
        for (const field of fieldsOf(schema)) {
          const attacks: Array<[string, unknown]> = [...TEXT_ATTACKS, ['the wrong type', wrongTypeFor(schema, field)]];
          for (const [attack, value] of attacks) {
            if (value === undefined) continue;
            let response;
            if (where === 'body') response = await send(everyone, definition, concrete(definition), { [field]: value });
            else if (typeof value !== 'string') continue;
            else
              response = await send(
                everyone,
                definition,
                `${concrete(definition)}?${new URLSearchParams({ [field]: value }).toString()}`,
              );
            requests++;
            answers.push({
              route: `${label(definition)} ${where}.${field}`,
              attack,
              status: response.status,
              body: response.body,
            });
            if (response.status < 400) refusedAll = false;
            if (attack === 'a NUL byte' || attack === 'the wrong type') {
              // Refused, and the answer says which field and why.
              expect(
                response.status,
                `${label(definition)} ${where}.${field} with ${attack}: ${JSON.stringify(response.body)}`,
              ).toBeGreaterThanOrEqual(400);
              if (response.status === 400)
                expect(
                  fieldsNamed(response.body).some((f) => f === field || f.startsWith(`${field}.`)),
                  `${label(definition)} ${field}: ${JSON.stringify(response.body)}`,
                ).toBe(true);
            }
          }
        }
      }
      // A route that refused everything it was sent wrote nothing.
      if (refusedAll) expect(await rowCounts(), label(definition)).toEqual(before);
    }
    const failures = answers.filter((a) => a.status >= 500);
    expect(failures.map((f) => `${f.route} with ${f.attack} → ${f.status} ${JSON.stringify(f.body)}`)).toEqual([]);
    expect(requests).toBeGreaterThan(500);
  });

  it('answers bad path parameters with a 4xx naming the parameter', async () => {
    const failures: string[] = [];
    let requests = 0;
    for (const definition of walked()) {
      for (const name of [...definition.path.matchAll(/:(\w+)/g)].map((m) => m[1]!)) {
        const values: Array<[string, string]> = [
          ...TEXT_ATTACKS.filter(([a]) => !a.startsWith('a long') && !a.includes('surrogate')).map(
            ([a, v]): [string, string] => [a, encodeURIComponent(v)],
          ),
          ['a broken percent-encoding', '%E0%A4%A'],
          ['a lone surrogate, percent-encoded', '%ED%A0%80'],
          ['a negative number', '-1'],
          ['a huge number', '99999999999999999999'],
          ['a fraction', '1.5'],
        ];
        for (const [attack, value] of values) {
          const response = await send(
            everyone,
            definition,
            concrete(definition, name, value),
            definition.method === 'get' ? undefined : {},
          );
          requests++;
          if (response.status >= 500)
            failures.push(
              `${label(definition)} :${name} with ${attack} → ${response.status} ${JSON.stringify(response.body)}`,
            );
          else if (
            response.status === 400 &&
            !fieldsNamed(response.body).length &&
            !/body|request/i.test(JSON.stringify(response.body))
          )
            failures.push(`${label(definition)} :${name} with ${attack}: 400 without a field`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(100);
  });

  it('refuses a body that is not JSON, nested too deep or too large, with a clear message', async () => {
    const url = '/api/organizations';
    const notJson = await everyone.agent
      .post(url)
      .set('x-csrf-token', everyone.csrf)
      .set('content-type', 'application/json')
      .send('{"name": "unterminated');
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.message).toMatch(/not valid JSON/);

    let deep: unknown = 'bottom';
    for (let i = 0; i < 500; i++) deep = { d: deep };
    const nested = await everyone.post(url, { name: deep });
    expect(nested.status).toBe(400);
    expect(nested.body.error.message).toMatch(new RegExp(`name.*nested more than ${MAX_INPUT_DEPTH} levels`));
    const deeper = await everyone.agent
      .post(url)
      .set('x-csrf-token', everyone.csrf)
      .set('content-type', 'application/json')
      .send(`{"name": ${'['.repeat(50_000)}${']'.repeat(50_000)}}`);
    expect(deeper.status).toBe(400);

    const huge = await everyone.post(url, { name: 'x'.repeat(200_000) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.message).toMatch(/too large/);
  });

  // Found by `npm run fuzz`: the event schema's cross-field check called getTime on a time it had refused (a 500).
  it('refuses an event whose session time or registration deadline is not a time, naming the field', async () => {
    const before = await rowCounts();
    const session = { startsAt: '2027-03-02T09:00:00-06:00', endsAt: '2027-03-02T12:00:00-06:00', hours: 3 };
    const event = {
      courseId: 1,
      capacity: 10,
      place: { addressLine: '1 Main St', city: 'Columbia', county: 'Boone', zip: '65201' },
    };
    const refusals: Array<[string, object, string]> = [
      [
        'a session start that is not a time',
        { ...event, sessions: [{ ...session, startsAt: 'tomorrow morning' }] },
        'sessions.0.startsAt',
      ],
      [
        'a session end that is not a time',
        { ...event, sessions: [session, { ...session, endsAt: '2027-13-45T99:00:00Z' }] },
        'sessions.1.endsAt',
      ],
      [
        'a deadline that is not a time',
        { ...event, registrationDeadline: '<script>window.__xss=1</script>', sessions: [session] },
        'registrationDeadline',
      ],
    ];
    for (const [what, body, field] of refusals) {
      const response = await everyone.post('/api/events', body);
      expect(response.status, `${what}: ${JSON.stringify(response.body)}`).toBe(400);
      expect(fieldsNamed(response.body), what).toContain(field);
    }
    // The cross-field checks still run on the times that parsed.
    const late = await everyone.post('/api/events', {
      ...event,
      registrationDeadline: '2027-03-03T00:00:00Z',
      sessions: [session, { ...session, startsAt: 'soon' }],
    });
    expect(late.status).toBe(400);
    expect(fieldsNamed(late.body)).toEqual(expect.arrayContaining(['sessions.1.startsAt', 'registrationDeadline']));
    expect(await rowCounts()).toEqual(before);
  });

  // Participants click an event's online link: an address that is not a web address would run as script in their browser.
  it('refuses an event link that is not an http(s) web address, naming the field', async () => {
    const before = await rowCounts();
    const session = { startsAt: '2027-03-02T09:00:00-06:00', endsAt: '2027-03-02T12:00:00-06:00', hours: 3 };
    for (const link of [
      'javascript:window.__xss=1',
      'JavaScript:alert(1)',
      'data:text/html,<script>window.__xss=1</script>',
      'vbscript:msgbox(1)',
    ]) {
      const response = await everyone.post('/api/events', {
        courseId: 1,
        capacity: 10,
        onlineUrl: link,
        sessions: [session],
      });
      expect(response.status, `${link}: ${JSON.stringify(response.body)}`).toBe(400);
      expect(response.body.error.fields, link).toEqual(
        expect.arrayContaining([
          { field: 'onlineUrl', message: 'must be a web address starting with http:// or https://' },
        ]),
      );
    }
    expect(await rowCounts()).toEqual(before);
  });
});

describe('text that reaches the database', () => {
  it('is stored exactly as typed when allowed (emoji, right-to-left, injection strings) and refused with the field when not', async () => {
    for (const [attack, value] of TEXT_ATTACKS) {
      const guest = await visitor(app);
      const email = `bad-input-${randomUUID().slice(0, 8)}@example.org`;
      const response = await guest.post('/api/auth/sign-up', {
        firstName: value.slice(0, 100),
        lastName: 'Tester',
        email,
        password: 'a long enough password',
      });
      if (attack === 'a NUL byte') {
        expect(response.status, attack).toBe(400);
        expect(fieldsNamed(response.body)).toEqual(['firstName']);
        expect(await database.db('sign_up_requests').where({ email }).first()).toBeUndefined();
      } else {
        expect(response.status, `${attack}: ${JSON.stringify(response.body)}`).toBe(202);
        // The record is created when the emailed link is followed.
        await guest.post('/api/auth/verify-email', { token: await signUpToken(database.db, email) }).expect(204);
        const stored = await database.db('professionals').where({ email }).first();
        // A lone surrogate cannot be encoded as UTF-8: it arrives as the replacement character.
        expect(stored.first_name, attack).toBe(
          value
            .slice(0, 100)
            .trim()
            .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'),
        );
      }
    }
    // The injection string was only text.
    expect(Number((await database.db('professionals').count({ n: '*' }))[0]!.n)).toBeGreaterThan(1);
  });

  it('refuses a name longer than its limit, naming the field and the limit', async () => {
    const before = await rowCounts();
    const response = await everyone.post('/api/organizations', {
      name: 'n'.repeat(20_000),
      county: 'Boone',
      licensed: true,
    });
    expect(response.status).toBe(400);
    expect(response.body.error.fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'name', message: expect.stringMatching(/at most \d+ characters/) }),
      ]),
    );
    expect(await rowCounts()).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------------

describe('the legacy importer', () => {
  const upload = (files: Array<[string, Buffer | string]>, fields: Record<string, string> = {}) => {
    let request = everyone.agent.post('/api/admin/imports').set('x-csrf-token', everyone.csrf);
    for (const [name, value] of Object.entries(fields)) request = request.field(name, value);
    for (const [name, content] of files)
      request = request.attach('files', Buffer.isBuffer(content) ? content : Buffer.from(content), name);
    return request;
  };
  const header = 'legacy_id,mopd_id,first_name,last_name,email,phone,birth_date,county,zip\r\n';
  const registry = async () => {
    const counts = await rowCounts();
    return {
      professionals: counts.professionals,
      trainingRecords: counts.training_records,
      organizations: counts.organizations,
      employments: counts.employments,
    };
  };

  it('reports malformed CSV by file, line and reason, and writes nothing to the registry', async () => {
    const before = await registry();
    const cases: Array<[string, string | Buffer, RegExp]> = [
      [
        'an unterminated quote',
        `${header}TB-1,,"Ann,Smith,ann@example.org,,,Boone,65201\r\n`,
        /quoted field is not closed/,
      ],
      ['a wrong column count', `${header}TB-2,,Ann,Smith\r\n`, /column|field/i],
      [
        'a byte-order mark and CRLF line ends',
        `\ufeff${header}TB-3,,Ann,Smith,not-an-email,,,Boone,65201\r\n`,
        /email/i,
      ],
      [
        'formula and script text',
        `${header}TB-4,,=cmd|' /C calc'!A0,<script>window.__xss=1</script>,bad,,,Boone,65201\r\n`,
        /email/i,
      ],
    ];
    for (const [what, content, reason] of cases) {
      const response = await upload([['professionals.csv', content]]);
      expect(response.status, `${what}: ${JSON.stringify(response.body)}`).toBe(201);
      const report = JSON.stringify(response.body.batch.report);
      expect(report, what).toMatch(reason);
      expect(report, what).toMatch(/"line":\s*\d+/);
    }
    expect(await registry()).toEqual(before);
  });

  it('refuses binary garbage, an empty upload, a file that is not .csv and a bad field, naming the field', async () => {
    const before = await rowCounts();
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    const refusals: Array<[string, ReturnType<typeof upload>, string, RegExp]> = [
      ['binary garbage', upload([['professionals.csv', garbage]]), 'files', /not a text file/],
      ['no file', upload([], { name: 'empty' }), 'files', /Attach one or more CSV files/],
      ['an .exe', upload([['setup.exe', 'MZ\x90\x00']]), 'files', /not a \.csv file/],
      ['a NUL in a field', upload([['professionals.csv', header]], { name: 'a\u0000b' }), 'name', /NUL/],
      [
        'a bad system name',
        upload([['professionals.csv', header]], { system: "x'; DROP TABLE import_batches; --" }),
        'system',
        /short name/,
      ],
    ];
    for (const [what, request, field, reason] of refusals) {
      const response = await request;
      expect(response.status, `${what}: ${JSON.stringify(response.body)}`).toBe(400);
      expect(fieldsNamed(response.body), what).toContain(field);
      expect(response.body.error.message, what).toMatch(reason);
    }
    expect(await rowCounts()).toEqual(before);
  });

  it('reads an empty file and a 10 MB file without failing', async () => {
    const empty = await upload([['professionals.csv', '']]);
    expect(empty.status, JSON.stringify(empty.body)).toBeLessThan(500);
    const line = (n: number) => `TB-${n},,First${n},Last${n},person${n}@example.org,,1990-01-01,Boone,65201\r\n`;
    const rows: string[] = [header];
    let size = header.length;
    for (let n = 0; size < 10 * 1024 * 1024; n++) {
      const row = line(n);
      rows.push(row);
      size += row.length;
    }
    const before = await registry();
    const big = await upload([['professionals.csv', rows.join('')]]);
    expect(big.status, JSON.stringify(big.body).slice(0, 500)).toBe(201);
    // Every row read: created, or rejected with its line (these look like duplicates of each other).
    const report = big.body.batch.report['professionals.csv'];
    expect(report.create + report.rejectedCount).toBe(rows.length - 1);
    expect(await registry()).toEqual(before);
  }, 60_000);
});

describe('the upload route', () => {
  const upload = (name: string, content: Buffer, purpose = 'cpr_card') =>
    everyone.agent
      .post('/api/uploads')
      .set('x-csrf-token', everyone.csrf)
      .field('purpose', purpose)
      .attach('file', content, name);
  const filesKept = async () => (await fs.readdir(uploadDir).catch(() => [])).length;

  it('refuses a renamed program, a file over 5 MB, text, an unknown purpose and a missing file, keeping nothing', async () => {
    const before = await rowCounts();
    const kept = await filesKept();
    const exe = Buffer.concat([
      Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1'),
      Buffer.alloc(2048, 0x90),
    ]);
    const pdfHeader = Buffer.from('%PDF-1.4\n');
    const refusals: Array<[string, Promise<{ status: number; body: unknown }>, number, string]> = [
      ['an .exe renamed .pdf', upload('card.pdf', exe), 400, 'file'],
      ['a 6 MB PDF', upload('card.pdf', Buffer.concat([pdfHeader, Buffer.alloc(6 * 1024 * 1024, 0x20)])), 413, 'file'],
      ['HTML named .png', upload('card.png', Buffer.from('<script>window.__xss=1</script>')), 400, 'file'],
      ['an empty file', upload('card.pdf', Buffer.alloc(0)), 400, 'file'],
      [
        'an unknown purpose',
        upload('card.pdf', Buffer.concat([pdfHeader, Buffer.from('%%EOF')]), "'; DROP TABLE uploads; --"),
        400,
        'purpose',
      ],
      [
        'no file',
        everyone.agent.post('/api/uploads').set('x-csrf-token', everyone.csrf).field('purpose', 'cpr_card'),
        400,
        'file',
      ],
      ['a JSON body', everyone.post('/api/uploads', { purpose: 'cpr_card', file: 'JVBERi0xLjQK' }), 400, 'file'],
    ];
    for (const [what, request, status, field] of refusals) {
      const response = await request;
      expect(response.status, `${what}: ${JSON.stringify(response.body)}`).toBe(status);
      expect(fieldsNamed(response.body), what).toContain(field);
    }
    expect(await rowCounts()).toEqual(before);
    expect(await filesKept()).toBe(kept);
  });
});

describe('the rule editor', () => {
  it('refuses documents that are not JSON, of the wrong shape, nested deep or huge, and keeps the draft as it was', async () => {
    const draft = (
      await everyone
        .post('/api/rule-sets/mopd-compliance/drafts', { fromVersion: 1, changeNote: 'Bad input suite' })
        .expect(201)
    ).body as { version: number };
    const url = `/api/rule-sets/mopd-compliance/versions/${draft.version}`;
    const stored = async () =>
      (
        await mustFind(
          database.db('rule_set_versions').where({ rule_set: 'mopd-compliance', version: draft.version }).first(),
        )
      ).document as RuleSetDocument;
    const kept = await stored();
    const before = await rowCounts();

    let deep: unknown = { all: [] };
    for (let i = 0; i < 2000; i++) deep = { all: [deep] };
    const refusals: Array<
      [string, () => Promise<{ status: number; body: { error?: { message: string } } }>, number, RegExp]
    > = [
      [
        'not JSON',
        () =>
          everyone.agent
            .put(url)
            .set('x-csrf-token', everyone.csrf)
            .set('content-type', 'application/json')
            .send('{"document": {"rules": [}'),
        400,
        /not valid JSON/,
      ],
      ['a list instead of a document', () => everyone.put(url, { document: [1, 2, 3] }), 400, /document/],
      ['a string instead of a document', () => everyone.put(url, { document: '{"rules": []}' }), 400, /document/],
      ['no document', () => everyone.put(url, {}), 400, /document/],
      ['an unknown field', () => everyone.put(url, { document: kept, extra: true }), 400, /extra|Unrecognized/i],
      [
        'conditions nested 2,000 deep',
        () => everyone.put(url, { document: { ...kept, rules: [{ id: 'deep', conditions: deep }] } }),
        400,
        /nested more than/,
      ],
      [
        'a NUL in a rule id',
        () => everyone.put(url, { document: { ...kept, rules: [{ ...kept.rules[0], id: 'a\u0000b' }] } }),
        400,
        /NUL/,
      ],
      [
        'a document over the size limit',
        () =>
          everyone.put(url, {
            document: {
              ...kept,
              rules: Array.from({ length: 3000 }, (_, i) => ({ ...kept.rules[0], id: `rule-${i}` })),
            },
          }),
        413,
        /too large/,
      ],
    ];
    for (const [what, request, status, reason] of refusals) {
      const response = await request();
      expect(response.status, `${what}: ${JSON.stringify(response.body).slice(0, 300)}`).toBe(status);
      expect(response.body.error!.message, what).toMatch(reason);
    }
    expect(await stored()).toEqual(kept);
    expect(await rowCounts()).toEqual(before);

    // A document of the right outer shape with wrong rules is kept as a draft with its problems named.
    const wrong = await everyone.put(url, {
      document: { ...kept, rules: [{ id: 'no-conditions', event: { type: 'no-such-event' } }] },
    });
    expect(wrong.status, JSON.stringify(wrong.body).slice(0, 300)).toBe(200);
    expect(wrong.body.problems.length).toBeGreaterThan(0);
    expect(wrong.body.problems[0]).toMatchObject({ path: expect.any(String), message: expect.any(String) });
  });
});
