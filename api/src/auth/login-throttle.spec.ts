import { describe, expect, it } from 'vitest';
import { MemoryLoginThrottle } from './login-throttle';

function throttle() {
  let now = 1_000_000;
  const t = new MemoryLoginThrottle({ maxPerAccount: 3, maxPerAddress: 5, windowSeconds: 60 }, () => now);
  return { t, advance: (ms: number) => (now += ms) };
}

describe('MemoryLoginThrottle', () => {
  it('locks an account after its limit of failures, for the rest of the window', async () => {
    const { t, advance } = throttle();
    for (let i = 0; i < 3; i++) await t.recordFailure('a@x', '1.1.1.1');
    expect(await t.retryAfter('a@x', '2.2.2.2')).toBe(60);
    advance(30_000);
    expect(await t.retryAfter('a@x', '2.2.2.2')).toBe(30);
    advance(30_000);
    expect(await t.retryAfter('a@x', '2.2.2.2')).toBe(0);
  });

  it('locks an address that tries many accounts', async () => {
    const { t } = throttle();
    for (let i = 0; i < 5; i++) await t.recordFailure(`user${i}@x`, '1.1.1.1');
    expect(await t.retryAfter('someone-else@x', '1.1.1.1')).toBe(60);
    expect(await t.retryAfter('someone-else@x', '9.9.9.9')).toBe(0);
  });

  it('clears the account count on success but keeps the address count', async () => {
    const { t } = throttle();
    for (let i = 0; i < 2; i++) await t.recordFailure('a@x', '1.1.1.1');
    await t.recordSuccess('a@x');
    await t.recordFailure('a@x', '1.1.1.1');
    expect(await t.retryAfter('a@x', '3.3.3.3')).toBe(0);
  });
});
