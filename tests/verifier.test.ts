import { createLocalJWKSet } from 'jose';
import { generateSigningKey } from '../src/auth/keys';
import { signToken } from '../src/auth/token';
import { createVerifier } from '../src/auth/verifier';
import { DEV_AUDIENCE, DEV_ISSUER } from '../src/config';

/** Verified tokens are remembered for a while, never past their expiry and never when they fail. */
afterEach(() => jest.useRealTimers());

async function setup() {
  const key = await generateSigningKey();
  const keySet = createLocalJWKSet({ keys: [key.publicJwk] });
  const lookups = { count: 0 };
  const verify = createVerifier(
    (...args) => {
      lookups.count++;
      return keySet(...args);
    },
    DEV_ISSUER,
    DEV_AUDIENCE,
  );
  const token = (ttl: string) =>
    signToken(key, DEV_ISSUER, DEV_AUDIENCE, { dept: 'CIVIL_AFFAIRS', region: '630121', roles: ['reader'], ttl });
  return { verify, token, lookups };
}

test('a remembered token still stops being accepted at its expiry', async () => {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  const { verify, token } = await setup();
  const short = await token('5s');
  expect((await verify(short)).region).toBe('630121');
  expect((await verify(short)).region).toBe('630121');
  jest.setSystemTime(Date.now() + 6_000);
  await expect(verify(short)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
});

test('a token is verified again after a minute, and a failed one is never remembered', async () => {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  const { verify, token, lookups } = await setup();
  const good = await token('1h');
  await verify(good);
  await verify(good);
  expect(lookups.count).toBe(1);
  const tampered = `${good.slice(0, -4)}AAAA`;
  await expect(verify(tampered)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  await expect(verify(tampered)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  expect(lookups.count).toBe(3);
  jest.setSystemTime(Date.now() + 61_000);
  expect((await verify(good)).dept).toBe('CIVIL_AFFAIRS');
  expect(lookups.count).toBe(4);
});
