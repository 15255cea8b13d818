// Where the button lives on bitbucket.org pages. Bitbucket Cloud is a React app with emotion-hashed classes: only
// data-qa / data-testid hooks and ARIA roles are used here, never a class name.

import type { AnchorRule } from './anchor-table.ts';

const PAGE_HEADER = { selector: 'header[data-qa="page-header-wrapper"]', position: 'append' } as const;

export const bitbucketCloudAnchors: readonly AnchorRule[] = [
  {
    kinds: ['repo', 'tree', 'blob', 'branch', 'commits', 'commit', 'tag'],
    candidates: [
      { selector: 'header[data-qa="page-header-wrapper"] div[role="group"]', position: 'prepend' },
      PAGE_HEADER,
    ],
    evidence: [
      'bitbucket-cloud/hand-source.html',
      'bitbucket-cloud/hand-branch.html',
      'bitbucket-cloud/hand-commits.html',
    ],
  },
  {
    kinds: ['pull'],
    candidates: [
      {
        selector: '[data-testid="pr-header"] div[role="group"]:has([data-testid="mergeButton-primary"])',
        position: 'prepend',
      },
      { selector: '[data-testid="pr-header"] div[role="group"]', position: 'prepend' },
      PAGE_HEADER,
    ],
    evidence: ['bitbucket-cloud/hand-pr.html'],
  },
];
