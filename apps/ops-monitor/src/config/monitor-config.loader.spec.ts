import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@app/config';
import { loadMonitorConfig } from './monitor-config.loader';

const sha = (t: string) => createHash('sha256').update(t).digest('hex');

describe('loadMonitorConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ops-monitor-config-'));
    writeFileSync(
      join(dir, 'clients.json'),
      JSON.stringify({
        clients: [
          { id: 'noc-1', agency: 'network-ops', roles: ['ops'], tokenSha256: sha('ops-token') },
          { id: 'officer-1', agency: 'sv-dga', roles: ['officer'], tokenSha256: sha('officer-token') },
        ],
      }),
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const base = () => ({ KAFKA_BROKERS: '127.0.0.1:19092', PUENTE_MONITOR_CLIENTS_FILE: 'clients.json' });

  it('applies defaults: loopback on 7199, namespace puente, its own group, 15 minutes of history', () => {
    const config = loadMonitorConfig(base(), dir);
    expect(config.http).toEqual({ host: '127.0.0.1', port: 7199 });
    expect(config.kafka).toMatchObject({
      brokers: ['127.0.0.1:19092'],
      topicNamespace: 'puente',
      groupId: 'puente-ops-monitor',
      security: {
        kind: 'sasl_ssl',
        credentialsFile: expect.stringMatching(/\/\.puente\/keys\/ops-monitor\.kafka\.json$/) as string,
      },
      fromBeginning: false,
      provisionTopic: false,
    });
    expect(config.window).toEqual({ historyMs: 900_000, maxEvents: 200_000, overdueAfterMs: 30_000 });
    expect(config.poll).toEqual({ intervalMs: 2_000, timeoutMs: 2_000 });
    expect(config.nodes).toEqual([]);
    expect(config.clients.map((c) => [c.id, c.roles])).toEqual([
      ['noc-1', ['ops']],
      ['officer-1', ['officer']],
    ]);
  });

  it('reads the nodes to watch as party=url and names the group after the namespace', () => {
    const config = loadMonitorConfig(
      {
        ...base(),
        PUENTE_TOPIC_NAMESPACE: 't123',
        PUENTE_MONITOR_NODES: 'us-cbp=http://127.0.0.1:7101/, sv-dga=http://127.0.0.1:7103',
        PUENTE_MONITOR_HISTORY_MINUTES: '5',
        PUENTE_MONITOR_POLL_MS: '500',
      },
      dir,
    );
    expect(config.nodes).toEqual([
      { party: 'us-cbp', url: 'http://127.0.0.1:7101' },
      { party: 'sv-dga', url: 'http://127.0.0.1:7103' },
    ]);
    expect(config.kafka.groupId).toBe('t123-ops-monitor');
    expect(config.window.historyMs).toBe(300_000);
    expect(config.poll).toEqual({ intervalMs: 500, timeoutMs: 500 });
  });

  it('reports every problem at once, naming the monitor', () => {
    writeFileSync(
      join(dir, 'bad.json'),
      JSON.stringify({ clients: [{ id: 'x', agency: 'y', roles: ['root'], tokenSha256: 'abc' }] }),
    );
    let error: unknown;
    try {
      loadMonitorConfig(
        {
          PORT: 'eighty',
          PUENTE_MONITOR_NODES: 'us-cbp,US CBP=http://x,sv-dga=ftp://x',
          PUENTE_MONITOR_CLIENTS_FILE: 'bad.json',
          PUENTE_MONITOR_FROM_BEGINNING: 'maybe',
        },
        dir,
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^Invalid ops monitor configuration:/);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/KAFKA_BROKERS is required/);
    expect(problems).toMatch(/PORT must be a whole number/);
    expect(problems).toMatch(/entry "us-cbp" is not party=url/);
    expect(problems).toMatch(/"US CBP" is not a party id/);
    expect(problems).toMatch(/"ftp:\/\/x" is not an http\(s\) URL/);
    expect(problems).toMatch(/clients\[0\]\.tokenSha256 must be 64/);
    expect(problems).toMatch(/clients\[0\]\.roles must be a non-empty list/);
    expect(problems).toMatch(/PUENTE_MONITOR_FROM_BEGINNING must be true or false/);
  });

  it('requires a clients file with at least one ops client', () => {
    writeFileSync(
      join(dir, 'officers.json'),
      JSON.stringify({ clients: [{ id: 'o', agency: 'sv-dga', roles: ['officer'], tokenSha256: sha('t') }] }),
    );
    expect(() => loadMonitorConfig({ KAFKA_BROKERS: '127.0.0.1:1' }, dir)).toThrow(
      /PUENTE_MONITOR_CLIENTS_FILE is required/,
    );
    expect(() => loadMonitorConfig({ ...base(), PUENTE_MONITOR_CLIENTS_FILE: 'officers.json' }, dir)).toThrow(
      /no client has the ops role/,
    );
    expect(() => loadMonitorConfig({ ...base(), PUENTE_MONITOR_CLIENTS_FILE: 'missing.json' }, dir)).toThrow(
      /missing\.json cannot be read/,
    );
  });
});
