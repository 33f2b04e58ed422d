/**
 * A Temporal dev server of a test's own that keeps its state in a SQLite file, so the test can
 * stop it (SIGTERM, as an orchestrator does) and start it again on the same port and file: the
 * workflows, their histories and timers survive, and clients must reconnect by themselves.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, temporalCli, waitForPort } from '../../bin/tools.js';

export interface PersistentTemporal {
  address: string;
  port: number;
  dbFile: string;
  /** SIGTERM, and wait until the process has exited and the port is free. */
  stop(): Promise<void>;
  /** Starts it again on the same port and file; resolves once it answers on the port. */
  start(): Promise<void>;
  /** Stops it for good and removes its file. */
  close(): Promise<void>;
}

export async function startPersistentTemporal(): Promise<PersistentTemporal> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mopd-temporal-'));
  const dbFile = path.join(dir, 'temporal.db');
  let server: ChildProcess | undefined;
  const start = async () => {
    server = spawn(
      temporalCli(),
      [
        'server',
        'start-dev',
        '--headless',
        '--ip',
        '127.0.0.1',
        '--port',
        String(port),
        '--db-filename',
        dbFile,
        '--log-level',
        'error',
      ],
      { stdio: 'ignore' },
    );
    await waitForPort(port, 60_000);
  };
  const stop = async () => {
    const running = server;
    server = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    address: `127.0.0.1:${port}`,
    port,
    dbFile,
    stop,
    start,
    async close() {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
