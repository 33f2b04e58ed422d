/**
 * API_PROCESSES API processes on one machine sharing API_PORT, with node:cluster: this primary
 * holds the port and hands each new connection to the next process in turn. Each process is
 * bin/api.ts exactly as it runs alone (sessions in PostgreSQL, rate limits in Redis, so any of them
 * can answer any request). SIGTERM or SIGINT is passed on to every one; the primary exits once all
 * have drained. A process that ends by itself is replaced. Behind a proxy (docker-compose, where
 * Caddy spreads requests over replicas) run bin/api.ts itself, one per container, instead.
 */
import cluster from 'node:cluster';
import path from 'node:path';
import { compiled, projectRoot } from './tools.js';
import { configOrExit, createLogger } from './runtime.js';

const config = configOrExit();
const logger = createLogger(config, 'api-cluster');
cluster.setupPrimary({
  exec: path.join(projectRoot, compiled ? 'dist/bin/api.js' : 'bin/api.ts'),
  execArgv: compiled ? [] : ['--import', 'tsx'],
});

let stopping = false;
const replaced: number[] = [];
for (let i = 0; i < config.API_PROCESSES; i++) cluster.fork();
logger.info({ processes: config.API_PROCESSES, port: config.API_PORT }, 'API processes starting');

cluster.on('exit', (worker, code, signal) => {
  const left = Object.keys(cluster.workers ?? {}).length;
  if (stopping) {
    if (left === 0) process.exit(0);
    return;
  }
  // A configuration error (exit 78) or a crash at every start is not mended by starting again.
  replaced.push(Date.now());
  const recent = replaced.filter((at) => at > Date.now() - 60_000).length;
  if (code === 78 || recent > 2 * config.API_PROCESSES) {
    logger.error({ pid: worker.process.pid, code, signal, recent }, 'API processes keep ending; giving up');
    stopping = true;
    for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGTERM');
    if (left === 0) process.exit(1);
    process.exitCode = 1;
    return;
  }
  logger.error({ pid: worker.process.pid, code, signal }, 'an API process ended; starting another');
  cluster.fork();
});

const stop = (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'passing the signal on; waiting for every API process to drain');
  const workers = Object.values(cluster.workers ?? {});
  if (workers.length === 0) process.exit(0);
  for (const worker of workers) worker?.process.kill('SIGTERM');
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
