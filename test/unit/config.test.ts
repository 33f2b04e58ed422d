import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FILE_VARIABLES, loadConfig } from '../../bin/config.js';

describe('configuration', () => {
  it('uses the development defaults when nothing is set', () => {
    expect(loadConfig({})).toMatchObject({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/mopd',
      REDIS_URL: 'redis://127.0.0.1:6379',
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      API_PORT: 3000,
    });
  });

  it('names every variable that is wrong and why', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x', TEMPORAL_ADDRESS: 'localhost', API_PORT: 'eighty' })).toThrow(
      /DATABASE_URL: must be a URL starting with postgres:\/\/ or postgresql:\/\/[\s\S]*TEMPORAL_ADDRESS: must be host:port[\s\S]*API_PORT/,
    );
  });

  describe('secrets from files (<NAME>_FILE, as Docker and Kubernetes mount them)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mopd-config-'));
    const file = (name: string, content: string) => {
      const target = path.join(dir, `${name}-${randomBytes(3).toString('hex')}`);
      fs.writeFileSync(target, content);
      return target;
    };

    it('reads each variable from its file, trailing newline dropped', () => {
      const sessionSecret = randomBytes(24).toString('hex');
      const metricsToken = randomBytes(24).toString('hex');
      const config = loadConfig({
        DATABASE_URL_FILE: file('db', 'postgres://mopd:s3cret@db.internal:5432/mopd\n'),
        REDIS_URL_FILE: file('redis', 'redis://:pw@redis.internal:6379\n'),
        SESSION_SECRET_FILE: file('session', `${sessionSecret}\n`),
        METRICS_TOKEN_FILE: file('metrics', metricsToken),
        HEALTH_TOKEN_FILE: file('health', `${'h'.repeat(40)}\n`),
      });
      expect(config).toMatchObject({
        DATABASE_URL: 'postgres://mopd:s3cret@db.internal:5432/mopd',
        REDIS_URL: 'redis://:pw@redis.internal:6379',
        SESSION_SECRET: sessionSecret,
        METRICS_TOKEN: metricsToken,
        HEALTH_TOKEN: 'h'.repeat(40),
      });
    });

    it('checks a value from a file like one from the environment', () => {
      expect(() => loadConfig({ METRICS_TOKEN_FILE: file('short', 'too-short\n') })).toThrow(
        /METRICS_TOKEN: must be at least 32 characters/,
      );
    });

    it('refuses a variable set both ways, and a file it cannot read, naming each', () => {
      const secret = file('session', 'x'.repeat(40));
      expect(() =>
        loadConfig({
          SESSION_SECRET: 'y'.repeat(40),
          SESSION_SECRET_FILE: secret,
          DATABASE_URL_FILE: path.join(dir, 'no-such-file'),
        }),
      ).toThrow(
        /DATABASE_URL_FILE: cannot be read \(ENOENT\)\n {2}SESSION_SECRET_FILE: set either SESSION_SECRET or SESSION_SECRET_FILE, not both/,
      );
    });

    it('offers a file for every secret and every URL that may carry a password', () => {
      expect([...FILE_VARIABLES].sort()).toEqual(
        [
          'DATABASE_URL',
          'HEALTH_TOKEN',
          'METRICS_TOKEN',
          'PAYMENT_WEBHOOK_SECRET',
          'REDIS_URL',
          'SECRETS_KEYS',
          'SESSION_SECRET',
          'SMTP_URL',
          'SSO_CLIENT_SECRET',
        ].sort(),
      );
    });
  });
});
