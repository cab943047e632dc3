import { readCapped } from './node-health.http.poller';

const streamOf = (chunks: number, size: number) =>
  new Response(
    new ReadableStream({
      start(controller) {
        for (let i = 0; i < chunks; i++) controller.enqueue(new Uint8Array(size).fill(97));
        controller.close();
      },
    }),
  );

describe('readCapped', () => {
  it('reads an answer within the limit', async () => {
    expect(await readCapped(new Response('ok'), 10)).toBe('ok');
    expect(await readCapped(streamOf(3, 100), 300)).toHaveLength(300);
  });

  it('stops reading an answer over the limit, declared or streamed', async () => {
    await expect(
      readCapped(new Response('x'.repeat(20), { headers: { 'content-length': '20' } }), 10),
    ).rejects.toThrow('over the 10-byte limit');
    await expect(readCapped(streamOf(1_000, 1_000), 10_000)).rejects.toThrow('over the 10000-byte limit');
  });
});
