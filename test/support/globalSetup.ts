/**
 * Once per test run: a real Temporal dev server on a free port (in memory, no UI) and the
 * workflow bundle the test workers load. Both are handed to tests through inject().
 */
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { projectRoot, startTemporalDevServer } from '../../bin/tools.js';
import { writeWorkflowBundle } from '../../bin/workflowBundle.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    workflowBundlePath: string;
  }
}

export default async function setup(project: TestProject) {
  const temporal = await startTemporalDevServer();
  const bundle = await writeWorkflowBundle(path.join(projectRoot, `.data/test-workflow-bundle-${process.pid}.js`));
  project.provide('temporalAddress', temporal.address);
  project.provide('workflowBundlePath', bundle);
  return () => temporal.stop();
}
