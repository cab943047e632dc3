import type { Admin } from 'kafkajs';
import { KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { waitForTopicLeaders } from './network-acl';

type Metadata = Awaited<ReturnType<Admin['fetchTopicMetadata']>>;

function partitions(...leaders: number[]): Metadata['topics'][number]['partitions'] {
  return leaders.map((leader, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader,
    replicas: [1, 2, 3],
    isr: [1, 2, 3],
    offlineReplicas: [],
  }));
}

function protocolError(type: string): KafkaJSProtocolError {
  return new KafkaJSProtocolError({ message: type, type, code: 3, retriable: true } as never);
}

/** An admin that answers from a script, one answer per call, the last one repeated. */
function scripted(...answers: (Metadata | Error)[]): Pick<Admin, 'fetchTopicMetadata'> & { calls: number } {
  const admin = {
    calls: 0,
    fetchTopicMetadata: () => {
      const answer = answers[Math.min(admin.calls++, answers.length - 1)]!;
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  };
  return admin;
}

describe('waitForTopicLeaders', () => {
  const fast = { timeoutMs: 2_000, intervalMs: 1 };

  it('asks again while the broker has not heard of the new topic, or knows it without leaders', async () => {
    const admin = scripted(
      protocolError('UNKNOWN_TOPIC_OR_PARTITION'),
      new KafkaJSNumberOfRetriesExceeded(protocolError('UNKNOWN_TOPIC_OR_PARTITION'), {
        retryCount: 5,
        retryTime: 100,
      }),
      protocolError('LEADER_NOT_AVAILABLE'),
      { topics: [{ name: 'inbox', partitions: partitions(1, -1, 3) }] },
      { topics: [{ name: 'inbox', partitions: partitions(1, 2, 3) }] },
    );
    await waitForTopicLeaders(admin, ['inbox'], fast);
    expect(admin.calls).toBe(5);
  });

  it('fails at once on any other error', async () => {
    const denied = protocolError('TOPIC_AUTHORIZATION_FAILED');
    const admin = scripted(denied);
    await expect(waitForTopicLeaders(admin, ['inbox'], fast)).rejects.toBe(denied);
    expect(admin.calls).toBe(1);
  });

  it('names the topics and the last answer when leaders never come', async () => {
    const admin = scripted({ topics: [{ name: 'inbox', partitions: partitions(-1) }] });
    await expect(waitForTopicLeaders(admin, ['inbox'], { timeoutMs: 30, intervalMs: 5 })).rejects.toThrow(
      /Topics inbox have no leader for every partition after 30 ms \(without a leader yet: inbox\)/,
    );
  });
});
