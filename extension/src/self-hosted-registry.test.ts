import { describe, expect, it } from 'vitest';
import { parseLaunchInput } from '../../shared/context-url.ts';
import { toLaunchUrl } from '../../shared/launch-url.ts';
import { acceptedSites, checkSiteAddress, selfHostedRegistry } from './self-hosted-registry.ts';
import type { SelfHostedSite } from './self-hosted-site.ts';

const LAUNCHER = 'https://launchpod.example';
const MR = 'https://corp.example/gitlab/group/project/-/merge_requests/3';

describe('an instance address a person types', () => {
  it.each([
    ['https://corp.example/gitlab', { origin: 'https://corp.example', basePath: '/gitlab' }],
    ['  https://corp.example/gitlab/  ', { origin: 'https://corp.example', basePath: '/gitlab' }],
    ['corp.example/tools/gitlab//', { origin: 'https://corp.example', basePath: '/tools/gitlab' }],
    ['HTTPS://Corp.Example:443/gitlab', { origin: 'https://corp.example', basePath: '/gitlab' }],
    ['https://git.corp.example', { origin: 'https://git.corp.example', basePath: '' }],
    ['git.corp.example:8443/', { origin: 'https://git.corp.example:8443', basePath: '' }],
    ['http://127.0.0.1:3000/gitlab', { origin: 'http://127.0.0.1:3000', basePath: '/gitlab' }],
  ])('%j is %j', (text, site) => {
    expect(checkSiteAddress(text, 'gitlab')).toEqual({ ok: true, site: { ...site, family: 'gitlab' } });
  });

  it.each([
    ['', 'Enter the instance address, like https://git.example.com.'],
    ['https://', 'Enter the instance address, like https://git.example.com.'],
    ['ftp://corp.example/gitlab', 'The instance address must start with https:// (or http://).'],
    ['https://me:secret@corp.example/gitlab', 'Leave the user name and password out.'],
    ['https://corp.example/gitlab?x=1', 'Leave the ?… and #… out: enter the address the instance lives at.'],
    ['https://github.com', 'github.com is built in: the button already works there.'],
    ['www.gitlab.com/x', 'www.gitlab.com is built in: the button already works there.'],
    [
      'https://corp.example/my gitlab',
      'https://corp.example/my%20gitlab is not an address Launchpod can read: enter the instance’s host and, if it lives under a path, that path (like https://corp.example/gitlab).',
    ],
  ])('%j is refused: %s', (text, message) => {
    expect(checkSiteAddress(text, 'gitlab')).toEqual({ ok: false, message });
  });
});

describe('the registry the background reads links with', () => {
  const gitlab: SelfHostedSite = { origin: 'https://corp.example', family: 'gitlab', basePath: '/gitlab' };
  const bitbucket: SelfHostedSite = {
    origin: 'https://corp.example',
    family: 'bitbucket-server',
    basePath: '/bitbucket',
  };

  it('reads a merge request under /gitlab as project group/project, not group gitlab/group', () => {
    const parsed = parseLaunchInput(MR, selfHostedRegistry([gitlab, bitbucket], MR));
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.value.context).toMatchObject({
      kind: 'pull-request',
      repo: { host: 'corp.example', family: 'gitlab', owner: 'group', name: 'project' },
      number: 3,
    });
    expect(toLaunchUrl(LAUNCHER, MR, selfHostedRegistry([gitlab, bitbucket], MR))).toEqual({
      ok: true,
      value: `${LAUNCHER}/#${MR}`,
    });
  });

  it('reads two sites on one origin under their own base paths, and nothing outside them', () => {
    const registry = selfHostedRegistry([gitlab, bitbucket]);
    const browse = 'https://corp.example/bitbucket/projects/PLAT/repos/api/browse';
    expect(toLaunchUrl(LAUNCHER, browse, registry)).toEqual({ ok: true, value: `${LAUNCHER}/#${browse}` });
    expect(toLaunchUrl(LAUNCHER, MR, registry)).toEqual({ ok: true, value: `${LAUNCHER}/#${MR}` });
    const outside = parseLaunchInput('https://corp.example/group/project/-/merge_requests/3', registry);
    expect(outside.ok ? 'parsed' : outside.error.code).toBe('unknown-host');
  });

  it('writes a link under the base path of the GitLab serving the page when two share an origin', () => {
    const a: SelfHostedSite = { origin: 'https://corp.example', family: 'gitlab', basePath: '/a' };
    const b: SelfHostedSite = { origin: 'https://corp.example', family: 'gitlab', basePath: '/b' };
    const page = 'https://corp.example/b/group/project/-/merge_requests/3';
    expect(toLaunchUrl(LAUNCHER, page, selfHostedRegistry([a, b], page))).toEqual({
      ok: true,
      value: `${LAUNCHER}/#${page}`,
    });
  });

  it('keeps working sites when one entry is refused (a built-in host, a bad path, a duplicate)', () => {
    const sites: SelfHostedSite[] = [
      { origin: 'https://github.com', family: 'gitlab', basePath: '' },
      { origin: 'https://corp.example', family: 'gitlab', basePath: '/my gitlab' },
      gitlab,
      { ...gitlab, family: 'github' },
      bitbucket,
    ];
    expect(acceptedSites(sites)).toEqual([gitlab, bitbucket]);
    expect(toLaunchUrl(LAUNCHER, MR, selfHostedRegistry(sites))).toEqual({
      ok: true,
      value: `${LAUNCHER}/#${MR}`,
    });
  });
});
