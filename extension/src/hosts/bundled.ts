// The anchor table shipped inside the extension and served by the launcher: one rule list per host family, one line
// each. Bump `revision` with every change so extensions prefer the newest of bundled and remote.

import type { AnchorTable } from './anchor-table.ts';
import { azureDevopsAnchors } from './azure-devops.ts';
import { bitbucketCloudAnchors } from './bitbucket-cloud.ts';
import { bitbucketServerAnchors } from './bitbucket-server.ts';
import { giteaAnchors } from './gitea.ts';
import { githubAnchors } from './github.ts';
import { gitlabAnchors } from './gitlab.ts';

export const bundledAnchorTable: AnchorTable = {
  version: 1,
  revision: 4,
  families: {
    github: githubAnchors,
    gitlab: gitlabAnchors,
    'bitbucket-cloud': bitbucketCloudAnchors,
    'bitbucket-server': bitbucketServerAnchors,
    gitea: giteaAnchors,
    'azure-devops': azureDevopsAnchors,
  },
};
