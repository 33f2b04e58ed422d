/** Builds the workflow bundle the worker loads, so workers start without bundling. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { compiled, projectRoot } from './tools.js';

/** The workflows' entry: the TypeScript source under tsx, the compiled module in the build. */
export const WORKFLOWS_PATH = compiled
  ? path.join(projectRoot, 'dist/workflows/index.js')
  : path.join(projectRoot, 'workflows/index.ts');
/** Where `bin/start` (development) writes the bundle. */
export const WORKFLOW_BUNDLE_PATH = path.join(projectRoot, '.data/workflow-bundle.js');
/** Where `npm run build` writes it, beside the compiled code the image ships. */
export const BUILT_WORKFLOW_BUNDLE_PATH = path.join(projectRoot, 'dist/workflow-bundle.js');

export async function writeWorkflowBundle(target = WORKFLOW_BUNDLE_PATH): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, code);
  return target;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const target = await writeWorkflowBundle(process.argv[2] ? path.resolve(process.argv[2]) : WORKFLOW_BUNDLE_PATH);
  process.stdout.write(`workflow bundle written to ${target}\n`);
}
