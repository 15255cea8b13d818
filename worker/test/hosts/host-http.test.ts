// Every request to a git host goes through hostFetch: one that would fold into another path is never sent.

import { describe, expect, it, vi } from 'vitest';
import { foldsPath, hostFetch } from '../../src/hosts/host-http.ts';

const options = { hostLabel: 'Bitbucket', hostWebUrl: 'https://bitbucket.example', backoffMs: [0, 0] };

describe('foldsPath', () => {
  it.each([
    ['https://h/rest/api/1.0/projects/P/repos/r/browse/../../../Q/repos/s/browse/x', true],
    ['https://h/api/v4/projects/1/repository/branches/%2E%2E', true],
    ['https://h/api/v4/projects/1/repository/branches/.%2e/x', true],
    ['https://h/a/./b', true],
    ['https://h/a/b\\..\\c', true],
    ['https://h/repos/../../git/ref/heads%2Fmain', true],
    ['https://h/repos/o/r/contents/..%2F..%2Fx?ref=main', false],
    ['https://h/repos/o/r/contents/.github%2Fci.yml', false],
    ['https://h/repos/o/r/commits?sha=..&path=../x', false],
    ['https://h/repos/o/v1.0..v1.1', false],
  ])('%s → %s', (url, folds) => {
    expect(foldsPath(url)).toBe(folds);
  });
});

describe('hostFetch', () => {
  it('never sends a request whose path folds, and says why', async () => {
    const fetch = vi.fn(async () => new Response('{}'));
    const result = await hostFetch(
      'https://h/rest/api/1.0/projects/P/repos/r/browse/%2e%2e/%2e%2e/x',
      {},
      {
        ...options,
        fetch,
      },
    );
    expect(fetch).not.toHaveBeenCalled();
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input', status: 400 } });
  });
});
