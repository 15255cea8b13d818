// Where the button lives on GitHub and GitHub Enterprise pages, per page kind, best candidate first. Data only:
// ids, data-testid, data-component and ARIA before layout; never a styled-components or emotion hash class.

import type { AnchorRule } from './anchor-table.ts';

// The repo header's Watch/Fork/Star list: server-rendered on every repository page since at least 2019, so it
// is the last resort for every kind before the floating button.
const REPO_HEADER = {
  selector: '#repository-container-header ul.pagehead-actions',
  position: 'prepend',
  wrap: 'li',
} as const;
const OLD_REPO_HEADER = { selector: 'ul.pagehead-actions', position: 'prepend', wrap: 'li' } as const;

export const githubAnchors: readonly AnchorRule[] = [
  {
    kinds: ['repo', 'tree', 'branch', 'tag', 'commits'],
    candidates: [
      // React overview (2023–): the toolbar holding the green "Code" button.
      { selector: 'div:has(> [data-testid="code-button"])', position: 'prepend' },
      // Classic overview (2019–2022): the branch/Code toolbar, Code menu in <get-repo> or a details element.
      { selector: '.file-navigation', position: 'append' },
      // Empty repository: the "Quick setup" box.
      { selector: '#repo-content-turbo-frame .Box-header', position: 'append' },
      REPO_HEADER,
      OLD_REPO_HEADER,
    ],
    evidence: [
      'github/repo-1.html',
      'github/repo-2.html',
      'github/hand-repo-react.html',
      'github/hand-empty.html',
    ],
  },
  {
    kinds: ['blob'],
    candidates: [
      // React file view (2023–): the action group holding Raw / copy / download in #StickyHeader's sibling header.
      { selector: 'div:has(> [data-testid="raw-button"])', position: 'before' },
      { selector: '#StickyHeader', position: 'append' },
      // Classic file view (–2022): the Raw/Blame button group.
      { selector: '.BtnGroup:has(> #raw-url)', position: 'before' },
      { selector: '.repository-content .file-actions', position: 'prepend' },
      REPO_HEADER,
      OLD_REPO_HEADER,
    ],
    evidence: [
      'github/blob-2.html',
      'github/blob-4.html',
      'github/blob-6.html',
      'github/blob-7.html',
      'github/hand-blob-header-only.html',
    ],
  },
  {
    kinds: ['commit'],
    candidates: [
      { selector: '#browse-at-time-link', position: 'before' },
      { selector: 'a[title="Browse the repository at this point in the history"]', position: 'before' },
      { selector: '[data-component="PH_Actions"]', position: 'prepend' },
      REPO_HEADER,
      OLD_REPO_HEADER,
    ],
    evidence: ['github/commit-1.html', 'github/commit-2.html', 'github/hand-commit-react.html'],
  },
  {
    kinds: ['pull', 'issue'],
    candidates: [
      // React issue and PR headers (2025–).
      { selector: '[data-component="PH_Actions"]', position: 'prepend' },
      // Classic conversation header (–2024).
      { selector: '#partial-discussion-header .gh-header-actions', position: 'prepend' },
      { selector: '.gh-header-actions', position: 'prepend' },
      REPO_HEADER,
      OLD_REPO_HEADER,
    ],
    evidence: [
      'github/pull-1.html',
      'github/pull-3.html',
      'github/pull-files-1.html',
      'github/issue-1.html',
      'github/issue-3.html',
    ],
  },
];
