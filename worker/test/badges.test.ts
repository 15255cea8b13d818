import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';

const ORIGIN = 'https://launchpod.test';
const app = createApp();
const testEnv = { ...env, LAUNCHER_ORIGIN: ORIGIN, BRAND_NAME: 'Launchpod <Dev>' };

async function get(path: string, headers: Record<string, string> = {}) {
  const ctx = createExecutionContext();
  const response = await app.fetch(new Request(`${ORIGIN}${path}`, { headers }), testEnv, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

describe('badges', () => {
  it('serves the open-in button as an SVG with the brand escaped, an ETag and long caching', async () => {
    const response = await get('/button/open-in.svg');
    const svg = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=86400');
    expect(svg).toContain('Launchpod &lt;Dev&gt;');
    expect(svg).not.toContain('<Dev>');
    const etag = response.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[0-9a-f]{20}"$/);
    const again = await get('/button/open-in.svg', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    const dark = await (await get('/button/open-in.svg?theme=dark&size=large')).text();
    expect(dark).toContain('#4493f8');
    expect(dark).not.toBe(svg);
  });

  it('serves the live prebuild badge for a context, briefly cached', async () => {
    const response = await get(
      `/badge.svg?url=${encodeURIComponent('https://github.com/launchpod-samples/node-app')}`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=60');
    expect(await response.text()).toContain('aria-label="Launchpod &lt;Dev&gt;: prebuild none"');
    const bad = await get('/badge.svg?url=javascript:alert(1)');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('unknown repository URL');
  });

  it('offers copy-ready snippets for four formats on the badge page, linked from the landing page', async () => {
    expect(await (await get('/')).text()).toContain('<a href="/badge">make one for your repository</a>');
    const empty = await (await get('/badge')).text();
    expect(empty).toContain('<form class="open" method="get" action="/badge">');
    const html = await (
      await get(`/badge?url=${encodeURIComponent('git@github.com:launchpod-samples/node-app.git')}`)
    ).text();
    expect(html).toContain(
      '[![Open in Launchpod &lt;Dev>](https://launchpod.test/button/open-in.svg)](https://launchpod.test/#https://github.com/launchpod-samples/node-app)',
    );
    expect(html).toContain('.. image:: https://launchpod.test/button/open-in.svg');
    expect(html).toContain(
      'image:https://launchpod.test/button/open-in.svg[Open in Launchpod &lt;Dev>,link=&quot;https://launchpod.test/#https://github.com/launchpod-samples/node-app&quot;]',
    );
    expect(html).toContain(
      'https://launchpod.test/badge.svg?url=git%40github.com%3Alaunchpod-samples%2Fnode-app.git',
    );
    // The previews link where the pasted badges do: a click opens the workspace, as from a README.
    expect(html).toContain(
      '<a href="https://launchpod.test/#https://github.com/launchpod-samples/node-app" class="badge-preview"><img src="https://launchpod.test/button/open-in.svg"',
    );
    expect(html.match(/class="badge-preview"/g)).toHaveLength(2);
    expect(html).toContain('<script src="/assets/badge.js" defer>');
    const wrong = await (await get('/badge?url=https://nowhere.example/o/r')).text();
    expect(wrong).toContain('nowhere.example is not a git host this launcher knows');
  });
});
