/** Where the Temporal binaries are: on PATH if installed there, else in the project's .tools/ venv. */
import { execFileSync, spawn } from 'node:child_process';
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/**
 * True when this is the compiled build (dist/bin/tools.js, run by plain node), false under tsx.
 * The project root is then two levels up, and the entry points are dist/bin/*.js.
 */
export const compiled = path.basename(path.dirname(here)) === 'dist';
const root = compiled ? path.resolve(here, '../..') : path.resolve(here, '..');

function onPath(command: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function find(command: string): string {
  const local = path.join(root, '.tools/venv/bin', command);
  const found = onPath(command) ?? (fs.existsSync(local) ? local : undefined);
  if (!found) throw new Error(`${command} not found: run bin/setup first (it installs it into .tools/)`);
  return found;
}

export const temporalCli = () => find('temporal');
export const temporalTestServer = () => find('temporal-test-server');
export const projectRoot = root;

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Resolves once something listens on the port, or fails after the timeout. */
export async function waitForPort(port: number, timeoutMs: number, host = '127.0.0.1'): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host, port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > until) throw new Error(`Nothing listens on ${host}:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A Temporal dev server in memory on a free port, for tests and benchmarks. */
export async function startTemporalDevServer(): Promise<{ address: string; stop(): Promise<void> }> {
  const port = await freePort();
  const server = spawn(
    temporalCli(),
    ['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'error'],
    { stdio: 'ignore' },
  );
  await waitForPort(port, 60_000);
  return {
    address: `127.0.0.1:${port}`,
    async stop() {
      // Already gone (a Ctrl-C reaches the whole process group): waiting for 'exit' would wait forever.
      if (server.exitCode !== null || server.signalCode !== null) return;
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    },
  };
}
