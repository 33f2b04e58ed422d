import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../bin/config.js';

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
});
