/**
 * Uploads (issue 16): a quota per person, files streamed to disk rather than held in memory, and
 * uploads nobody attached removed after a day. Over HTTP against the real database and disk.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Express } from 'express';
import { createTemporalGateway, type TemporalGateway } from '../../services/workflowClient.js';
import { cleanUpUploads, INCOMING_PREFIX } from '../../services/uploadCleanup.js';
import { createRedis } from '../../bin/runtime.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aUser, signIn, testApp, type Session } from '../support/app.js';
import { until } from '../support/polling.js';

let database: TestDatabase;
let redis: ReturnType<typeof createRedis>;
let temporal: TemporalGateway;
let app: Express;
let uploadDir: string;
const DAY_MS = 24 * 3600_000;

beforeAll(async () => {
  database = await createTestDatabase();
  redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  temporal = createTemporalGateway({
    address: inject('temporalAddress'),
    namespace: 'default',
    taskQueue: `uploads-${randomUUID()}`,
  });
  uploadDir = path.join(os.tmpdir(), `mopd-uploads-test-${randomUUID()}`);
  app = testApp(database, redis, temporal, { uploadDir, uploadQuota: { files: 3, bytes: 1024 * 1024 } }).app;
});

afterAll(async () => {
  await temporal?.close();
  await redis?.quit();
  await database?.drop();
  if (uploadDir) await fs.rm(uploadDir, { recursive: true, force: true });
});

const pdf = (bytes = 0) =>
  Buffer.concat([
    Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\n'),
    Buffer.alloc(bytes, 0x20),
    Buffer.from('\ntrailer<<>>\n%%EOF\n'),
  ]);
const upload = (me: Session, content: Buffer, purpose = 'document') =>
  me.agent
    .post('/api/uploads')
    .set('x-csrf-token', me.csrf)
    .field('purpose', purpose)
    .attach('file', content, 'file.pdf');
const filesKept = async () => (await fs.readdir(uploadDir).catch(() => [])).sort();
const rowsOf = (userId: number) =>
  database
    .db('uploads')
    .where({ owner_user_id: userId })
    .count<Array<{ n: string }>>({ n: '*' })
    .then((r) => Number(r[0]!.n));

describe('the upload quota', () => {
  it('refuses a file past the number of files one person may keep, saying why, and keeps nothing of it', async () => {
    const who = await aUser(database.db, ['professional']);
    const me = await signIn(app, who);
    for (let i = 0; i < 3; i++) await upload(me, pdf()).expect(201);
    const files = await filesKept();

    const refused = await upload(me, pdf());
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/You already keep 3 uploaded files, the most one person may keep \(3\)/);
    expect(refused.body.error.fields).toEqual([expect.objectContaining({ field: 'file' })]);
    expect(await rowsOf(who.user.id)).toBe(3);
    expect(await filesKept()).toEqual(files);

    // Another person's room is their own.
    const other = await signIn(app, await aUser(database.db, ['professional']));
    await upload(other, pdf()).expect(201);
  });

  it('refuses a file that would take a person past the bytes they may keep, and keeps nothing of it', async () => {
    const who = await aUser(database.db, ['professional']);
    const me = await signIn(app, who);
    await upload(me, pdf(700 * 1024)).expect(201);
    const files = await filesKept();

    const refused = await upload(me, pdf(400 * 1024));
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(
      /This file would take your uploads past 1 MB, the most one person may keep \(you keep 701 kB\)/,
    );
    expect(await rowsOf(who.user.id)).toBe(1);
    expect(await filesKept()).toEqual(files);
    await upload(me, pdf(200 * 1024)).expect(201);
  });
});

describe('receiving a file', () => {
  it('writes a large upload to disk as it arrives instead of holding it in memory', async () => {
    const me = await signIn(app, await aUser(database.db, ['professional']));
    const boundary = `----mopd${randomUUID().replace(/-/g, '')}`;
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\ndocument\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    );
    const content = pdf(900 * 1024);
    const half = Math.floor(content.length / 2);
    const request = me.agent
      .post('/api/uploads')
      .set('x-csrf-token', me.csrf)
      .set('content-type', `multipart/form-data; boundary=${boundary}`);
    request.write(Buffer.concat([head, content.subarray(0, half)]));
    // Half the file sent and the request not finished: the first half is already in a file of its own.
    const incoming = await until(
      async () => {
        const names = (await filesKept()).filter((n) => n.startsWith(INCOMING_PREFIX));
        return names.length === 1 ? (await fs.stat(path.join(uploadDir, names[0]!))).size : 0;
      },
      (size) => size >= half / 2,
    );
    expect(incoming).toBeLessThanOrEqual(half);
    request.write(content.subarray(half));
    request.write(Buffer.from(`\r\n--${boundary}--\r\n`));
    const response = await request;
    expect(response.status).toBe(201);
    expect(response.body.upload).toMatchObject({ sizeBytes: content.length, mediaType: 'application/pdf' });
    // Kept under its id, the same bytes; no temporary file left.
    expect(await fs.readFile(path.join(uploadDir, response.body.upload.id))).toEqual(content);
    expect((await filesKept()).filter((n) => n.startsWith(INCOMING_PREFIX))).toEqual([]);
    const row = await database.db('uploads').where({ id: response.body.upload.id }).first();
    expect(row!.size_bytes).toBe(content.length);
  });
});

describe('uploads nobody attached', () => {
  it('are removed a day after upload, row and file, while attached and newer ones stay; two passes at once remove each once', async () => {
    const who = await aUser(database.db, ['professional']);
    const me = await signIn(app, who);
    const [old, attached, fresh] = (await Promise.all(
      [0, 1, 2].map(async () => (await upload(me, pdf()).expect(201)).body.upload.id),
    )) as [string, string, string];
    // Attached to an education entry of the person's profile.
    await me
      .post(`/api/professionals/${who.professionalId}/education`, {
        kind: 'credential',
        title: 'CDA',
        institution: 'Council for Professional Recognition',
        completedOn: '2025-05-01',
        uploadId: attached,
      })
      .expect(201);
    const twoDaysAgo = new Date(Date.now() - 2 * DAY_MS);
    await database.db('uploads').whereIn('id', [old, attached]).update({ created_at: twoDaysAgo });
    for (const id of [old, attached, fresh]) await fs.utimes(path.join(uploadDir, id), twoDaysAgo, twoDaysAgo);
    // A receipt cut short long ago, and one under way now.
    const strayOld = path.join(uploadDir, `${INCOMING_PREFIX}${randomUUID()}`);
    const strayNew = path.join(uploadDir, `${INCOMING_PREFIX}${randomUUID()}`);
    await fs.writeFile(strayOld, 'partial');
    await fs.utimes(strayOld, twoDaysAgo, twoDaysAgo);
    await fs.writeFile(strayNew, 'partial');

    const passes = await Promise.all([
      cleanUpUploads(database.db, uploadDir, { olderThanMs: DAY_MS }),
      cleanUpUploads(database.db, uploadDir, { olderThanMs: DAY_MS }),
    ]);
    expect(passes[0].removed + passes[1].removed).toBe(1);
    expect(await database.db('uploads').whereIn('id', [old, attached, fresh]).orderBy('id').pluck('id')).toEqual(
      [attached, fresh].sort(),
    );
    const files = await filesKept();
    expect(files).not.toContain(old);
    expect(files).toEqual(expect.arrayContaining([attached, fresh, path.basename(strayNew)]));
    expect(files).not.toContain(path.basename(strayOld));
    // The attached file still downloads.
    await me.agent.get(`/api/uploads/${attached}`).expect(200);
    expect(await cleanUpUploads(database.db, uploadDir, { olderThanMs: DAY_MS })).toEqual({
      removed: 0,
      strayFiles: 0,
    });
  });
});
