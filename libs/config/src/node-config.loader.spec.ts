import { ConfigError } from './config.error';
import { loadNodeConfig } from './node-config.loader';

describe('loadNodeConfig', () => {
  const base = { PUENTE_PARTY: 'us-cbp', KAFKA_BROKERS: '127.0.0.1:19092' };

  it('applies safe defaults: loopback, PGlite data dir per party, demo key locations', () => {
    const config = loadNodeConfig(base, '/srv/puente');
    expect(config.http.host).toBe('127.0.0.1');
    expect(config.database).toEqual({ kind: 'pglite', dataDir: '/srv/puente/.puente/data/us-cbp' });
    expect(config.keys.trustStoreFile).toBe('/srv/puente/.puente/keys/trust-store.json');
    expect(config.kafka.groupId).toBe('puente-node-us-cbp');
  });

  it('limits requests per client by default, generously, and can turn the limit off', () => {
    expect(loadNodeConfig(base).http).toMatchObject({
      maxJsonDepth: 32,
      rateLimit: { perSecond: 500, burst: 1000 },
    });
    expect(loadNodeConfig({ ...base, PUENTE_RATE_LIMIT_PER_SECOND: '0' }).http.rateLimit.perSecond).toBe(0);
    expect(() => loadNodeConfig({ ...base, PUENTE_RATE_LIMIT_BURST: '0' })).toThrow(
      /PUENTE_RATE_LIMIT_BURST/,
    );
    expect(() => loadNodeConfig({ ...base, PUENTE_HTTP_MAX_JSON_DEPTH: '1' })).toThrow(
      /PUENTE_HTTP_MAX_JSON_DEPTH/,
    );
  });

  it('keeps idempotency keys a day and webhooks off by default; refuses settings out of range', () => {
    const config = loadNodeConfig(base, '/srv/puente');
    expect(config.idempotency).toEqual({ keyHours: 24 });
    expect(config.webhooks).toMatchObject({ file: undefined, maxAttempts: 12, timeoutMs: 10_000 });
    expect(config.events).toEqual({ retentionDays: 7, streamsPerClient: 4, pollMs: 500 });
    expect(
      loadNodeConfig({ ...base, PUENTE_WEBHOOKS_FILE: 'config/webhooks.json' }, '/srv/puente').webhooks.file,
    ).toBe('/srv/puente/config/webhooks.json');
    expect(() => loadNodeConfig({ ...base, PUENTE_IDEMPOTENCY_KEY_HOURS: '0' })).toThrow(
      /PUENTE_IDEMPOTENCY_KEY_HOURS/,
    );
    expect(() => loadNodeConfig({ ...base, PUENTE_WEBHOOK_TIMEOUT_MS: '10' })).toThrow(
      /PUENTE_WEBHOOK_TIMEOUT_MS/,
    );
  });

  it('uses a PostgreSQL server when DATABASE_URL is set', () => {
    const config = loadNodeConfig({ ...base, DATABASE_URL: 'postgres://puente@127.0.0.1:5432/cbp' });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://puente@127.0.0.1:5432/cbp' });
  });

  it('reports every problem at once', () => {
    let error: unknown;
    try {
      loadNodeConfig({
        PUENTE_PARTY: 'US CBP',
        KAFKA_BROKERS: 'nohost',
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/PUENTE_PARTY "US CBP"/);
    expect(problems).toMatch(/KAFKA_BROKERS entry "nohost"/);
    expect(problems).toMatch(/PORT must be a whole number/);
    expect(problems).toMatch(/DATABASE_URL must start with postgres/);
  });
});
