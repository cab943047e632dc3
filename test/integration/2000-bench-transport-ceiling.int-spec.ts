import { createKafka } from '@app/messaging';
import { clientSecurityFor, kafkaAccessFromEnv } from '@app/testing';
import { formatTransportCeiling } from '../../tools/bench/ceilings/ceilings.format';
import { measureTransportCeiling } from '../../tools/bench/ceilings/transport.ceiling';

/**
 * The transport ceiling of the benchmark runs end to end against the test broker: every record
 * produced is consumed, both phases report positive rates and ordered percentiles, and the topics it
 * created are gone afterwards.
 */
describe('2000 bench: transport ceiling', () => {
  const access = kafkaAccessFromEnv();
  const brokers = [...access.brokers];
  const security = clientSecurityFor(access, 'admin');
  const prefix = `it-ceiling-${Date.now().toString(36)}`;

  it('measures 300 records one way and as message + reply, then cleans up', async () => {
    const result = await measureTransportCeiling({
      brokers,
      security,
      count: 300,
      payloadBytes: 2048,
      topic: prefix,
    });

    expect(result).toMatchObject({ count: 300, payloadBytes: 2048, partitions: 3 });
    expect(result.producer).toEqual({ idempotent: true, acks: -1, maxInFlightRequests: 1 });
    for (const rate of [result.oneWay.produce, result.oneWay.endToEnd, result.roundTrip.endToEnd]) {
      expect(rate.ops).toBe(300);
      expect(rate.opsPerSecond).toBeGreaterThan(0);
    }
    // Consuming cannot finish before producing did.
    expect(result.oneWay.endToEnd.totalMs).toBeGreaterThanOrEqual(result.oneWay.produce.totalMs);
    for (const latency of [result.oneWay.latencyMs, result.roundTrip.latencyMs]) {
      expect(latency.p50).toBeGreaterThan(0);
      expect(latency.p50).toBeLessThanOrEqual(latency.p95);
      expect(latency.p95).toBeLessThanOrEqual(latency.p99);
      expect(latency.p99).toBeLessThanOrEqual(latency.max);
    }
    expect(result.deliveredPerSecondDerived).toBeCloseTo(result.oneWay.endToEnd.opsPerSecond / 2, 6);
    expect(formatTransportCeiling(result)).toContain('round trip');

    const admin = createKafka({ brokers, clientId: 'it-ceiling-check', security }, () => undefined).admin();
    await admin.connect();
    try {
      expect((await admin.listTopics()).filter((t) => t.startsWith(prefix))).toEqual([]);
    } finally {
      await admin.disconnect();
    }
  });

  it('refuses bad options before touching the broker', async () => {
    await expect(measureTransportCeiling({ brokers, count: 0, payloadBytes: 2048 })).rejects.toThrow(
      RangeError,
    );
  });
});
