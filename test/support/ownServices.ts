/**
 * Services of a test's own, to break without disturbing anything else on the machine: a Redis
 * server, a PostgreSQL cluster and an SMTP connection switch in front of the mail capture.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, waitForPort } from '../../bin/tools.js';

const run = promisify(execFile);

export interface OwnRedis {
  url: string;
  port: number;
  /** Kills the server (SIGKILL): everything it held is gone. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** A Redis server of the test's own on a free port, without persistence (it restarts empty). */
export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  let server: ChildProcess | undefined;
  const start = async () => {
    server = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    await waitForPort(port, 15_000);
  };
  const stop = async () => {
    const running = server;
    server = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, stop, start, close: stop };
}

export interface OwnPostgres {
  /** The URL of database `name` on this cluster. */
  url(name: string): string;
  port: number;
  /** `pg_ctl stop -m fast`: sessions are ended (57P01), new connections refused. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

const PG_BIN = '/usr/lib/postgresql/15/bin';
const asPostgres = (command: string, args: string[]) =>
  run('runuser', ['-u', 'postgres', '--', path.join(PG_BIN, command), ...args]);

/** A PostgreSQL 15 cluster of the test's own in a temporary directory (trust authentication), run as the postgres user. */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mopd-pg-'));
  fs.chmodSync(dir, 0o777);
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'server.log');
  await asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const start = async () => {
    await asPostgres('pg_ctl', [
      '-D',
      data,
      '-l',
      log,
      '-w',
      '-o',
      `-p ${port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
      'start',
    ]);
  };
  const stop = async () => {
    await asPostgres('pg_ctl', ['-D', data, '-w', '-m', 'fast', 'stop']);
  };
  await start();
  return {
    port,
    url: (name) => `postgres://postgres@127.0.0.1:${port}/${name}`,
    start,
    stop,
    async close() {
      await stop().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type SmtpMode = 'pass' | 'refuse' | 'drop';

export interface SmtpSwitch {
  smtpUrl: string;
  /** pass: connections reach the SMTP server; refuse: each is answered "421" and closed; drop: each is cut without a word. */
  mode: SmtpMode;
  /** Connections refused or dropped so far. */
  turnedAway: number;
  passed: number;
  close(): Promise<void>;
}

/** A TCP switch in front of an SMTP server that can refuse or drop connections while the test wants it to. */
export async function startSmtpSwitch(target: { smtpPort: number }): Promise<SmtpSwitch> {
  const sockets = new Set<net.Socket>();
  const state: SmtpSwitch = {
    smtpUrl: '',
    mode: 'pass',
    turnedAway: 0,
    passed: 0,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    if (state.mode === 'refuse') {
      state.turnedAway += 1;
      client.end('421 4.3.2 Service not available, try again later\r\n');
      return;
    }
    if (state.mode === 'drop') {
      state.turnedAway += 1;
      client.destroy();
      return;
    }
    state.passed += 1;
    const upstream = net.connect({ host: '127.0.0.1', port: target.smtpPort });
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  state.smtpUrl = `smtp://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return state;
}
