import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { validateAnchorTable } from '../../extension/src/hosts/anchor-table.ts';
import { bundledAnchorTable } from '../../extension/src/hosts/bundled.ts';
import { createApp } from '../src/app.ts';
import { anchorTableResponse } from '../src/extension-anchors.ts';

const ORIGIN = 'https://launchpod.test';
const app = createApp();
const testEnv = { ...env, LAUNCHER_ORIGIN: ORIGIN, BRAND_NAME: 'Launchpod' } as Env;

async function get(path: string, headers: Record<string, string> = {}) {
  const ctx = createExecutionContext();
  const response = await app.fetch(new Request(`${ORIGIN}${path}`, { headers }), testEnv, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

describe('GET /api/v1/extension/anchors', () => {
  it('serves the bundled anchor table, versioned, valid and cacheable', async () => {
    const response = await get('/api/v1/extension/anchors');
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(validateAnchorTable(body).ok).toBe(true);
    expect(body).toEqual(bundledAnchorTable);
    expect(response.headers.get('etag')).toBe(`"anchors-v1-r${bundledAnchorTable.revision}"`);
    expect(response.headers.get('cache-control')).toBe('public, max-age=3600');
  });

  it('answers 304 when the extension already has this revision', async () => {
    const first = await get('/api/v1/extension/anchors');
    const again = await get('/api/v1/extension/anchors', {
      'if-none-match': first.headers.get('etag') ?? '',
    });
    expect(again.status).toBe(304);
  });

  it('lets a moz-extension origin read it (CORS), as public data without credentials', async () => {
    const response = await get('/api/v1/extension/anchors', {
      origin: 'moz-extension://0a1b2c3d-0000-4000-8000-000000000000',
    });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('never serves a table that fails validation', () => {
    const broken = {
      ...bundledAnchorTable,
      families: {
        ...bundledAnchorTable.families,
        github: [{ kinds: ['repo'], candidates: [{ selector: 'a{}', position: 'before' }], evidence: [] }],
      },
    };
    const answer = anchorTableResponse(broken);
    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({ detail: expect.stringContaining('selector contains') });
  });
});

describe('validateAnchorTable', () => {
  const valid = structuredClone(bundledAnchorTable) as unknown as Record<string, unknown>;
  it.each([
    ['not an object', 'nope', 'not a JSON object'],
    ['another version', { ...valid, version: 2 }, 'version must be 1'],
    ['a missing family', { ...valid, families: { github: [] } }, 'families.gitlab must be a list'],
    [
      'an unknown page kind',
      {
        ...valid,
        families: {
          ...(valid.families as object),
          github: [{ kinds: ['wiki'], candidates: [{ selector: 'a', position: 'before' }], evidence: [] }],
        },
      },
      'unknown page kind',
    ],
    [
      'a bad position',
      {
        ...valid,
        families: {
          ...(valid.families as object),
          gitlab: [{ kinds: ['repo'], candidates: [{ selector: 'a', position: 'inside' }], evidence: [] }],
        },
      },
      'position must be one of',
    ],
    [
      'a style block in a selector',
      {
        ...valid,
        families: {
          ...(valid.families as object),
          gitlab: [
            { kinds: ['repo'], candidates: [{ selector: 'a{color:red}', position: 'before' }], evidence: [] },
          ],
        },
      },
      'selector contains',
    ],
  ])('refuses %s', (_name, table, message) => {
    const checked = validateAnchorTable(table);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.error).toContain(message);
  });
});
