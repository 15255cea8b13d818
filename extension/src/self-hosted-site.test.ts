import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  linkPattern,
  originPermission,
  type SelfHostedSite,
  scriptId,
  scriptMatch,
  siteFor,
  storedSites,
} from './self-hosted-site.ts';

const gitlab: SelfHostedSite = { origin: 'https://corp.example', family: 'gitlab', basePath: '/gitlab' };
const bitbucket: SelfHostedSite = {
  origin: 'https://corp.example',
  family: 'bitbucket-server',
  basePath: '/bitbucket',
};
const root: SelfHostedSite = { origin: 'https://corp.example', family: 'github', basePath: '' };
const other: SelfHostedSite = { origin: 'https://git.other.example:8443', family: 'gitlab', basePath: '' };

describe('a listed self-hosted site', () => {
  it('asks for its origin, runs under its base path only, and offers links below it', () => {
    expect(originPermission(gitlab)).toBe('https://corp.example/*');
    expect(scriptMatch(gitlab)).toBe('https://corp.example/gitlab/*');
    expect(linkPattern(gitlab)).toBe('https://corp.example/gitlab/*/*');
    expect(scriptId(gitlab)).toBe('self-hosted:https://corp.example/gitlab');
    // A root site keeps the id, pattern and link pattern it had before base paths existed.
    expect(scriptId(other)).toBe('self-hosted:https://git.other.example:8443');
    expect(scriptMatch(other)).toBe('https://git.other.example:8443/*');
    expect(linkPattern(other)).toBe('https://git.other.example:8443/*/*');
  });

  describe('in Firefox, whose match patterns cannot name a port', () => {
    afterEach(() => vi.unstubAllGlobals());

    it('asks for and matches the host name on every port; the button still goes only to the listed origin', () => {
      vi.stubGlobal('location', { protocol: 'moz-extension:' });
      expect(originPermission(other)).toBe('https://git.other.example/*');
      expect(scriptMatch(other)).toBe('https://git.other.example/*');
      expect(linkPattern(other)).toBe('https://git.other.example/*/*');
      const demo: SelfHostedSite = { origin: 'http://127.0.0.1:41234', family: 'gitea', basePath: '/git' };
      expect(originPermission(demo)).toBe('http://127.0.0.1/*');
      expect(scriptMatch(demo)).toBe('http://127.0.0.1/git/*');
      // Without a port the pattern is the origin, as in Chrome.
      expect(scriptMatch(gitlab)).toBe('https://corp.example/gitlab/*');
      expect(siteFor('http://127.0.0.1:8787/git/platform/node-app', [demo])).toBeUndefined();
      expect(siteFor('http://127.0.0.1:41234/git/platform/node-app', [demo])).toStrictEqual(demo);
    });

    it('keeps the port in Chrome', () => {
      vi.stubGlobal('location', { protocol: 'chrome-extension:' });
      expect(originPermission(other)).toBe('https://git.other.example:8443/*');
    });
  });

  it.each([
    ['https://corp.example/gitlab/group/project/-/merge_requests/3', gitlab],
    ['https://corp.example/gitlab', gitlab],
    ['https://corp.example/gitlab/', gitlab],
    ['https://corp.example/bitbucket/projects/PLAT/repos/api/browse', bitbucket],
    // The root site serves what no longer base path does.
    ['https://corp.example/gitlabx/group/project', root],
    ['https://corp.example/group/project', root],
    ['https://git.other.example:8443/g/p', other],
  ])('%s is served by the site with the longest matching base path', (url, site) => {
    expect(siteFor(url, [root, gitlab, bitbucket, other])).toEqual(site);
    expect(siteFor(url, [other, bitbucket, gitlab, root])).toEqual(site);
  });

  it.each([
    'https://corp.example/gitlabx/group/project',
    'https://corp.example/group/project',
    'http://corp.example/gitlab/group/project',
    'https://git.other.example/g/p',
    'not a url',
  ])('%s is served by no site when there is no root site on its origin', (url) => {
    expect(siteFor(url, [gitlab, bitbucket, other])).toBeUndefined();
  });
});

describe('sites read from storage', () => {
  it('reads settings saved before base paths existed as sites at the root', () => {
    expect(storedSites([{ origin: 'https://git.corp.example', family: 'gitlab' }])).toEqual([
      { origin: 'https://git.corp.example', family: 'gitlab', basePath: '' },
    ]);
  });

  it('keeps a base path without its trailing slash, and drops entries that are not sites', () => {
    expect(
      storedSites([
        { origin: 'https://corp.example', family: 'gitlab', basePath: '/gitlab/' },
        { origin: 'https://corp.example', family: 'bitbucket-server', basePath: '/tools/bitbucket' },
        { origin: 'https://corp.example/gitlab', family: 'gitlab' },
        { origin: 'ftp://corp.example', family: 'gitlab' },
        { origin: 'https://corp.example', family: 'gogs' },
        { origin: 'https://corp.example', family: 'gitlab', basePath: 'gitlab' },
        { origin: 'https://corp.example', family: 'gitlab', basePath: '/*' },
        { origin: 'https://corp.example', family: 'gitlab', basePath: 7 },
        null,
        'https://corp.example',
      ]),
    ).toEqual([
      { origin: 'https://corp.example', family: 'gitlab', basePath: '/gitlab' },
      { origin: 'https://corp.example', family: 'bitbucket-server', basePath: '/tools/bitbucket' },
    ]);
    expect(storedSites(undefined)).toEqual([]);
  });
});
