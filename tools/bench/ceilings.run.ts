// Prints the two ceilings of the exchange benchmark (node tools/run-ts.js tools/bench/ceilings.run.ts):
// the crypto one always, the transport one when KAFKA_BROKERS names a broker.
// Optional: CEILING_COUNT, CEILING_TRANSPORT_COUNT, CEILING_PAYLOAD_BYTES.
import { clientSecurityFor, kafkaAccessFromEnv } from '@app/testing';
import { formatCryptoCeiling, formatTransportCeiling } from './ceilings/ceilings.format';
import { measureCryptoCeiling } from './ceilings/crypto.ceiling';
import { measureTransportCeiling } from './ceilings/transport.ceiling';

const numberFrom = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
};

async function main(): Promise<void> {
  const payloadBytes = numberFrom('CEILING_PAYLOAD_BYTES', 2048);
  const crypto = await measureCryptoCeiling({ count: numberFrom('CEILING_COUNT', 5000), payloadBytes });
  process.stdout.write(`${formatCryptoCeiling(crypto)}\n\n`);

  const access = kafkaAccessFromEnv();
  const brokers = [...access.brokers];
  if (brokers.length === 0) {
    process.stdout.write('Transport ceiling skipped: set KAFKA_BROKERS to measure it.\n');
    return;
  }
  const transport = await measureTransportCeiling({
    brokers,
    // A secured broker: KAFKA_CA_FILE, KAFKA_ADMIN_CREDENTIALS and PUENTE_TEST_KAFKA_USERS.
    security: clientSecurityFor(access, 'admin'),
    count: numberFrom('CEILING_TRANSPORT_COUNT', 20_000),
    payloadBytes,
  });
  process.stdout.write(`${formatTransportCeiling(transport)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
