import { describe, expect, it } from 'vitest';
import { parseLaunchInput } from '../../../shared/context-url.ts';
import { bitbucketServer } from '../../../shared/hosts/bitbucket-server.ts';
import { gitlab } from '../../../shared/hosts/gitlab.ts';
import { readPageContext } from './page-context.ts';
import { pageRegistry } from './registry.ts';

const LAUNCHER = 'https://launchpod.example';
const MR = 'https://corp.example/gitlab/group/project/-/merge_requests/3';

describe('the content script’s one-host registry under a base path', () => {
  const registry = pageRegistry(gitlab, 'https://corp.example', false, '/gitlab');

  it('reads /gitlab as where the instance lives: the merge request of group/project', () => {
    const parsed = parseLaunchInput(MR, registry);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.value.context).toMatchObject({
      kind: 'pull-request',
      repo: { owner: 'group', name: 'project' },
      number: 3,
    });
    expect(registry.entries[0]?.apiBaseUrl).toBe('https://corp.example/gitlab/api/v4');
  });

  it('gives the merge request page the pull kind and a link to the launcher with the page', () => {
    expect(readPageContext(MR, registry, LAUNCHER)).toMatchObject({
      kind: 'pull',
      launchUrl: `${LAUNCHER}/#${MR}`,
    });
    const project = 'https://corp.example/gitlab/group/project';
    expect(readPageContext(project, registry, LAUNCHER)).toMatchObject({
      kind: 'repo',
      launchUrl: `${LAUNCHER}/#${project}`,
    });
  });

  it.each([
    'https://corp.example/group/project/-/merge_requests/3',
    'https://corp.example/gitlabx/group/project/-/merge_requests/3',
    'https://corp.example/gitlab',
    'https://other.example/gitlab/group/project',
  ])('has no context for %s, outside the instance', (url) => {
    expect(readPageContext(url, registry, LAUNCHER)).toBeUndefined();
  });

  it('reads a Bitbucket Data Center under /bitbucket, which read from the root is no repository at all', () => {
    const browse = 'https://corp.example/bitbucket/projects/PLAT/repos/api/browse';
    expect(
      readPageContext(
        browse,
        pageRegistry(bitbucketServer, 'https://corp.example', false, '/bitbucket'),
        LAUNCHER,
      )?.launchUrl,
    ).toBe(`${LAUNCHER}/#${browse}`);
    expect(
      readPageContext(browse, pageRegistry(bitbucketServer, 'https://corp.example', false), LAUNCHER),
    ).toBeUndefined();
  });

  it('reads a root instance as before', () => {
    const root = pageRegistry(gitlab, 'https://git.corp.example', false);
    const mr = 'https://git.corp.example/group/project/-/merge_requests/3';
    expect(readPageContext(mr, root, LAUNCHER)?.launchUrl).toBe(`${LAUNCHER}/#${mr}`);
  });
});
