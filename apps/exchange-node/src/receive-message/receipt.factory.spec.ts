import type { NodeConfig } from '@app/config';
import { encodePayload, type EnvelopeFields, MessageType, uuidv7 } from '@app/contracts';
import type { RecordCodec, SealedRecord } from '../shared/record.codec';
import { ReceiptFactory } from './receipt.factory';

const NOW = new Date('2026-11-30T12:00:00Z');

describe('ReceiptFactory', () => {
  it('builds a rejection receipt whatever the refusal text: cut to its limits, controls replaced', async () => {
    // The real payload rules (encodePayload validates): a detail over 1,000 characters or holding NUL
    // would make building the receipt throw, and the record would be retried for ever.
    const sealer = {
      seal: (_header: unknown, payload: Record<string, unknown>) => {
        encodePayload(MessageType.Receipt, payload as never);
        return Promise.resolve({ value: JSON.stringify(payload) } as SealedRecord);
      },
    } as unknown as RecordCodec;
    const factory = new ReceiptFactory(
      { party: 'us-cbp', limits: { messageTtlSeconds: 3600 } } as NodeConfig,
      { now: () => NOW },
      sealer,
    );
    const id = uuidv7();
    const about = { messageId: id, conversationId: id, agreementId: 'cmaa-us-sv' } as EnvelopeFields;
    const issued = await factory.issue('sv-dga', about, `sha256:${'a'.repeat(64)}`, {
      reason: 'NOT_ADDRESSED_TO_ME',
      rule: `recipient.${'r'.repeat(2_000)}`,
      detail: `addressed to sv-${'x'.repeat(5_000)}\u0000`,
    });
    const payload = JSON.parse(issued.sealed.value) as { rule: string; detail: string };
    expect(payload.rule.length).toBeLessThanOrEqual(300);
    expect(payload.detail.length).toBeLessThanOrEqual(1000);
    expect(payload.detail).not.toContain('\u0000');
  });
});
