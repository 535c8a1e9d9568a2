import { guardedLookup, isPrivateAddress, literalHostProblem } from '../../src/webhooks/delivery/receiver-address.js';
import { retryDelayMs } from '../../src/webhooks/delivery/retry-delay.js';
import { signatureHeader, verifySignature, webhookSigningKey } from '../../src/webhooks/signing.js';

describe('webhook signatures', () => {
  const key = webhookSigningKey('server-secret-0123456789', 'ops');
  const body = '{"eventId":"e1"}';
  const now = 1_790_000_000;

  it('derive one key per subscription from the server secret', () => {
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(webhookSigningKey('server-secret-0123456789', 'other')).not.toBe(key);
    expect(webhookSigningKey('another-secret-0123456789', 'ops')).not.toBe(key);
  });

  it('verify the exact body within the tolerance, and nothing else', () => {
    const header = signatureHeader(key, now, body);
    expect(verifySignature(key, header, body, now + 10)).toBe(true);
    expect(verifySignature(key, header, body.replace('e1', 'e2'), now)).toBe(false);
    expect(verifySignature(webhookSigningKey('server-secret-0123456789', 'x'), header, body, now)).toBe(false);
    expect(verifySignature(key, header, body, now + 301)).toBe(false);
    expect(verifySignature(key, header.replace(`t=${now}`, `t=${now + 1}`), body, now)).toBe(false);
    expect(verifySignature(key, 'v1=abc', body, now)).toBe(false);
  });
});

describe('webhook receivers on private addresses', () => {
  it('knows private, loopback, link-local and mapped addresses from public ones', () => {
    for (const a of ['10.1.2.3', '127.0.0.1', '169.254.169.254', '172.20.0.1', '192.168.1.1', '100.64.0.1', '::1', 'fd00::1', 'fe80::1', '::ffff:10.0.0.1']) {
      expect([a, isPrivateAddress(a)]).toEqual([a, true]);
    }
    for (const a of ['93.184.216.34', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8']) expect([a, isPrivateAddress(a)]).toEqual([a, false]);
  });

  it('refuses private literal hosts and localhost at registration unless allowed', () => {
    expect(literalHostProblem('http://127.0.0.1:9000/h', false)).toMatch(/private/);
    expect(literalHostProblem('http://[::1]:9000/h', false)).toMatch(/private/);
    expect(literalHostProblem('http://localhost/h', false)).toMatch(/local/);
    expect(literalHostProblem('https://hooks.example.com/h', false)).toBeNull();
    expect(literalHostProblem('http://127.0.0.1:9000/h', true)).toBeNull();
  });

  it('refuses a name that resolves to a private address when connecting, unless allowed', async () => {
    const resolve = (allow: boolean) =>
      new Promise<{ error: Error | null; address: unknown }>((done) =>
        guardedLookup(allow)('localhost', {}, (error, address) => done({ error, address })),
      );
    expect((await resolve(false)).error?.message).toMatch(/private address: refused/);
    const allowed = await resolve(true);
    expect(allowed.error).toBeNull();
    expect(isPrivateAddress(String(allowed.address))).toBe(true);
  });
});

describe('retry backoff', () => {
  it('doubles from the base up to the cap, with at most 20% taken off', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 1000, 5000, () => 0))).toEqual([1000, 2000, 4000, 5000]);
    expect(retryDelayMs(1, 1000, 5000, () => 1)).toBe(800);
  });
});
