import { describe, it, expect } from 'vitest';
import { applyEvent } from '../../collector/models/stats.ts';
import { emptyStats } from '../../collector/profile.ts';
import { DEFAULT_SCORING } from '../../collector/models/config.ts';

describe('applyEvent', () => {
  it('counts trusted orders only', () => {
    const s = emptyStats(0);
    applyEvent(s, { type: 'track', name: 'Order Completed', ts: 1, trusted: false, properties: { revenue: 10 } }, DEFAULT_SCORING);
    applyEvent(s, { type: 'track', name: 'Order Completed', ts: 2, trusted: true, properties: { revenue: 10 } }, DEFAULT_SCORING);
    expect(s.orders).toBe(1);
  });
});
