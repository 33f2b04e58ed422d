/**
 * Starts the whole system on one machine with demo data: the Temporal dev server (persistent,
 * with its web UI), a local SMTP capture, the database schema and demo data, the API serving the
 * UI, the Temporal worker and the mailer. Ctrl-C stops everything it started.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { loadConfig } from './config.js';
import { compiled, projectRoot, temporalCli } from './tools.js';
import { BUILT_WORKFLOW_BUNDLE_PATH } from './workflowBundle.js';
import { startSmtpCapture, type SmtpCapture } from './smtpCapture.js';

const config = loadConfig();
const children: ChildProcess[] = [];
let temporalServer: ChildProcess | undefined;
let capture: SmtpCapture | undefined;
const dataDir = path.join(projectRoot, '.data');
fs.mkdirSync(dataDir, { recursive: true });

const say = (line: string) => process.stdout.write(`[start] ${line}\n`);

function portOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

/**
 * Waits until a process of ours listens on the port. On a busy machine that takes a while, so it
 * waits as long as the process lives (saying so every half minute), and gives up at once when the
 * process has exited or after `timeoutMs`.
 */
async function waitForPort(
  host: string,
  port: number,
  what: string,
  options: { process?: ChildProcess; log?: string; timeoutMs?: number } = {},
): Promise<void> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 300_000;
  let toldAt = started;
  while (!(await portOpen(host, port))) {
    const exited = options.process && (options.process.exitCode !== null || options.process.signalCode !== null);
    const where = options.log ? ` (see ${options.log})` : '';
    if (exited)
      throw new Error(
        `${what} exited (${options.process!.exitCode ?? options.process!.signalCode}) before opening ${host}:${port}${where}`,
      );
    if (Date.now() - started > timeoutMs)
      throw new Error(`${what} did not open ${host}:${port} within ${timeoutMs / 1000} s${where}`);
    if (Date.now() - toldAt >= 30_000) {
      toldAt = Date.now();
      say(`still waiting for ${what} to open ${host}:${port} (${Math.round((toldAt - started) / 1000)} s)${where}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

function run(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const log = fs.openSync(path.join(dataDir, `${name}.log`), 'a');
  const child = spawn(command, args, {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', log, log],
  });
  children.push(child);
  child.on('exit', (code, signal) => {
    if (!stopping) say(`${name} exited (${signal ?? code}); see .data/${name}.log`);
  });
  return child;
}

/** Node's arguments to run the entry point `bin/<name>.ts`: compiled JavaScript, or TypeScript through tsx. */
const entry = (name: string): string[] =>
  compiled ? [path.join(projectRoot, `dist/bin/${name}.js`)] : ['--import', 'tsx', `bin/${name}.ts`];

if (compiled) {
  const missing = [BUILT_WORKFLOW_BUNDLE_PATH, path.join(projectRoot, 'ui/dist/index.html')].filter(
    (file) => !fs.existsSync(file),
  );
  if (missing.length) {
    process.stderr.write(`[start] ${missing.join(' and ')} missing: run npm run build first\n`);
    process.exit(1);
  }
}

function runToEnd(name: string, args: string[], env: NodeJS.ProcessEnv = {}): void {
  const result = spawnSync(process.execPath, args, {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`${name} failed (exit ${result.status})`);
}

let stopping = false;
const ended = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once('exit', () => resolve()));
/**
 * SIGTERM to every app process at once, and a wait until each has drained (the API its requests in
 * flight, a worker its activities, a mailer the email in hand); the Temporal server last, since a
 * draining worker still reports to it.
 */
async function stopAll(): Promise<void> {
  if (stopping) return;
  stopping = true;
  const apps = children.filter((child) => child !== temporalServer);
  for (const child of apps) child.kill('SIGTERM');
  await Promise.all(apps.map(ended));
  if (temporalServer) {
    temporalServer.kill('SIGTERM');
    await ended(temporalServer);
  }
  await capture?.close();
}
process.on('SIGINT', () => void stopAll().then(() => process.exit(0)));
process.on('SIGTERM', () => void stopAll().then(() => process.exit(0)));

process.on('uncaughtException', (error) => {
  process.stderr.write(`[start] ${error.message}\n`);
  void stopAll().then(() => process.exit(1));
});

const [temporalHost, temporalPortText] = config.TEMPORAL_ADDRESS.split(':') as [string, string];
const temporalPort = Number(temporalPortText);
if (await portOpen(temporalHost, temporalPort)) {
  say(`Temporal already answers at ${config.TEMPORAL_ADDRESS}; using it`);
} else {
  say('starting the Temporal dev server');
  temporalServer = run('temporal', temporalCli(), [
    'server',
    'start-dev',
    '--ip',
    temporalHost,
    '--port',
    String(temporalPort),
    '--ui-port',
    '8233',
    '--db-filename',
    path.join(dataDir, 'temporal.db'),
    '--log-level',
    'warn',
  ]);
  await waitForPort(temporalHost, temporalPort, 'the Temporal dev server', {
    process: temporalServer,
    log: path.join(dataDir, 'temporal.log'),
  });
}

const smtp = new URL(config.SMTP_URL);
if (await portOpen(smtp.hostname, Number(smtp.port || 25))) {
  say(`an SMTP server already answers at ${config.SMTP_URL}; using it`);
} else {
  capture = await startSmtpCapture({
    host: smtp.hostname,
    smtpPort: Number(smtp.port || 25),
    httpPort: config.SMTP_CAPTURE_HTTP_PORT,
  });
  say(`SMTP capture listening at ${config.SMTP_URL}`);
}

say('migrating the database');
runToEnd('migrate', entry('migrate'));
if (!compiled) {
  say('bundling workflows and building the UI');
  runToEnd('workflow bundle', entry('workflowBundle'));
  const vite = spawnSync(
    process.execPath,
    [
      path.join(projectRoot, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'ui/vite.config.ts',
      '--logLevel',
      'warn',
    ],
    { cwd: projectRoot, stdio: 'inherit' },
  );
  if (vite.status !== 0) throw new Error('UI build failed');
}

// WORKER_PROCESSES workers and MAILER_PROCESSES mailers, each a process of its own (logs worker-1.log,
// …, when more than one); API_PROCESSES API processes share API_PORT through bin/apiCluster.
const named = (name: string, count: number) =>
  count === 1 ? [name] : Array.from({ length: count }, (_, i) => `${name}-${i + 1}`);
for (const name of named('worker', config.WORKER_PROCESSES)) run(name, process.execPath, entry('worker'));
for (const name of named('mailer', config.MAILER_PROCESSES)) run(name, process.execPath, entry('mailer'));
const api = run('api', process.execPath, entry(config.API_PROCESSES > 1 ? 'apiCluster' : 'api'));
if (config.API_PROCESSES > 1) say(`${config.API_PROCESSES} API processes share port ${config.API_PORT}`);
await waitForPort('127.0.0.1', config.API_PORT, 'the API', { process: api, log: path.join(dataDir, 'api.log') });
say('loading demo data');
runToEnd('seed', entry('seed'));

say('MOPD is running:');
say(`  app              ${config.PUBLIC_URL}`);
say(`  health           ${config.PUBLIC_URL}/health`);
say(`  Temporal web UI  http://${temporalHost}:8233`);
if (capture) say(`  captured mail    http://${smtp.hostname}:${capture.httpPort}`);
say('logs are in .data/*.log; press Ctrl-C to stop');
