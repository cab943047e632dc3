// Waits until the broker answers a metadata request with a controller and the cluster lists at least
// <expected brokers> (default 1) brokers, or fails after a deadline.
// usage: wait-ready.js <brokers> <deadline s> [plaintext|sasl_ssl <ca.pem> <admin credentials file>] [expected brokers]
const { readFileSync } = require('node:fs');
const { Kafka, logLevel } = require('kafkajs');

const [brokers, deadlineSeconds = '60', security = 'plaintext', caFile, credentialsFile, expected = '1'] =
  process.argv.slice(2);
const secured =
  security === 'sasl_ssl'
    ? (() => {
        const { username, password } = JSON.parse(readFileSync(credentialsFile, 'utf8'));
        return {
          ssl: { ca: [readFileSync(caFile, 'utf8')] },
          sasl: { mechanism: 'scram-sha-512', username, password },
        };
      })()
    : {};
const kafka = new Kafka({
  clientId: 'puente-kafka-wait',
  brokers: brokers.split(','),
  logLevel: logLevel.NOTHING,
  retry: { retries: 0 },
  ...secured,
});
const deadline = Date.now() + Number(deadlineSeconds) * 1000;

(async () => {
  for (;;) {
    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      await admin.disconnect();
      if (cluster.brokers.length >= Number(expected) && cluster.controller !== null) process.exit(0);
    } catch {
      await admin.disconnect().catch(() => undefined);
    }
    if (Date.now() > deadline) process.exit(1);
    await new Promise((r) => setTimeout(r, 300));
  }
})();
