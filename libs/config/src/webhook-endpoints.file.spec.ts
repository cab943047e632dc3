import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWebhookEndpointsFile } from './webhook-endpoints.file';

describe('readWebhookEndpointsFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'puente-webhooks-'));
  const secret = (name: string, text: string, mode = 0o600) => {
    writeFileSync(join(dir, name), text);
    chmodSync(join(dir, name), mode);
    return name;
  };
  const file = (endpoints: unknown) => {
    const path = join(dir, `webhooks-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(path, JSON.stringify({ endpoints }));
    return path;
  };

  it('reads endpoints, their secret files relative to the file, and their event types', () => {
    const endpoints = readWebhookEndpointsFile(
      file([
        {
          id: 'case-system',
          url: 'https://cases.example.gov/puente',
          secretFile: secret('good.secret', `${'s'.repeat(40)}\n`),
          events: ['message.received', 'message.overdue', 'message.received'],
        },
      ]),
    );
    expect(endpoints).toEqual([
      {
        id: 'case-system',
        url: 'https://cases.example.gov/puente',
        secret: Buffer.from('s'.repeat(40)),
        events: ['message.received', 'message.overdue'],
      },
    ]);
  });

  it('names every bad endpoint at once: id, url, events, a readable or short secret', () => {
    const problems = (() => {
      try {
        readWebhookEndpointsFile(
          file([
            {
              id: 'Bad Id',
              url: 'ftp://x',
              secretFile: secret('open.secret', 's'.repeat(40), 0o644),
              events: [],
            },
            {
              id: 'ok',
              url: 'https://user:pw@x.example/',
              secretFile: secret('short.secret', 'short'),
              events: ['nope'],
            },
          ]),
        );
        return '';
      } catch (error) {
        return String(error);
      }
    })();
    for (const expected of [
      'id must be',
      'url must be',
      'events must list',
      'chmod 600',
      'at least 32 bytes',
    ])
      expect(problems).toContain(expected);
    expect(problems).not.toContain('s'.repeat(40));
  });
});
