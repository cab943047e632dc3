import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  EXAMPLE_PAYLOADS,
  MessageType,
  monitorGroupId,
  nodeGroupId,
  opsFlowTopic,
  trustGroupId,
  trustReplicaGroupId,
  trustTopic,
} from '@app/contracts';
import { clientSecurityFor } from '@app/testing';
import { BrokerProbe, tlsHandshake } from '../support/broker-probe';
import { TestNetwork } from '../support/test-network';
import { waitFor } from '../support/wait-for';

/**
 * The broker itself enforces the agreements: each administration has its own principal, reads only its
 * own inbox, writes only where an agreement has a channel, and nobody but the provisioning admin may
 * create or delete anything. Knocked on with a plain kafkajs client, with a party's, the monitor's,
 * wrong and no credentials; every refusal asserted by its Kafka error code.
 */
describe('0070 broker perimeter: identities and ACLs from the agreements', () => {
  let network: TestNetwork;
  const as = (principal: string) =>
    new BrokerProbe(network.brokers, clientSecurityFor(network.kafka, principal));

  beforeAll(async () => {
    // mx-anam's node starts after the probes: a probe in its group must not share it with the node.
    network = await TestNetwork.start({ parties: ['us-cbp', 'sv-dga', 'sv-dgme'] });
    if (!network.kafka.secured) throw new Error('the perimeter test needs the secured managed broker');
  });
  afterAll(() => network?.stop());

  it("refuses mx-anam everything the agreements do not give it, each with Kafka's error code", async () => {
    const mx = as('mx-anam');
    const ns = network.namespace;
    expect({
      'read us-cbp inbox': await mx.read(network.inboxTopic('us-cbp'), nodeGroupId('mx-anam', ns)),
      "join us-cbp's group": await mx.read(network.inboxTopic('mx-anam'), nodeGroupId('us-cbp', ns)),
      'write sv-dga inbox (no agreement)': await mx.write(network.inboxTopic('sv-dga')),
      'write own inbox': await mx.write(network.inboxTopic('mx-anam')),
      'create a topic': await mx.createTopic(`${ns}.inbox.mx-anam-2`),
      'delete a topic': await mx.deleteTopic(network.inboxTopic('mx-anam')),
      'read the ops topic': await mx.read(opsFlowTopic(ns), nodeGroupId('mx-anam', ns)),
    }).toEqual({
      'read us-cbp inbox': 'TOPIC_AUTHORIZATION_FAILED',
      "join us-cbp's group": 'GROUP_AUTHORIZATION_FAILED',
      'write sv-dga inbox (no agreement)': 'TOPIC_AUTHORIZATION_FAILED',
      'write own inbox': 'TOPIC_AUTHORIZATION_FAILED',
      'create a topic': 'TOPIC_AUTHORIZATION_FAILED',
      'delete a topic': 'TOPIC_AUTHORIZATION_FAILED',
      'read the ops topic': 'TOPIC_AUTHORIZATION_FAILED',
    });
    // What the MOU does give it: writing to us-cbp's inbox (its own inbox it reads as its node does).
    expect(await mx.write(network.inboxTopic('us-cbp'))).toBe('ok');
  });

  it('lets every party write its key announcements to the trust topic and read everyone’s, in its own trust group only', async () => {
    const ns = network.namespace;
    const mx = as('mx-anam');
    expect({
      'write the trust topic': await mx.write(trustTopic(ns)),
      'read it in a trust group of its own': await mx.read(
        trustTopic(ns),
        trustReplicaGroupId('mx-anam', 'r1', ns),
      ),
      'read it in the bare trust-group prefix': await mx.read(trustTopic(ns), trustGroupId('mx-anam', ns)),
      "read it in a trust group of us-cbp's": await mx.read(
        trustTopic(ns),
        trustReplicaGroupId('us-cbp', 'r1', ns),
      ),
      'read it in its inbox group': await mx.read(trustTopic(ns), nodeGroupId('mx-anam', ns)),
      'delete it': await mx.deleteTopic(trustTopic(ns)),
    }).toEqual({
      'write the trust topic': 'ok',
      'read it in a trust group of its own': 'ok',
      'read it in the bare trust-group prefix': 'GROUP_AUTHORIZATION_FAILED',
      "read it in a trust group of us-cbp's": 'GROUP_AUTHORIZATION_FAILED',
      'read it in its inbox group': 'ok',
      'delete it': 'TOPIC_AUTHORIZATION_FAILED',
    });
    const monitor = as('ops-monitor');
    expect(await monitor.write(trustTopic(ns))).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(await monitor.read(trustTopic(ns), monitorGroupId(ns))).toBe('TOPIC_AUTHORIZATION_FAILED');
  });

  it('delivers every agreed flow on the secured broker', async () => {
    await network.startParties(['mx-anam']);
    const flows = [
      { from: 'sv-dga', to: 'us-cbp', type: 'AssistanceRequest', purpose: 'trafficking' },
      { from: 'us-cbp', to: 'sv-dga', type: 'SpontaneousInformation', purpose: 'duty-evasion' },
      { from: 'us-cbp', to: 'mx-anam', type: 'CooperationNotice', purpose: 'joint-priorities' },
      { from: 'mx-anam', to: 'us-cbp', type: 'CooperationNotice', purpose: 'joint-priorities' },
      { from: 'sv-dgme', to: 'us-cbp', type: 'TravelerRiskQuery', purpose: 'traveler-risk-assessment' },
    ] as const;
    const sent = await Promise.all(
      flows.map(async (f) => {
        const res = await network.node(f.from).api.submit({
          type: f.type,
          to: f.to,
          purpose: f.purpose,
          payload: EXAMPLE_PAYLOADS[MessageType[f.type]],
        });
        expect(res.status).toBe(202);
        return { ...f, id: res.body.id };
      }),
    );
    for (const s of sent) {
      const settled = await waitFor(`${s.from} → ${s.to} ${s.type} delivered`, async () => {
        const res = await network.node(s.from).api.message(s.id);
        return res.body.status === 'delivered' ? res.body : undefined;
      });
      expect(settled.receipt).toMatchObject({ outcome: 'ACCEPTED' });
    }
  });

  it('lets the ops monitor read the flow topic and write nowhere', async () => {
    const monitor = as('ops-monitor');
    const ns = network.namespace;
    expect(await monitor.read(opsFlowTopic(ns), monitorGroupId(ns))).toBe('ok');
    for (const party of ['us-cbp', 'sv-dga', 'mx-anam'])
      expect(await monitor.write(network.inboxTopic(party))).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(await monitor.write(opsFlowTopic(ns))).toBe('TOPIC_AUTHORIZATION_FAILED');
  });

  it('lets nobody in without the right password, and nobody in plaintext', async () => {
    const secured = network.kafka.secured;
    if (!secured) throw new Error('secured broker expected');
    const ca = readFileSync(secured.caFile, 'utf8');
    const good = clientSecurityFor(network.kafka, 'mx-anam');
    const sasl = good.sasl;
    if (!sasl) throw new Error('SCRAM credentials expected');
    const wrongPassword = new BrokerProbe(network.brokers, {
      ssl: { ca: [ca] },
      sasl: { ...sasl, password: `${sasl.password}x` },
    });
    const noCredentials = new BrokerProbe(network.brokers, { ssl: { ca: [ca] } });
    const plaintext = new BrokerProbe(network.brokers, {});
    expect(await wrongPassword.connect()).toBe('KafkaJSSASLAuthenticationError');
    expect(await noCredentials.connect()).toMatch(/KafkaJSConnectionClosedError|KafkaJSConnectionError/);
    expect(await plaintext.connect()).toMatch(/KafkaJSConnectionClosedError|KafkaJSConnectionError/);
    // The controller port answers only a client with a certificate the broker's CA issued.
    const [host, port] = (network.brokers[0] ?? '').split(':');
    expect(host).toBe('127.0.0.1');
    const handshake = await tlsHandshake(Number(port) + 1, ca);
    expect(handshake).not.toBe('ok');
    expect(handshake).not.toBe('timeout');
  });

  it('starts a node with a wrong broker password, says why on /health, and keeps trying', async () => {
    const secured = network.kafka.secured;
    if (!secured) throw new Error('secured broker expected');
    const wrong = join(network.dir, 'us-ice.wrong.kafka.json');
    const { username, password } = JSON.parse(
      readFileSync(join(secured.usersDir, 'us-ice.kafka.json'), 'utf8'),
    ) as { username: string; password: string };
    writeFileSync(wrong, JSON.stringify({ username, password: `${password}-wrong` }), { mode: 0o600 });
    await network.startParties(['us-ice'], { env: { KAFKA_CREDENTIALS_FILE: wrong } });
    const health = await waitFor('us-ice to say why it is not ready', async () => {
      const res = await fetch(`${network.node('us-ice').url}/health`);
      const body = (await res.json()) as { checks: Record<string, { ok: boolean; detail?: string }> };
      return res.status === 503 && body.checks.inboxConsumer?.detail ? body : undefined;
    });
    const expected = `kafka: authentication failed for User:us-ice at ${network.brokers.join(',')}`;
    expect(health.checks.kafkaProducer?.detail).toContain(expected);
    expect(health.checks.inboxConsumer?.detail).toContain(expected);
    expect(JSON.stringify(health)).not.toContain(password);
    // One line per problem in the log, not a stack trace.
    expect(network.logs.lines.join('\n')).not.toMatch(
      /KafkaJSSASLAuthenticationError[\s\S]*at .*node_modules/,
    );
  });

  it('closes a channel on the broker when its agreement is terminated and provisioning runs again', async () => {
    const mx = as('mx-anam');
    expect(await mx.write(network.inboxTopic('us-cbp'))).toBe('ok');
    const yaml = readFileSync(network.agreementsFile, 'utf8');
    const terminated = yaml.replace(
      /(- id: mou-us-mx[\s\S]*?inForceFrom: 2022-03-22\n)/,
      '$1    terminatedFrom: 2023-01-01\n',
    );
    expect(terminated).not.toBe(yaml);
    network.writeAgreements(terminated);
    const report = await network.provision();
    expect(report.lines).toEqual(
      expect.arrayContaining([
        `- acl User:mx-anam WRITE topic ${network.inboxTopic('us-cbp')}   (no agreement or role justifies it)`,
        `- acl User:us-cbp WRITE topic ${network.inboxTopic('mx-anam')}   (no agreement or role justifies it)`,
      ]),
    );
    await waitFor('the write to be refused', async () =>
      (await mx.write(network.inboxTopic('us-cbp'))) === 'TOPIC_AUTHORIZATION_FAILED' ? true : undefined,
    );
    // Idempotent: the same agreements again change nothing.
    const again = await network.provision();
    expect(again.lines.at(-1)).toMatch(/0 topics created, 0 ACLs added, 0 removed/);
    // Other channels are untouched: sv-dga still writes to us-cbp under the CMAA.
    expect(await as('sv-dga').write(network.inboxTopic('us-cbp'))).toBe('ok');

    // us-cbp's node still runs on the agreements it started with and accepts a notice to mx-anam: the
    // broker refuses it, the record waits (visibly, BROKER_DENIED), and the rest of the outbox flows.
    const cbp = network.node('us-cbp');
    const notice = await cbp.api.submit({
      type: 'CooperationNotice',
      to: 'mx-anam',
      purpose: 'joint-priorities',
      payload: EXAMPLE_PAYLOADS[MessageType.CooperationNotice],
    });
    expect(notice.status).toBe(202);
    const info = await cbp.api.submit({
      type: 'SpontaneousInformation',
      to: 'sv-dga',
      purpose: 'duty-evasion',
      payload: EXAMPLE_PAYLOADS[MessageType.SpontaneousInformation],
    });
    expect(info.status).toBe(202);
    await waitFor('the CMAA message to be delivered past the refused one', async () => {
      const res = await cbp.api.message(info.body.id);
      return res.body.status === 'delivered' ? true : undefined;
    });
    expect((await cbp.api.message(notice.body.id)).body.status).toBe('queued');
    const denied = await waitFor('a BROKER_DENIED flow event for the notice', async () => {
      const events = (await network.tap.readAll(opsFlowTopic(network.namespace), 500)).map(
        (r) => JSON.parse(r.value?.toString() ?? '{}') as { messageId?: string; outcome?: string },
      );
      return events.find((e) => e.messageId === notice.body.id && e.outcome === 'BROKER_DENIED');
    });
    expect(denied).toMatchObject({ stage: 'publish' });
  });
});
