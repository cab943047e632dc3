import { classifyInboxFault } from './inbox-fault';

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('classifyInboxFault', () => {
  it('calls a record PostgreSQL cannot store permanent: NUL bytes, bad encodings, broken constraints', () => {
    expect(classifyInboxFault(pgError('22021', 'invalid byte sequence for encoding "UTF8": 0x00'))).toBe(
      'permanent',
    );
    expect(classifyInboxFault(pgError('22P05', 'unsupported Unicode escape sequence'))).toBe('permanent');
    expect(
      classifyInboxFault(pgError('23502', 'null value in column "topic" violates not-null constraint')),
    ).toBe('permanent');
    // PGlite's errors carry no code on some paths: the message alone decides.
    expect(classifyInboxFault(new Error('invalid byte sequence for encoding "UTF8": 0x00'))).toBe(
      'permanent',
    );
    const invalid = Object.assign(new Error('payload invalid: detail maxLength'), {
      name: 'PayloadInvalidError',
    });
    expect(classifyInboxFault(invalid)).toBe('permanent');
  });

  it('calls an unavailable database or broker transient, so the record is retried and never skipped', () => {
    expect(
      classifyInboxFault(
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      ),
    ).toBe('transient');
    expect(classifyInboxFault(pgError('57P01', 'terminating connection due to administrator command'))).toBe(
      'transient',
    );
    expect(classifyInboxFault(pgError('08006', 'connection failure'))).toBe('transient');
    expect(classifyInboxFault(new Error('Connection terminated unexpectedly'))).toBe('transient');
    const wrapped = Object.assign(new Error('outer'), {
      cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }),
    });
    expect(classifyInboxFault(wrapped)).toBe('transient');
    expect(classifyInboxFault(Object.assign(new Error('down'), { name: 'KafkaJSConnectionError' }))).toBe(
      'transient',
    );
  });

  it('leaves a unique-key race and anything else unknown: retried, and set aside only after several attempts', () => {
    expect(
      classifyInboxFault(
        pgError('23505', 'duplicate key value violates unique constraint "inbox_messages_pkey"'),
      ),
    ).toBe('unknown');
    expect(classifyInboxFault(new TypeError('cannot read properties of undefined'))).toBe('unknown');
    expect(classifyInboxFault('a string')).toBe('unknown');
    expect(classifyInboxFault(undefined)).toBe('unknown');
  });
});
