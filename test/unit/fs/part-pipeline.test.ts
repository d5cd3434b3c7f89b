import { describe, expect, test } from 'vitest';
import { PartPipeline } from '../../../src/fs/part-pipeline.js';

function seq(from: number, n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (from + i) & 0xff);
}

/** A send that records parts (copied) and lets the test decide when each completes. */
function recorder() {
  const parts: { bytes: number[]; index: number; offset: number }[] = [];
  const pending: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const send = (part: Uint8Array, index: number, offset: number): Promise<void> => {
    parts.push({ bytes: [...part], index, offset });
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    return new Promise<void>((resolve, reject) => pending.push({ resolve: () => (inFlight--, resolve()), reject: (e) => (inFlight--, reject(e)) }));
  };
  return { parts, pending, send, maxInFlight: () => maxInFlight };
}

describe('PartPipeline', () => {
  test('a file of at most one part is never sent: finish hands it back whole', async () => {
    const r = recorder();
    const p = new PartPipeline(10, r.send);
    await p.write(seq(0, 4));
    await p.write(seq(4, 6));
    expect([...(await p.finish())]).toEqual([...seq(0, 10)]);
    expect(r.parts).toEqual([]);
    expect(p.partsSent).toBe(0);
  });

  test('parts are exactly partSize bytes in order with their offsets; the last one comes back from finish', async () => {
    const sent: { bytes: number[]; index: number; offset: number }[] = [];
    const p = new PartPipeline(4, async (part, index, offset) => {
      sent.push({ bytes: [...part], index, offset });
    });
    for (const [from, n] of [[0, 3], [3, 7], [10, 1], [11, 2]] as const) await p.write(seq(from, n));
    const rest = await p.finish();
    expect(sent).toEqual([
      { bytes: [...seq(0, 4)], index: 0, offset: 0 },
      { bytes: [...seq(4, 4)], index: 1, offset: 4 },
      { bytes: [...seq(8, 4)], index: 2, offset: 8 },
    ]);
    expect([...rest]).toEqual([...seq(12, 1)]);
    expect(p.bytesSent).toBe(12);
  });

  test('one part is sent while the next fills; a write that would need a third buffer waits for the send', async () => {
    const r = recorder();
    const p = new PartPipeline(4, r.send);
    await p.write(seq(0, 8)); // part 0 full, part 1 full: nothing sent yet (no byte beyond part 1)
    expect(r.parts).toHaveLength(1); // part 0 went out when part 1 began
    let done = false;
    const w = p.write(seq(8, 1)).then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(done).toBe(false); // part 1 cannot go out before part 0 finished
    r.pending[0]!.resolve();
    await w;
    expect(r.parts.map((x) => x.index)).toEqual([0, 1]);
    expect(r.maxInFlight()).toBe(1);
    r.pending[1]!.resolve();
    expect([...(await p.finish())]).toEqual([8]);
  });

  test("the part's bytes stay unchanged until its send settles, though the caller reuses its buffer", async () => {
    const seen: Uint8Array[] = [];
    const r = recorder();
    const p = new PartPipeline(4, (part, i, o) => {
      seen.push(part);
      return r.send(part, i, o);
    });
    const buf = new Uint8Array(4);
    for (let k = 0; k < 2; k++) {
      buf.fill(k + 1);
      await p.write(buf);
    }
    buf.fill(9);
    const w = p.write(buf.subarray(0, 1));
    expect([...seen[0]!]).toEqual([1, 1, 1, 1]);
    r.pending[0]!.resolve();
    await w;
    r.pending[1]!.resolve();
    await p.finish();
  });

  test('a failed send fails the next write and finish with its error; drain never throws', async () => {
    const r = recorder();
    const p = new PartPipeline(2, r.send);
    await p.write(seq(0, 3));
    r.pending[0]!.reject(new Error('boom'));
    await expect(p.write(seq(3, 2))).rejects.toThrow('boom');
    await expect(p.finish()).rejects.toThrow('boom');
    await expect(p.write(seq(5, 1))).rejects.toThrow('boom');
    await p.drain();
  });
});
