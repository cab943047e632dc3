import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readApiClientsFile } from './api-clients.file';
import { ROLES } from './roles';

const HASH = 'a'.repeat(64);

function file(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'api-clients-')), 'clients.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('readApiClientsFile', () => {
  it('returns the valid clients and one problem per defect of the others', () => {
    const path = file({
      clients: [
        { id: 'officer-1', agency: 'CBP', roles: ['officer'], tokenSha256: HASH },
        { id: '', agency: 'CBP', roles: ['superuser'], tokenSha256: 'nope' },
        'not an object',
      ],
    });
    const problems: string[] = [];
    expect(readApiClientsFile(path, problems)).toEqual([
      { id: 'officer-1', agency: 'CBP', roles: ['officer'], tokenSha256: HASH },
    ]);
    expect(problems).toEqual([
      `${path}: clients[1].id is required`,
      `${path}: clients[1].tokenSha256 must be 64 lower-case hex characters`,
      `${path}: clients[1].roles must be a non-empty list of ${ROLES.join(', ')}`,
      `${path}: clients[2].id is required`,
      `${path}: clients[2].agency is required`,
      `${path}: clients[2].tokenSha256 must be 64 lower-case hex characters`,
      `${path}: clients[2].roles must be a non-empty list of ${ROLES.join(', ')}`,
    ]);
  });

  it('says when the file cannot be read or has no list', () => {
    const problems: string[] = [];
    expect(readApiClientsFile(join(tmpdir(), 'no-such-dir-xyz', 'c.json'), problems)).toEqual([]);
    expect(readApiClientsFile(file('{broken'), problems)).toEqual([]);
    expect(readApiClientsFile(file({ clients: {} }), problems)).toEqual([]);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/c\.json cannot be read/);
    expect(problems[1]).toMatch(/cannot be read/);
    expect(problems[2]).toMatch(/"clients" must be a list/);
  });
});
