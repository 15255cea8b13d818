// Where the button lives on gitlab.com and GitLab self-managed pages, per page kind, best candidate first. Data
// only; GitLab's own data-testid hooks before its utility classes.

import type { AnchorRule } from './anchor-table.ts';

// The breadcrumb bar sits on every project page (2023–): the last resort before the floating button.
const TOP_BAR = { selector: '[data-testid="top-bar"] .top-bar-container', position: 'append' } as const;
const TOP_BAR_ANY = { selector: '[data-testid="top-bar"]', position: 'append' } as const;

export const gitlabAnchors: readonly AnchorRule[] = [
  {
    kinds: ['repo', 'tree', 'commits', 'tag', 'branch'],
    candidates: [
      // Branch switcher / Code dropdown row of the repository view.
      { selector: '#tree-holder .tree-controls', position: 'append' },
      // Project home header buttons (star, fork).
      { selector: '[data-testid="project-buttons"]', position: 'prepend' },
      // Empty project page.
      { selector: '#js-project-show-empty-page .project-home-panel', position: 'append' },
      { selector: '#js-project-show-empty-page', position: 'prepend' },
      TOP_BAR,
      TOP_BAR_ANY,
    ],
    evidence: ['gitlab/repo-1.html', 'gitlab/hand-empty.html'],
  },
  {
    kinds: ['blob'],
    candidates: [
      { selector: '#fileHolder .file-actions', position: 'prepend' },
      // GitLab 8–10 (old self-managed instances): the file header's Edit/Raw/Blame group in article.file-holder.
      { selector: '#tree-holder .file-holder .file-actions', position: 'prepend' },
      { selector: '#tree-holder .tree-controls', position: 'append' },
      TOP_BAR,
      TOP_BAR_ANY,
    ],
    evidence: ['gitlab/blob-1.html', 'gitlab/hand-blob-v10.html'],
  },
  {
    kinds: ['commit'],
    candidates: [
      { selector: '[data-testid="commit-options-dropdown"]', position: 'before' },
      { selector: '.page-content-header', position: 'append' },
      TOP_BAR,
      TOP_BAR_ANY,
    ],
    evidence: ['gitlab/hand-commit.html'],
  },
  {
    kinds: ['pull', 'issue'],
    candidates: [
      // Work-items issue UI (2024–).
      { selector: '[data-testid="work-item-actions-dropdown"]', position: 'before' },
      // Merge request header.
      { selector: '.merge-request .js-issuable-actions', position: 'prepend' },
      { selector: '.detail-page-header-actions', position: 'prepend' },
      TOP_BAR,
      TOP_BAR_ANY,
    ],
    evidence: ['gitlab/hand-mr.html', 'gitlab/hand-issue.html'],
  },
];
