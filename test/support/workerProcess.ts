/**
 * The production worker (bin/worker.ts) as a child process of a test, so a test can SIGKILL it the
 * way an operating system or an orchestrator would, and start another. `node --import tsx` runs it
 * as one process, so the signal reaches the worker itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { projectRoot } from '../../bin/tools.js';

export interface WorkerProcessOptions {
  databaseUrl: string;
  temporalAddress: string;
  taskQueue: string;
  workflowBundlePath: string;
}

export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves once the worker polls its task queue. */
  ready: Promise<void>;
}

export interface WorkerProcesses {
  /** Starts one more worker process. */
  start(): WorkerProcess;
  /** SIGKILLs a worker process and waits until it is gone. */
  kill(child: ChildProcess): Promise<void>;
  /** The worker processes still running. */
  running(): ChildProcess[];
  /** SIGKILLs every worker process still running (after a test). */
  killAll(): Promise<void>;
}

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

export function workerProcesses(options: WorkerProcessOptions): WorkerProcesses {
  const children: ChildProcess[] = [];
  const kill = async (child: ChildProcess) => {
    if (exited(child)) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await gone;
  };
  return {
    start() {
      const child = spawn(process.execPath, ['--import', 'tsx', 'bin/worker.ts'], {
        cwd: projectRoot,
        env: {
          ...process.env,
          DATABASE_URL: options.databaseUrl,
          TEMPORAL_ADDRESS: options.temporalAddress,
          TEMPORAL_TASK_QUEUE: options.taskQueue,
          WORKFLOW_BUNDLE_PATH: options.workflowBundlePath,
          PUBLIC_URL: 'http://mopd.test',
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      children.push(child);
      // The SDK logs its state to stderr; the last lines are shown if the worker dies by itself.
      const tail: string[] = [];
      const ready = new Promise<void>((resolve, reject) => {
        child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
          tail.push(...chunk.split('\n'));
          tail.splice(0, Math.max(0, tail.length - 40));
          if (/state: 'RUNNING'/.test(chunk)) resolve();
        });
        child.once('exit', (code, signal) => {
          if (signal !== 'SIGKILL')
            process.stderr.write(`worker process exited (${code ?? signal}):\n${tail.join('\n')}\n`);
          reject(new Error(`worker process exited (${code ?? signal}) before it was ready`));
        });
      });
      ready.catch(() => undefined);
      return { child, ready };
    },
    kill,
    running: () => children.filter((c) => !exited(c)),
    async killAll() {
      await Promise.all(children.map(kill));
    },
  };
}
