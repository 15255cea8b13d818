import { describe, expect, it } from 'vitest';
import { testLauncherConnection } from './launcher-connection.ts';

const ORIGIN = 'https://launchpod.example';
const answering =
  (status: number, body: string, seen: string[] = []): typeof fetch =>
  async (input) => {
    seen.push(String(input));
    return new Response(body, { status, headers: { 'content-type': 'application/json' } });
  };

describe('the launcher connection test', () => {
  it('asks the public status API, and says the launcher answered', async () => {
    const seen: string[] = [];
    const body = JSON.stringify({ launchable: false, reason: 'Nothing to open.', code: 'empty' });
    expect(await testLauncherConnection(ORIGIN, answering(200, body, seen))).toEqual({
      ok: true,
      message: `Connected: the Launchpod launcher at ${ORIGIN} answered.`,
    });
    expect(seen).toEqual([`${ORIGIN}/api/v1/status?url=`]);
  });

  it('counts a rate-limited answer as an answer', async () => {
    expect((await testLauncherConnection(ORIGIN, answering(429, '{}'))).ok).toBe(true);
  });

  it('says when something else answers at the address', async () => {
    expect(await testLauncherConnection(ORIGIN, answering(404, '<h1>Not found</h1>'))).toEqual({
      ok: false,
      message: `${ORIGIN} answered (HTTP 404), but not as a Launchpod launcher. Check the address.`,
    });
  });

  it('says when nothing answers, and when it took too long', async () => {
    const refused: typeof fetch = async () => {
      throw new TypeError('Failed to fetch');
    };
    expect((await testLauncherConnection(ORIGIN, refused)).message).toBe(
      `${ORIGIN} did not answer. Check the address, and that the launcher is running and reachable from this computer.`,
    );
    const slow: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
      );
    expect((await testLauncherConnection(ORIGIN, slow, 50)).message).toContain(
      'did not answer within 0.05 s',
    );
  });
});
