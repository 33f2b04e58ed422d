/** Builds the workflow bundle the worker loads, so workers start without bundling. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const WORKFLOWS_PATH = path.join(root, 'workflows/index.ts');
export const WORKFLOW_BUNDLE_PATH = path.join(root, '.data/workflow-bundle.js');

export async function writeWorkflowBundle(target = WORKFLOW_BUNDLE_PATH): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, code);
  return target;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const target = await writeWorkflowBundle();
  process.stdout.write(`workflow bundle written to ${target}\n`);
}
