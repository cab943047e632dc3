import { WakeLoop } from './wake-loop';

describe('WakeLoop', () => {
  it('runs one pass at a time, a wake-up during a pass runs another after it, and a failure does not stop it', async () => {
    let active = 0;
    let maxActive = 0;
    let passes = 0;
    const failures: unknown[] = [];
    const loop = new WakeLoop(
      async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        passes++;
        await new Promise((r) => setTimeout(r, 5));
        active--;
        if (passes === 2) throw new Error('second pass fails');
      },
      (e) => failures.push(e),
    );
    const first = loop.wake();
    const second = loop.wake();
    await Promise.all([first, second]);
    await loop.wake();
    expect({ passes, maxActive, failures: failures.length }).toEqual({
      passes: 3,
      maxActive: 1,
      failures: 1,
    });
    await loop.stop();
  });
});
