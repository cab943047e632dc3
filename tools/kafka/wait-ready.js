// Waits until the broker answers a metadata request and can create a topic, or fails after a deadline.
const { Kafka, logLevel } = require('kafkajs');

const [brokers, deadlineSeconds = '60'] = process.argv.slice(2);
const kafka = new Kafka({
  clientId: 'puente-kafka-wait',
  brokers: brokers.split(','),
  logLevel: logLevel.NOTHING,
  retry: { retries: 0 },
});
const deadline = Date.now() + Number(deadlineSeconds) * 1000;

(async () => {
  for (;;) {
    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      await admin.disconnect();
      if (cluster.brokers.length > 0 && cluster.controller !== null) process.exit(0);
    } catch {
      await admin.disconnect().catch(() => undefined);
    }
    if (Date.now() > deadline) process.exit(1);
    await new Promise((r) => setTimeout(r, 300));
  }
})();
