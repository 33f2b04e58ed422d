/**
 * Once per test run: a real Temporal dev server on a free port (in memory, no UI) and the
 * workflow bundle the test workers load. Both are handed to tests through inject().
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { temporalCli, projectRoot } from '../../bin/tools.js';
import { writeWorkflowBundle } from '../../bin/workflowBundle.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    workflowBundlePath: string;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > until) throw new Error(`Temporal dev server did not open port ${port}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export default async function setup(project: TestProject) {
  const port = await freePort();
  const server = spawn(temporalCli(), ['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'error'], {
    stdio: 'ignore',
  });
  await waitForPort(port, 60_000);
  const bundle = await writeWorkflowBundle(path.join(projectRoot, `.data/test-workflow-bundle-${process.pid}.js`));
  project.provide('temporalAddress', `127.0.0.1:${port}`);
  project.provide('workflowBundlePath', bundle);
  return async () => {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
  };
}
