import { digestOf } from './record.digest';

describe('digestOf', () => {
  it('is sha256:<hex> of the record value, the same for a string and its UTF-8 bytes', () => {
    expect(digestOf('abc')).toBe('sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(digestOf(new Uint8Array())).toBe(
      'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(digestOf(Buffer.from('eyJhbGciOiJFZERTQSJ9.e30.c2ln'))).toBe(
      digestOf('eyJhbGciOiJFZERTQSJ9.e30.c2ln'),
    );
  });
});
