/**
 * The system as it runs on more than one process, for the fault workload (faultWorkload.ts): a
 * fresh database; `apis` API processes (bin/api.ts) behind a round-robin proxy standing in for
 * Caddy; `workers` worker processes (bin/worker.ts); the mail process (bin/mailer.ts) delivering to
 * an SMTP capture. All share one PostgreSQL, Redis and Temporal, as replicas do. Shaped as a
 * FaultRig, so runWorkload, settle and checkInvariants work on it unchanged; `server` is the proxy.
 */
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs/promises';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { createTemporalGateway } from '../../services/workflowClient.js';
import { createRedis } from '../../bin/runtime.js';
import { freePort } from '../../bin/tools.js';
import { startSmtpCapture } from '../../bin/smtpCapture.js';
import { createMailQueue } from '../../services/mail/queue.js';
import { createTestDatabase } from './database.js';
import { workerProcesses } from './workerProcess.js';
import type { FaultRig } from './faultRig.js';
import {
  roundRobinProxy,
  startApiProcess,
  startMailerProcess,
  portOf,
  type AppProcess,
  type ProcessServices,
  type RoundRobinProxy,
} from './appProcesses.js';

export interface ProcessRig extends FaultRig {
  apis: AppProcess[];
  mailer: AppProcess;
  proxy: RoundRobinProxy;
}

export async function startProcessRig(options: {
  name: string;
  temporalAddress: string;
  workflowBundlePath: string;
  apis: number;
  workers: number;
}): Promise<ProcessRig> {
  const database = await createTestDatabase();
  const taskQueue = `${options.name}-${randomUUID()}`;
  const smtp = await startSmtpCapture();
  const uploadDir = path.join(os.tmpdir(), `mopd-uploads-${randomUUID()}`);
  const services: ProcessServices = {
    databaseUrl: database.url,
    temporalAddress: options.temporalAddress,
    taskQueue,
    smtpUrl: smtp.smtpUrl,
    mailQueuePrefix: `mopd-test-${randomBytes(4).toString('hex')}`,
    // One upload directory for every API process, as the replicas share a volume.
    uploadDir,
  };
  const workers = workerProcesses({
    databaseUrl: database.url,
    temporalAddress: options.temporalAddress,
    taskQueue,
    workflowBundlePath: options.workflowBundlePath,
  });
  const ports = await Promise.all(Array.from({ length: options.apis }, () => freePort()));
  // Every process starts at once (each compiles its TypeScript on start-up).
  const starting = Array.from({ length: options.workers }, () => workers.start());
  // Five processes compiling their TypeScript at once on a busy machine: minutes, not seconds.
  const started = await Promise.allSettled([
    ...ports.map((port) => startApiProcess(services, port, 300_000)),
    startMailerProcess(services, 300_000),
    ...starting.map((w) => w.ready),
  ]);
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    // Nothing is left running when the rig could not start.
    for (const s of started) if (s.status === 'fulfilled' && s.value) await s.value.stop('SIGKILL');
    await workers.killAll();
    await smtp.close();
    await database.drop();
    throw failed.reason;
  }
  const processes = started.map((s) => (s as PromiseFulfilledResult<AppProcess | void>).value);
  const apis = processes.slice(0, ports.length) as AppProcess[];
  const mailer = processes[ports.length] as AppProcess;
  // A client address of the run's own: the sign-in limit counts per address in the shared Redis.
  const proxy = await roundRobinProxy(
    ports,
    `10.${[1, 2, 3].map(() => Math.floor(Math.random() * 250) + 1).join('.')}`,
  );
  const gateway = createTemporalGateway({ address: options.temporalAddress, namespace: 'default', taskQueue });
  let client: Promise<Client> | undefined;
  return {
    database,
    server: proxy.server,
    baseUrl: `http://127.0.0.1:${portOf(proxy.server)}`,
    gateway,
    taskQueue,
    workers,
    smtp,
    apis,
    mailer,
    proxy,
    temporal: () =>
      (client ??= Connection.connect({ address: options.temporalAddress }).then(
        (connection) => new Client({ connection }),
      )),
    async close() {
      await proxy.close();
      await Promise.all([...apis, mailer].map((p) => p.stop('SIGTERM')));
      await workers.killAll();
      await smtp.close();
      await gateway.close();
      if (client) await (await client).connection.close();
      const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
      const queue = createMailQueue(redis, services.mailQueuePrefix!);
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      await redis.quit();
      await fs.rm(uploadDir, { recursive: true, force: true });
      await database.drop();
    },
  };
}
