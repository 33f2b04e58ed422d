/**
 * docker-compose.yml, checked without a Docker engine: against the Compose Specification's JSON
 * schema (bin/checkCompose.ts), and for the topology the README promises.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPOSE_FILE, composeProblems, readCompose } from '../../bin/checkCompose.js';
import { FILE_VARIABLES } from '../../bin/config.js';
import { projectRoot } from '../../bin/tools.js';

interface Service {
  image?: string;
  command?: string[];
  profiles?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  secrets?: string[];
  deploy?: { replicas?: number };
  depends_on?: Record<string, { condition: string }>;
  configs?: Array<{ source: string; target: string }>;
}
interface Compose {
  services: Record<string, Service>;
  secrets: Record<string, { file: string }>;
  configs: Record<string, { file: string }>;
}

const text = fs.readFileSync(COMPOSE_FILE, 'utf8');
const compose = readCompose(text) as Compose;
const { services } = compose;
const byDefault = Object.entries(services).filter(([, s]) => !s.profiles);

describe('docker-compose.yml', () => {
  it('follows the Compose Specification schema', () => {
    expect(composeProblems(compose)).toEqual([]);
  });

  it('is refused by the check when it breaks the schema', () => {
    const broken = readCompose(
      text.replace('replicas: 2', 'replicas: two').replace('stop_grace_period: 60s', 'stop_grace_perod: 60s'),
    );
    expect(composeProblems(broken)).toEqual(
      expect.arrayContaining([
        '/services/api/deploy/replicas: must be integer',
        '/services/worker: must NOT have additional properties (stop_grace_perod)',
      ]),
    );
  });

  it('runs by default two API replicas behind Caddy, two workers and a mailer, from the compiled build', () => {
    expect(byDefault.map(([name]) => name).sort()).toEqual(
      [
        'api',
        'caddy',
        'mailer',
        'migrate',
        'postgres',
        'redis',
        'temporal',
        'temporal-postgres',
        'temporal-ui',
        'worker',
      ].sort(),
    );
    expect(services.api?.deploy?.replicas).toBe(2);
    expect(services.worker?.deploy?.replicas).toBe(2);
    for (const name of ['migrate', 'api', 'worker', 'mailer']) {
      const [node, entry] = services[name]?.command ?? [];
      expect(node).toBe('node');
      expect(entry).toMatch(/^dist\/bin\/\w+\.js$/);
      // Each entry point is one tsconfig.build.json compiles.
      expect(fs.existsSync(path.join(projectRoot, entry!.replace(/^dist\//, '').replace(/\.js$/, '.ts')))).toBe(true);
    }
    for (const name of ['api', 'worker', 'mailer'])
      expect(services[name]?.depends_on?.migrate).toEqual({ condition: 'service_completed_successfully' });
    const caddyfile = fs.readFileSync(path.join(projectRoot, compose.configs.caddyfile!.file), 'utf8');
    expect(caddyfile).toMatch(/name api\s+port 3000/);
    // Metrics are scraped inside, per replica; the public proxy does not pass them on.
    expect(caddyfile).toMatch(/^\s*respond \/metrics 404$/m);
    expect(services.caddy?.configs).toEqual([{ source: 'caddyfile', target: '/etc/caddy/Caddyfile' }]);
  });

  it('runs Temporal on a PostgreSQL of its own, with its UI on the loopback only', () => {
    expect(services.temporal?.image).toMatch(/^temporalio\/auto-setup:/);
    expect(services.temporal?.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'temporal-postgres' });
    expect(services['temporal-postgres']?.image).toMatch(/^postgres:/);
    expect(services['temporal-ui']?.ports).toEqual(['127.0.0.1:8080:8080']);
  });

  it('publishes nothing but Caddy on every interface', () => {
    for (const [name, service] of Object.entries(services))
      for (const port of service.ports ?? [])
        if (name !== 'caddy') expect(port, `${name} publishes ${port}`).toMatch(/^127\.0\.0\.1:/);
    expect(services.caddy?.ports).toEqual(['80:80', '443:443']);
  });

  it('keeps Redis append-only and never evicting (BullMQ holds the mail queue there)', () => {
    for (const name of ['redis', 'redis-dev']) {
      const command = services[name]?.command?.join(' ');
      expect(command).toContain('--appendonly yes');
      expect(command).toContain('--maxmemory-policy noeviction');
    }
  });

  it('gives the app its secrets as files, through variables the configuration reads', () => {
    const env = services.api?.environment ?? {};
    const fromFiles = Object.keys(env).filter((name) => name.endsWith('_FILE'));
    expect(fromFiles.length).toBeGreaterThan(0);
    for (const variable of fromFiles) {
      expect(FILE_VARIABLES).toContain(variable.replace(/_FILE$/, ''));
      const secret = /^\/run\/secrets\/(\w+)$/.exec(env[variable]!)?.[1];
      expect(secret, `${variable} points at a mounted secret`).toBeDefined();
      expect(services.api?.secrets).toContain(secret);
      expect(compose.secrets[secret!]?.file).toMatch(/^\$\{MOPD_SECRETS_DIR:-\.\/secrets\}\//);
    }
    // Nothing secret is written into the file itself.
    expect(Object.keys(env)).not.toEqual(expect.arrayContaining(['SESSION_SECRET']));
    expect(Object.keys(env).filter((name) => /SECRET|TOKEN|KEYS|DATABASE_URL|SMTP_URL/.test(name))).toEqual(
      fromFiles.filter((name) => /SECRET|TOKEN|KEYS|DATABASE_URL|SMTP_URL/.test(name)),
    );
  });

  it('has a dev profile with the Temporal dev server and Mailpit', () => {
    const dev = Object.entries(services)
      .filter(([, s]) => s.profiles?.includes('dev'))
      .map(([name]) => name);
    expect(dev.sort()).toEqual(['mailpit', 'postgres-dev', 'redis-dev', 'temporal-dev']);
    expect(services['temporal-dev']?.command?.slice(0, 2)).toEqual(['server', 'start-dev']);
  });
});
