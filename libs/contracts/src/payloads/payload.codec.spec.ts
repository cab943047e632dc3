import { withChanges } from '@app/testing';
import { MESSAGE_TYPES, MessageType } from '../message-type';
import { decodeEnvelope, encodeEnvelope, type EnvelopeFields } from '../envelope/envelope.codec';
import { isUuid, uuidv7 } from '../uuid';
import { boundedText, controlCharacterErrors } from '../validation/control-characters';
import { EXAMPLE_PAYLOADS } from './examples';
import {
  decodePayload,
  encodePayload,
  PayloadDecodeError,
  PayloadInvalidError,
  validatePayload,
} from './payload.codec';

describe('payload contracts', () => {
  it.each(Object.keys(MESSAGE_TYPES) as MessageType[])(
    '%s: the example validates and survives encode → decode unchanged',
    (type) => {
      const example = EXAMPLE_PAYLOADS[type];
      expect(validatePayload(type, example)).toEqual({ ok: true, value: example });
      expect(decodePayload(type, encodePayload(type, example))).toEqual(example);
    },
  );

  it('reports every invalid field by path, nested array indexes included', () => {
    const bad = withChanges(EXAMPLE_PAYLOADS[MessageType.AssistanceRequest], {
      'subjects.goods[0].hsCode': '12',
      'subjects.goods[0].declaredValue.currency': 'XYZ',
      'subjects.declarations[0].date': '2026-13-01',
      offenseCategory: 'OFFENSE_CATEGORY_SMUGGLING',
      summary: undefined,
    });
    const result = validatePayload(MessageType.AssistanceRequest, bad);
    expect(result.ok).toBe(false);
    const paths = !result.ok ? result.errors.map((e) => e.path) : [];
    expect(paths).toEqual(
      expect.arrayContaining([
        'subjects.goods[0].hsCode',
        'subjects.goods[0].declaredValue.currency',
        'subjects.declarations[0].date',
        'offenseCategory',
        'summary',
      ]),
    );
  });

  it('refuses unknown fields by path', () => {
    const bad = { ...EXAMPLE_PAYLOADS[MessageType.CooperationNotice], travelerName: 'x' };
    const result = validatePayload(MessageType.CooperationNotice, bad);
    expect(!result.ok && result.errors).toEqual([
      expect.objectContaining({ path: 'travelerName', rule: 'whitelistValidation' }),
    ]);
  });

  it('refuses dates that do not exist', () => {
    const bad = { ...EXAMPLE_PAYLOADS[MessageType.AssistanceRequest], replyBy: '2025-02-30' };
    const result = validatePayload(MessageType.AssistanceRequest, bad);
    expect(!result.ok && result.errors.map((e) => [e.path, e.rule])).toEqual([['replyBy', 'isCalendarDate']]);
  });

  it('refuses a travel document expired at departure, and more than 1,000 travelers', () => {
    const query = EXAMPLE_PAYLOADS[MessageType.TravelerRiskQuery];
    const expired = validatePayload(
      MessageType.TravelerRiskQuery,
      withChanges(query, { 'travelers[0].document.expiry': '2026-11-30' }),
    );
    expect(!expired.ok && expired.errors.map((e) => e.path)).toEqual(['travelers[0].document.expiry']);
    query.travelers = Array.from({ length: 1001 }, (_, i) => ({
      ...(EXAMPLE_PAYLOADS[MessageType.TravelerRiskQuery].travelers as object[])[0],
      travelerRef: `P${i}`,
    }));
    const tooMany = validatePayload(MessageType.TravelerRiskQuery, query);
    expect(!tooMany.ok && tooMany.errors.map((e) => [e.path, e.rule])).toContainEqual([
      'travelers',
      'arrayMaxSize',
    ]);
  });

  it('never echoes field values in error messages (they may be personal data)', () => {
    const query = withChanges(EXAMPLE_PAYLOADS[MessageType.TravelerRiskQuery], {
      'travelers[0].surname': '4NOTANAME',
      'travelers[0].document.number': 'secret number!',
    });
    const result = validatePayload(MessageType.TravelerRiskQuery, query);
    expect(JSON.stringify(result)).not.toMatch(/4NOTANAME|secret number/);
  });

  it('tells undecodable bytes from invalid content', () => {
    expect(() => decodePayload(MessageType.AssistanceRequest, new Uint8Array([0x0a, 0x05, 0x41]))).toThrow(
      PayloadDecodeError,
    );
    expect(() => decodePayload(MessageType.AssistanceRequest, new Uint8Array([]))).toThrow(
      PayloadInvalidError,
    );
  });
});

describe('envelope', () => {
  const envelope = (): EnvelopeFields => ({
    messageId: uuidv7(),
    conversationId: uuidv7(),
    inReplyTo: '',
    type: MessageType.AssistanceRequest,
    schemaVersion: 'v1',
    sender: 'sv-dga',
    recipient: 'us-cbp',
    agreementId: 'cmaa-us-sv',
    purpose: 'trafficking',
    createdAt: new Date('2026-11-24T10:00:00.123Z'),
    expiresAt: new Date('2026-12-01T10:00:00Z'),
    payload: new Uint8Array([1, 2, 3]),
    payloadEncryption: 'NONE',
  });

  it('round-trips', () => {
    const e = envelope();
    expect(decodeEnvelope(encodeEnvelope(e))).toEqual(e);
  });

  it('refuses to encode an envelope that breaks its rules, naming the fields', () => {
    const e = { ...envelope(), sender: 'SV DGA', expiresAt: new Date('2020-01-01T00:00:00Z') };
    expect(() => encodeEnvelope(e)).toThrow(/sender isPartyId; expiresAt afterCreatedAt/);
  });
});

describe('uuidv7', () => {
  it('is a version-7 RFC 9562 UUID, ordered by creation', () => {
    const ids = Array.from({ length: 1000 }, () => uuidv7());
    for (const id of ids) expect(isUuid(id) && id[14] === '7' && '89ab'.includes(id[19] ?? '')).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('control characters and bounded text', () => {
  it('refuses a control character in any payload string, by path, but allows tab, newline and CR', () => {
    const example = EXAMPLE_PAYLOADS[MessageType.AssistanceRequest];
    for (const bad of ['A\u0000B', 'A\u0007', '\u001b[31m', 'x\u007f', 'x\u0085']) {
      const result = validatePayload(MessageType.AssistanceRequest, { ...example, caseReference: bad });
      expect(result.ok).toBe(false);
      if (!result.ok)
        expect(result.errors).toContainEqual(
          expect.objectContaining({ path: 'caseReference', rule: 'noControlCharacters' }),
        );
    }
    expect(controlCharacterErrors({ a: [{ b: 'ok\tline\r\nnext' }] })).toEqual([]);
    expect(controlCharacterErrors({ a: [{ b: 'x\u0000' }] }).map((e) => e.path)).toEqual(['a[0].b']);
  });

  it('cuts text to its limit without controls or split surrogate pairs, so a receipt can always be built', () => {
    expect(boundedText('a\u0000b', 10)).toBe('a?b');
    const long = boundedText('é'.repeat(5000), 1000);
    expect(long.length).toBeLessThanOrEqual(1000);
    expect(long.endsWith('…')).toBe(true);
    const emoji = boundedText('😀'.repeat(10), 6);
    expect(emoji).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});
