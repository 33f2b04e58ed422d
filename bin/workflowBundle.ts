/** Builds the workflow bundle the worker loads, so workers start without bundling. */
import fs from 'node:fs';
import { createRequire } from 'node:module';
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

/**
 * Temporal's OpenTelemetry workflow interceptors, bundled with the workflows: each workflow's run and
 * the activities it schedules join the trace that started it. Their spans leave the sandbox through
 * the worker's `exporter` sink (bin/tracing.ts `workerTracing`), which drops them when tracing is off.
 */
export const WORKFLOW_INTERCEPTOR_MODULES = [
  createRequire(import.meta.url).resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors'),
];

export async function writeWorkflowBundle(target = WORKFLOW_BUNDLE_PATH): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    logger: new DefaultLogger('WARN'),
  });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, code);
  return target;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const target = await writeWorkflowBundle(process.argv[2] ? path.resolve(process.argv[2]) : WORKFLOW_BUNDLE_PATH);
  process.stdout.write(`workflow bundle written to ${target}\n`);
}
