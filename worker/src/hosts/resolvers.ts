// One resolver per host family, as data: adding a family means adding its module and one line here.

import type { HostFamilyId } from '../../../shared/launch-request.ts';
import { azureDevopsResolver } from './azure-devops.ts';
import { bitbucketCloudResolver } from './bitbucket-cloud.ts';
import { bitbucketServerResolver } from './bitbucket-server.ts';
import { giteaResolver } from './gitea.ts';
import { githubResolver } from './github.ts';
import { gitlabResolver } from './gitlab.ts';
import type { HostResolver } from './host-resolver.ts';

export const resolvers: Readonly<Record<HostFamilyId, HostResolver>> = {
  github: githubResolver,
  gitlab: gitlabResolver,
  'bitbucket-cloud': bitbucketCloudResolver,
  'bitbucket-server': bitbucketServerResolver,
  gitea: giteaResolver,
  'azure-devops': azureDevopsResolver,
};
