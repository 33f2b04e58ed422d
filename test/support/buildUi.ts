/** Once per browser-test run: builds the UI into a folder of its own and hands its path to the tests. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';
import { projectRoot } from '../../bin/tools.js';

declare module 'vitest' {
  export interface ProvidedContext {
    uiDist: string;
  }
}

export default async function setup(project: TestProject) {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mopd-ui-'));
  await build({
    configFile: path.join(projectRoot, 'ui/vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  project.provide('uiDist', outDir);
  return () => fs.rmSync(outDir, { recursive: true, force: true });
}
