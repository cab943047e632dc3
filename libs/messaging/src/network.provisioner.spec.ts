import { resolveReplication } from './network.provisioner';

describe('resolveReplication', () => {
  const single = { replicationFactor: 1, minInsyncReplicas: 1 };
  const cluster = { replicationFactor: 3, minInsyncReplicas: 2 };
  const auto = { replicationFactor: 'auto', minInsyncReplicas: 'auto' } as const;

  it("takes 'auto' from the cluster's configured defaults, not from the brokers that answer", () => {
    expect(resolveReplication(auto, cluster)).toEqual({ replicationFactor: 3, minInsyncReplicas: 2 });
    expect(resolveReplication(auto, single)).toEqual({ replicationFactor: 1, minInsyncReplicas: 1 });
  });

  it('keeps explicit numbers and never requires more copies in sync than there are', () => {
    expect(resolveReplication({ replicationFactor: 1, minInsyncReplicas: 'auto' }, cluster)).toEqual(single);
    expect(resolveReplication({ replicationFactor: 3, minInsyncReplicas: 3 }, cluster)).toEqual({
      replicationFactor: 3,
      minInsyncReplicas: 3,
    });
    expect(resolveReplication({ replicationFactor: 'auto', minInsyncReplicas: 1 }, cluster)).toEqual({
      replicationFactor: 3,
      minInsyncReplicas: 1,
    });
  });
});
