// Every family's page piece, one line each: the options page, the popup, the background and the build read
// families from here, never from a list of their own.

import type { HostFamilyId } from '../../../shared/launch-request.ts';
import { azureDevopsPage } from './azure-devops-page.ts';
import { bitbucketCloudPage } from './bitbucket-cloud-page.ts';
import { bitbucketServerPage } from './bitbucket-server-page.ts';
import type { FamilyPage } from './family-page.ts';
import { giteaPage } from './gitea-page.ts';
import { githubPage } from './github-page.ts';
import { gitlabPage } from './gitlab-page.ts';

export const familyPages: Readonly<Record<HostFamilyId, FamilyPage>> = {
  github: githubPage,
  gitlab: gitlabPage,
  'bitbucket-cloud': bitbucketCloudPage,
  'bitbucket-server': bitbucketServerPage,
  gitea: giteaPage,
  'azure-devops': azureDevopsPage,
};

/** The content script a family's pages run (built from content/<family>.ts). */
export const contentScriptFile = (family: HostFamilyId): string => `content/${family}.js`;
