/**
 * Everything a fault-injection run needs around the piece it breaks: a fresh database, the real
 * API on a loopback port (its Temporal gateway on a task queue of its own), worker processes of
 * bin/worker.ts, the outbox relay and mailer on Redis delivering to an SMTP capture, and a
 * Temporal client for reading workflows afterwards.
 */
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { createTemporalGateway, type TemporalGateway } from '../../services/workflowClient.js';
import { createRedis } from '../../bin/runtime.js';
import { startSmtpCapture, type SmtpCapture } from '../../bin/smtpCapture.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { testApp } from './app.js';
import { startTestMail } from './mail.js';
import { workerProcesses, type WorkerProcesses } from './workerProcess.js';

export interface FaultRig {
  database: TestDatabase;
  server: http.Server;
  /** http://127.0.0.1:<port> of the API. */
  baseUrl: string;
  gateway: TemporalGateway;
  taskQueue: string;
  workers: WorkerProcesses;
  smtp: SmtpCapture;
  /** A client of the same Temporal server, for reading workflows after the run. */
  temporal(): Promise<Client>;
  close(): Promise<void>;
}

export async function startFaultRig(options: {
  name: string;
  temporalAddress: string;
  workflowBundlePath: string;
}): Promise<FaultRig> {
  const database = await createTestDatabase();
  const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const taskQueue = `${options.name}-${randomUUID()}`;
  const gateway = createTemporalGateway({ address: options.temporalAddress, namespace: 'default', taskQueue });
  const { app } = testApp(database, redis, gateway);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const smtp = await startSmtpCapture();
  const mail = await startTestMail(database.db, smtp.smtpUrl);
  // The relay as bin/mailer.ts runs it: a loop moving pending outbox rows to the queue.
  let relaying = true;
  const relayLoop = (async () => {
    while (relaying) {
      await mail.relay().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  })();
  const workers = workerProcesses({
    databaseUrl: database.url,
    temporalAddress: options.temporalAddress,
    taskQueue,
    workflowBundlePath: options.workflowBundlePath,
  });
  let client: Promise<Client> | undefined;
  return {
    database,
    server,
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    gateway,
    taskQueue,
    workers,
    smtp,
    temporal: () =>
      (client ??= Connection.connect({ address: options.temporalAddress }).then(
        (connection) => new Client({ connection }),
      )),
    async close() {
      relaying = false;
      await relayLoop;
      await workers.killAll();
      await mail.close();
      await smtp.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await gateway.close();
      if (client) await (await client).connection.close();
      await redis.quit();
      await database.drop();
    },
  };
}

/**
 * SIGKILLs the worker `kills` times, each at a random moment between minMs and maxMs after the
 * worker before it began polling, starting a new one straight after each kill (as a supervisor
 * would); resolves once the last replacement is polling.
 */
export async function killWorkerRepeatedly(
  workers: WorkerProcesses,
  options: { kills: number; minMs: number; maxMs: number; onKill?: (n: number) => void },
): Promise<void> {
  let current = workers.running().length > 0 ? undefined : workers.start();
  for (let n = 1; n <= options.kills; n++) {
    if (current) await current.ready;
    await new Promise((resolve) =>
      setTimeout(resolve, options.minMs + Math.random() * (options.maxMs - options.minMs)),
    );
    for (const child of workers.running()) await workers.kill(child);
    current = workers.start();
    options.onKill?.(n);
  }
  await current?.ready;
}
