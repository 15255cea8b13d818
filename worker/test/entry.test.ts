// The Worker's entry (src/index.ts): `GET /` is answered by the landing app alone, before the rest of the launcher
// is loaded; every answer, that one included, is the whole app's (src/app.ts).

import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import worker from '../src/index.ts';

const ORIGIN = 'https://launchpod.test';
const testEnv: Env = {
  ...env,
  LAUNCHER_ORIGIN: ORIGIN,
  BRAND_NAME: 'Launchpod',
  HOSTS: '[]',
  CLUSTERS: '[]',
};
const whole = createApp();

async function answers(path: string, init: RequestInit = {}, environment = testEnv) {
  const answer = async (fetch: typeof worker.fetch) => {
    const ctx = createExecutionContext();
    const response = await fetch(new Request(`${ORIGIN}${path}`, init) as never, environment, ctx);
    await waitOnExecutionContext(ctx);
    const headers = Object.fromEntries(
      [...response.headers].filter(([name]) => name !== 'set-cookie' && name !== 'date'),
    );
    return {
      status: response.status,
      headers,
      cookie: response.headers.get('set-cookie'),
      body: await response.text(),
    };
  };
  return { entry: await answer(worker.fetch), app: await answer(whole.fetch as typeof worker.fetch) };
}

describe('the Worker entry', () => {
  it("answers GET / with the whole app's landing page, headers and new owner cookie", async () => {
    const { entry, app } = await answers('/');
    expect(entry.status).toBe(200);
    expect(entry.body).toContain('<form');
    expect(entry.body).toBe(app.body);
    expect(entry.headers).toEqual(app.headers);
    expect(entry.headers['content-security-policy']).toContain("default-src 'none'");
    expect(entry.cookie).toMatch(
      /^lp_owner=anon-[0-9a-f-]{36}; Max-Age=31536000; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
    );
    expect(app.cookie).toMatch(
      /^lp_owner=anon-[0-9a-f-]{36}; Max-Age=31536000; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
    );
  });

  it("answers a misconfigured launcher's GET / with the whole app's operator error page", async () => {
    const { entry, app } = await answers('/', {}, { ...testEnv, LAUNCHER_ORIGIN: 'launchpod.test' });
    expect(entry.status).toBe(500);
    expect(entry.body).toContain('This launcher is not configured correctly');
    expect(entry).toEqual(app);
  });

  it('answers every other request from the whole app', async () => {
    for (const [path, init] of [
      ['/robots.txt', {}],
      ['/assets/launchpod.css', {}],
      ['/', { method: 'HEAD' }],
      ['/api/v1/nothing-here', {}],
    ] as const) {
      const { entry, app } = await answers(path, init);
      expect(entry.status, path).toBe(app.status);
      expect(entry.headers, path).toEqual(app.headers);
      expect(entry.body, path).toBe(app.body);
    }
  });
});
