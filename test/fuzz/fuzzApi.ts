/**
 * Fuzzes every route of the OpenAPI document with schemathesis (from PyPI, into .tools/venv),
 * signed in as an admin who has every role, against the real app on a throw-away database.
 * Passes when no answer is a 5xx and the app logged no unhandled error. Run: npm run fuzz
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { createApp } from '../../api/app.js';
import { createTemporalGateway } from '../../api/temporal.js';
import { createRedis } from '../../bin/runtime.js';
import { projectRoot } from '../../bin/tools.js';
import { ROLES } from '../../rules/domain.js';
import { createTestDatabase } from '../support/database.js';
import { aUser, signIn } from '../support/app.js';

const venv = path.join(projectRoot, '.tools/venv/bin');
if (!fs.existsSync(path.join(venv, 'schemathesis'))) {
  const install = spawnSync(path.join(venv, 'pip'), ['install', '--quiet', '--disable-pip-version-check', 'schemathesis>=4,<5'], { stdio: 'inherit' });
  if (install.status !== 0) throw new Error('could not install schemathesis');
}

const database = await createTestDatabase();
const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const temporal = createTemporalGateway({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233', namespace: 'default', taskQueue: `fuzz-${randomUUID()}` });
const errors: unknown[] = [];
const logger = pino({ level: 'error' }, { write: (line: string) => void errors.push(line) });
const { app } = createApp({
  db: database.db,
  redis,
  temporal,
  smtpCheck: async () => true,
  logger,
  databaseUrl: database.url,
  sessionSecret: 'fuzz-secret-that-is-long-enough-for-the-schema',
  publicUrl: 'http://127.0.0.1',
  uploadDir: path.join('/tmp', `mopd-fuzz-${randomUUID()}`),
  signInLimit: { windowMs: 60_000, max: 100_000 },
});
const server = app.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const rejections: unknown[] = [];
process.on('unhandledRejection', (reason) => rejections.push(reason));

const everyone = await aUser(database.db, [...ROLES]);
const session = await signIn(base, everyone);
const cookie = (await session.get('/api/auth/me')).request.cookies;

// Asynchronous: the app under test runs in this same process and must keep answering.
const fuzzer = spawn(
  path.join(venv, 'schemathesis'),
  [
    'run', `${base}/api/openapi.json`,
    '--url', base,
    '--checks', 'not_a_server_error',
    '--max-examples', process.env.FUZZ_EXAMPLES ?? '30',
    '--exclude-path', '/api/auth/sign-out',
    '-H', `Cookie: ${cookie}`,
    '-H', `X-CSRF-Token: ${session.csrf}`,
  ],
  { stdio: 'inherit' },
);
const result = { status: await new Promise<number | null>((resolve) => fuzzer.once('exit', resolve)) };

server.close();
await temporal.close();
await redis.quit();
await database.drop();
const unhandled = errors.filter((line) => String(line).includes('unhandled error'));
process.stdout.write(`\nschemathesis exit ${result.status}; unhandled errors logged: ${unhandled.length}; unhandled rejections: ${rejections.length}\n`);
for (const line of unhandled.slice(0, 5)) process.stdout.write(`${String(line)}\n`);
process.exit(result.status === 0 && unhandled.length === 0 && rejections.length === 0 ? 0 : 1);
