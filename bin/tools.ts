/** Where the Temporal binaries are: on PATH if installed there, else in the project's .tools/ venv. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

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
