import { describe, it, expect } from 'vitest';
import { correctedTimestamp } from '../../collector/services/ingest.ts';
import { setup } from '../collector/helpers.ts';

describe('clock skew', () => {
  const received = Date.UTC(2026, 10, 1, 12, 0, 0);
  it('corrects timestamp with sentAt vs. receive time, as the Segment spec describes', () => {
    // A client clock 1 hour fast: it says the event happened 5 s before it sent the batch.
    const sentAt = received + 3600_000;
    expect(correctedTimestamp({ timestamp: sentAt - 5000, sentAt }, received)).toBe(received - 5000);
    // The batch-level sentAt is used when the message has none.
    expect(correctedTimestamp({ timestamp: sentAt - 5000 }, received, sentAt)).toBe(received - 5000);
    // Without sentAt, a timestamp from the future is clamped to the receive time.
    expect(correctedTimestamp({ timestamp: received + 99_000 }, received)).toBe(received);
    // Without timestamp, the event happened when it arrived.
    expect(correctedTimestamp({}, received)).toBe(received);
    // Corrected to before 1970 (an epoch-0 timestamp from a fast clock): 1970, as the protocol's own floor.
    expect(correctedTimestamp({ timestamp: 0, sentAt: 3600_000 }, 1000)).toBe(0);
  });

  it("reads a date-time without an offset as UTC, whatever the server's time zone", async () => {
    const { trackMessage } = await import('../../collector/protocol.ts');
    const parse = (timestamp: string) => trackMessage.parse({ type: 'track', anonymousId: 'a', event: 'X', timestamp }).timestamp;
    const before = process.env.TZ;
    try {
      for (const tz of ['Asia/Ho_Chi_Minh', 'America/New_York']) {
        process.env.TZ = tz;
        expect(parse('2026-11-01T10:00:00')).toBe(Date.UTC(2026, 10, 1, 10));
        expect(parse('2026-11-01T10:00:00.250')).toBe(Date.UTC(2026, 10, 1, 10, 0, 0, 250));
        expect(parse('2026-11-01T10:00:00+07:00')).toBe(Date.UTC(2026, 10, 1, 3));
      }
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  });

  it('stores the corrected time on ingest', async () => {
    const t = await setup();
    const now = t.now();
    const fast = new Date(now + 7200_000);
    await t.post('/v1/batch', { writeKey: t.site.writeKey, sentAt: fast.toISOString(), batch: [{ type: 'track', anonymousId: 'skew', event: 'X', timestamp: new Date(fast.getTime() - 60_000).toISOString() }] });
    expect(t.store.db.prepare('SELECT ts FROM events').get()).toEqual({ ts: now - 60_000 });
  });
});
