import { calculateJwkThumbprint } from 'jose';
import { generatePartyKeys } from './party-keys.generator';
import { kidFor, okpThumbprint, parseKid, partyOfKid } from './key-id.format';

describe('kid format', () => {
  it('computes the RFC 7638 thumbprint exactly as jose does, and kids from its first 16 characters', async () => {
    const material = await generatePartyKeys('sv-dga');
    for (const jwk of material.publicJwks) {
      const full = await calculateJwkThumbprint({ kty: 'OKP', crv: jwk.crv, x: jwk.x });
      expect(okpThumbprint(jwk)).toBe(full);
      expect(jwk.kid).toBe(kidFor('sv-dga', jwk.use, jwk));
      expect(jwk.kid).toBe(`sv-dga:${jwk.use}:${full.slice(0, 16)}`);
    }
  });

  it('parses kids of the form <party>:<sig|enc>:<16-char thumbprint> and nothing else', () => {
    expect(parseKid('us-cbp:sig:abcdefghijklmn_-')).toEqual({
      party: 'us-cbp',
      use: 'sig',
      thumbprint: 'abcdefghijklmn_-',
    });
    expect(partyOfKid('sv-dgme:enc:ABCDEFGHIJKLMNOP')).toBe('sv-dgme');
    for (const kid of [
      '',
      'us-cbp',
      'us-cbp:sig',
      'us-cbp:auth:abcdefghijklmnop',
      'us-cbp:sig:short',
      'us-cbp:sig:abcdefghijklmnopq',
      'US-CBP:sig:abcdefghijklmnop',
      'us-cbp:sig:abcdefghijklmnop\n',
      '../etc:sig:abcdefghijklmnop',
    ]) {
      expect(parseKid(kid)).toBeUndefined();
    }
  });
});
