// Run by payload.encrypter.spec.ts in a child process, under constant garbage collection
// (`--max-semi-space-size=1`): encrypts many payloads, 16 at a time, and prints how many. A deadlock
// in the encryption path (see encryptFor) shows as this process never finishing.
import { encryptFor } from './payload.encrypter';
import { keysFixture, removeDir } from './signing.test-fixture';

async function main(total: number): Promise<void> {
  const keys = await keysFixture(['sv-dgme', 'us-cbp']);
  try {
    const plaintext = new TextEncoder().encode('x'.repeat(2000));
    const binding = { sender: 'sv-dgme', messageId: '01935a4e-0000-7000-8000-00000000000a', type: 't' };
    let done = 0;
    while (done < total) {
      await Promise.all(
        Array.from({ length: 16 }, () => encryptFor('us-cbp', plaintext, keys.trust, binding)),
      );
      done += 16;
    }
    process.stdout.write(`encrypted ${done}\n`);
  } finally {
    removeDir(keys.dir);
  }
}

void main(Number(process.argv[2] ?? 40_000));
