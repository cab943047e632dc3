import { randomBytes } from 'node:crypto';
import { maskPayload } from '@app/agreements';
import { MaskingKeys } from './masking.keys';

describe('MaskingKeys', () => {
  const keys = new MaskingKeys(randomBytes(32));

  it('gives the same digest for the same value however written, and another for another field or key', () => {
    const a = keys.digest('travelers[].surname', 'Pérez  López');
    expect(a).toBe(keys.digest('travelers[].surname', 'PEREZ LOPEZ'));
    expect(a).not.toContain('PEREZ');
    expect(keys.digest('travelers[].document.number', 'AB-12 345')).toBe(
      keys.digest('travelers[].document.number', 'ab12345'),
    );
    expect(keys.digest('travelers[].givenNames', 'PEREZ LOPEZ')).not.toBe(a);
    expect(new MaskingKeys(randomBytes(32)).digest('travelers[].surname', 'PEREZ LOPEZ')).not.toBe(a);
  });

  it('seals a payload that only the same secret opens, and refuses one changed', () => {
    const payload = { travelers: [{ surname: 'PEREZ' }] };
    const sealed = keys.seal(payload);
    expect(sealed).not.toContain('PEREZ');
    expect(keys.open(sealed)).toEqual(payload);
    expect(() => new MaskingKeys(randomBytes(32)).open(sealed)).toThrow();
    const parts = sealed.split('.');
    parts[3] = `${parts[3]?.slice(0, -2) ?? ''}AA`;
    expect(() => keys.open(parts.join('.'))).toThrow();
  });

  it('masks a payload that, masked again, stays the same', () => {
    const payload = { travelers: [{ surname: 'PEREZ', dateOfBirth: '1980-01-02' }] };
    const fields = ['travelers[].surname', 'travelers[].dateOfBirth'];
    const once = maskPayload(payload, fields, (p, v) => keys.digestOrKeep(p, v));
    expect(maskPayload(once, fields, (p, v) => keys.digestOrKeep(p, v))).toEqual(once);
    expect(JSON.stringify(once)).not.toMatch(/PEREZ|1980/);
  });
});
