import { type ChildProcess, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { Kafka, logLevel } from 'kafkajs';
import {
  ensureBrokerCredentials,
  kafkajsSecurity,
  openKafkaSecurity,
  provisionNetwork,
  SINGLE_BROKER_PROVISIONING,
} from '@app/messaging';
import { BrokerProbe } from '../support/broker-probe';
import { waitFor } from '../support/wait-for';

const ROOT = resolve(__dirname, '../..');
const SCRIPT = join(ROOT, 'tools/kafka/kafka.sh');
const PRINCIPALS = ['us-cbp', 'sv-dga', 'mx-anam', 'ops-monitor'];

/**
 * docker-compose.yml's broker is the managed broker's own script run inside the apache/kafka image
 * (`kafka.sh run`), which has bash, a JRE and the Kafka jars but no node and no Maven. No Docker engine
 * is needed here: the same command runs on this machine with node hidden from its PATH, with the
 * compose file's options (a client listener advertised under the compose network's name "kafka",
 * the CA copied out for the containers), and the broker must be the secured one the nodes expect.
 */
describe('0075 the compose broker (kafka.sh run) is secured like the managed one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'puente-compose-broker-'));
  const keys = join(dir, 'keys');
  const state = join(dir, 'state/broker');
  const caOut = join(dir, 'ca/ca.pem');
  let port = 0;
  let dockerPort = 0;
  let broker: Broker | undefined;

  beforeAll(async () => {
    for (const principal of PRINCIPALS) ensureBrokerCredentials(keys, principal);
    mkdirSync(join(dir, 'ca'));
    [port, dockerPort] = await freePorts();
    broker = startBroker(dir, [
      ...['--port', String(port), '--listen', '127.0.0.1', '--listener', `DOCKER=kafka:${dockerPort}`],
      ...['--state-dir', state, '--users', keys, '--ca-out', caOut],
    ]);
    await waitReady(broker, port, state);
  }, 150_000);
  afterAll(async () => {
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const brokerSecurity = (principal: string) =>
    openKafkaSecurity({
      kind: 'sasl_ssl',
      caFile: caOut,
      credentialsFile: join(keys, `${principal}.kafka.json`),
    });

  it('reports where it serves and copies the CA, readable by any user, for the containers', () => {
    expect(broker?.stdout).toContain(`KAFKA_BROKERS=127.0.0.1:${port}`);
    expect(broker?.stdout).toContain(`KAFKA_ADMIN_CREDENTIALS=${state}/admin.kafka.json`);
    expect(readFileSync(caOut, 'utf8')).toBe(readFileSync(join(state, 'tls/ca.pem'), 'utf8'));
    expect(statSync(caOut).mode & 0o777).toBe(0o644);
    expect(statSync(join(state, 'admin.kafka.json')).mode & 0o777).toBe(0o600);
  });

  it('serves the compose network as "kafka", with a certificate for that name', async () => {
    const ca = readFileSync(caOut, 'utf8');
    expect(await handshake(dockerPort, ca, 'kafka')).toBe('ok');
    expect(await handshake(dockerPort, ca, 'kafka-2')).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    // A client that resolves "kafka" to this machine, as the compose network does, checking the
    // certificate against that name: the broker advertises kafka:<port> on this listener.
    const kafka = new Kafka({
      clientId: 'compose-broker-test',
      brokers: [`kafka:${dockerPort}`],
      ...kafkajsSecurity(brokerSecurity('mx-anam')),
      logLevel: logLevel.NOTHING,
      socketFactory: ({ host, port: p, ssl, onConnect }) =>
        tlsConnect(
          { ...ssl, host: host === 'kafka' ? '127.0.0.1' : host, port: p, servername: host },
          onConnect,
        ),
    });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const cluster = await admin.describeCluster();
      expect(cluster.brokers).toEqual([expect.objectContaining({ host: 'kafka', port: dockerPort })]);
    } finally {
      await admin.disconnect();
    }
  });

  it('takes every *.kafka.json as a SCRAM user, refuses everyone else, and enforces the provisioned ACLs', async () => {
    const report = await provisionNetwork({
      brokers: [`127.0.0.1:${port}`],
      security: openKafkaSecurity({
        kind: 'sasl_ssl',
        caFile: caOut,
        credentialsFile: join(state, 'admin.kafka.json'),
      }),
      namespace: 'puente',
      partiesFile: join(ROOT, 'config/parties.yaml'),
      agreementsFile: join(ROOT, 'config/agreements.yaml'),
      ...SINGLE_BROKER_PROVISIONING,
      at: new Date(),
      acls: true,
    });
    expect(report.aclsAdded).toBeGreaterThan(0);
    const brokers = [`127.0.0.1:${port}`];
    const ca = readFileSync(caOut, 'utf8');
    const mx = new BrokerProbe(brokers, brokerSecurity('mx-anam'));
    // ACLs reach the broker's authorizer through its metadata log, a moment after provisioning.
    await waitFor('the agreed write to be allowed', async () =>
      (await mx.write('puente.inbox.us-cbp')) === 'ok' ? true : undefined,
    );
    expect(await mx.write('puente.inbox.sv-dga')).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(await mx.createTopic('puente.inbox.mx-anam-2')).toBe('TOPIC_AUTHORIZATION_FAILED');
    expect(await new BrokerProbe(brokers, brokerSecurity('ops-monitor')).write('puente.inbox.us-cbp')).toBe(
      'TOPIC_AUTHORIZATION_FAILED',
    );
    expect(await new BrokerProbe(brokers, {}).connect()).toMatch(
      /KafkaJSConnectionClosedError|KafkaJSConnectionError/,
    );
    expect(await new BrokerProbe(brokers, { ssl: { ca: [ca] } }).connect()).toMatch(
      /KafkaJSConnectionClosedError|KafkaJSConnectionError/,
    );
    // The controller listener stays on the loopback address whatever --listen says.
    expect(readFileSync(join(state, 'server.properties'), 'utf8')).toContain(
      `CONTROLLER://127.0.0.1:${port + 1}`,
    );
  });

  it('stops on SIGTERM, and restarted with changed logins keeps the old ones and says so', async () => {
    await broker?.stop();
    const before = readFileSync(join(keys, 'us-cbp.kafka.json'), 'utf8');
    rmSync(join(keys, 'us-cbp.kafka.json'));
    ensureBrokerCredentials(keys, 'us-cbp');
    broker = startBroker(dir, [
      ...['--port', String(port), '--listen', '127.0.0.1', '--listener', `DOCKER=kafka:${dockerPort}`],
      ...['--state-dir', state, '--users', keys, '--ca-out', caOut],
    ]);
    await waitReady(broker, port, state);
    expect(broker.stderr).toContain('WARNING: the users of --users');
    expect(broker.stderr).not.toContain((JSON.parse(before) as { password: string }).password);
    const brokers = [`127.0.0.1:${port}`];
    expect(await new BrokerProbe(brokers, brokerSecurity('us-cbp')).connect()).toBe(
      'KafkaJSSASLAuthenticationError',
    );
    expect(await new BrokerProbe(brokers, brokerSecurity('sv-dga')).connect()).toBe('ok');
  }, 150_000);
});

interface Broker {
  readonly stdout: string;
  readonly stderr: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** `kafka.sh run …` in the foreground, with a PATH that has everything this machine has but node. */
function startBroker(dir: string, args: string[]): Broker {
  const bin = join(dir, 'bin-without-node');
  if (!existsSync(bin)) {
    mkdirSync(bin);
    for (const d of (process.env.PATH ?? '').split(delimiter).filter((p) => p && existsSync(p)))
      for (const name of readdirSync(d))
        if (name !== 'node' && !existsSync(join(bin, name))) symlinkSync(join(d, name), join(bin, name));
  }
  const child = spawn('bash', [SCRIPT, 'run', ...args], {
    env: {
      PATH: bin,
      PUENTE_KAFKA_LIB: process.env.PUENTE_KAFKA_LIB ?? join(ROOT, '.puente/kafka/lib'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  child.stdout?.on('data', (d: Buffer) => (out.stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out.stderr += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    get stdout() {
      return out.stdout;
    },
    get stderr() {
      return out.stderr;
    },
    process: child,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Until the admin principal's SCRAM login over TLS is answered (what the compose health check asks). */
async function waitReady(broker: Broker, port: number, state: string): Promise<void> {
  await waitFor(
    'the broker to serve its admin over SASL_SSL',
    async () => {
      if (broker.process.exitCode !== null) throw new Error(`kafka.sh run exited: ${broker.stderr}`);
      if (!existsSync(join(state, 'admin-client.properties'))) return undefined;
      const security = openKafkaSecurity({
        kind: 'sasl_ssl',
        caFile: join(state, 'tls/ca.pem'),
        credentialsFile: join(state, 'admin.kafka.json'),
      });
      return (await new BrokerProbe([`127.0.0.1:${port}`], security).connect()) === 'ok' ? true : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 500 },
  );
}

/** A TLS handshake checking the certificate against `servername`: 'ok' or the error code. */
function handshake(port: number, ca: string, servername: string): Promise<string> {
  return new Promise((done) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, ca, servername }, () => {
      socket.destroy();
      done('ok');
    });
    socket.setTimeout(5_000, () => {
      socket.destroy();
      done('timeout');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  });
}

/** A port whose next one is free too (the controller's), and another for the compose listener. */
async function freePorts(): Promise<[number, number]> {
  const free = (p: number) =>
    new Promise<boolean>((r) => {
      const s = createServer();
      s.once('error', () => r(false));
      s.listen(p, '127.0.0.1', () => s.close(() => r(true)));
    });
  const any = () =>
    new Promise<number>((r) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const address = s.address();
        s.close(() => r(typeof address === 'object' && address ? address.port : 0));
      });
    });
  for (;;) {
    const p = await any();
    if (p > 0 && p < 65534 && (await free(p + 1))) {
      const q = await any();
      if (q !== p && q !== p + 1) return [p, q];
    }
  }
}
