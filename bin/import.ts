/**
 * Legacy import from the command line: `npm run import -- <folder> [--apply] [--system toolbox]`.
 * Reads every *.csv of the folder, prints the report (what would be created, updated, left
 * unchanged or rejected, with line, column and reason), and with --apply applies it file by file,
 * printing progress. Without --apply nothing is written to the registry (the batch is recorded as
 * previewed, like an upload through the API).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createDb } from '../db/connection.js';
import { applyBatch, previewBatch, startApplying, type BatchReport } from '../services/legacyImport/index.js';
import { IMPORT_KINDS } from '../services/legacyImport/formats.js';
import { configOrExit } from './runtime.js';
import { createTemporalGateway, importWorkflowsOf } from '../services/workflowClient.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { apply: { type: 'boolean', default: false }, system: { type: 'string', default: 'toolbox' } },
});
const folder = positionals[0];
if (!folder) {
  process.stderr.write('usage: npm run import -- <folder of CSV files> [--apply] [--system toolbox]\n');
  process.exit(2);
}
const say = (line: string) => process.stdout.write(`${line}\n`);

function printReport(report: BatchReport, heading: string) {
  say(heading);
  // Stored reports come back from jsonb with their keys reordered: print them in the order applied.
  const entries = Object.entries(report).sort(
    ([a, x], [b, y]) => IMPORT_KINDS.indexOf(x.kind) - IMPORT_KINDS.indexOf(y.kind) || a.localeCompare(b),
  );
  for (const [name, file] of entries) {
    say(
      `  ${name} (${file.kind}, ${file.rows} rows): ${file.create} to create, ${file.update} to update, ${file.unchanged} unchanged, ${file.rejectedCount} rejected`,
    );
    for (const p of file.rejected) say(`    line ${p.line}${p.column ? `, ${p.column}` : ''}: ${p.reason}`);
    if (file.rejectedCount > file.rejected.length)
      say(`    … and ${file.rejectedCount - file.rejected.length} more rejected rows`);
  }
}

const config = configOrExit();
const db = createDb(config.DATABASE_URL);
// Pending applications start their approval workflows, imported trainers their terms, upcoming events their reminders.
const temporal = createTemporalGateway({
  address: config.TEMPORAL_ADDRESS,
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
});
try {
  const names = (await fs.readdir(folder)).filter((n) => n.toLowerCase().endsWith('.csv')).sort();
  const files = await Promise.all(
    names.map(async (name) => ({ name, content: await fs.readFile(path.join(folder, name), 'utf8') })),
  );
  const batch = await previewBatch(db, {
    name: path.basename(path.resolve(folder)),
    system: values.system!,
    files,
    uploadedBy: null,
    keepFiles: false,
  });
  printReport(batch.report, `batch ${batch.id} from ${folder} (system ${batch.system}):`);
  if (values.apply) {
    await startApplying(db, batch.id);
    let last = 0;
    const applied = await applyBatch(db, batch.id, {
      files,
      workflows: importWorkflowsOf(temporal),
      onProgress: ({ file, done, total }) => {
        const percent = total === 0 ? 100 : Math.floor((100 * done) / total);
        if (percent >= last + 5 || done === total) {
          last = percent;
          say(`  applying ${file}: ${done}/${total} (${percent}%)`);
        }
      },
    });
    printReport(applied.appliedReport ?? {}, `applied batch ${applied.id}:`);
  } else {
    say('preview only: nothing written to the registry (run again with --apply)');
  }
} finally {
  await temporal.close();
  await db.destroy();
}
