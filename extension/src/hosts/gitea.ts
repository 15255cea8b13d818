// Where the button lives on Gitea and Forgejo pages (codeberg.org and self-hosted), per page kind, best candidate
// first. Data only; template classes that held from Gitea 1.12 to HEAD and in Forgejo 9–13, never a theme's own.
// Gitea's `src/…` URLs do not say file or folder, so tree pages try the file header first (only file views have one).

import type { AnchorRule } from './anchor-table.ts';

// Every repository page: the header's watch/star/fork box (to Gitea 1.23, and in Forgejo), then its right side in
// Gitea 1.24+ (`.repo-buttons` dropped in #34206), then the header itself.
const REPO_BUTTONS = { selector: '.repo-header .repo-buttons', position: 'prepend' } as const;
const REPO_HEADER_RIGHT = {
  selector: '.repo-header > .flex-text-block:last-child',
  position: 'prepend',
} as const;
const REPO_HEADER = { selector: '.repo-header', position: 'append' } as const;

export const giteaAnchors: readonly AnchorRule[] = [
  {
    kinds: ['repo', 'tree', 'blob', 'commits', 'tag', 'branch'],
    candidates: [
      // File view: Raw / Permalink / Blame / History (`.file-header-right.file-actions`, `.ui.right.file-actions`).
      { selector: '.file-header .file-actions', position: 'prepend' },
      // Repository home and folders: the branch picker's row (1.18+).
      { selector: '.repo-button-row', position: 'append' },
      REPO_BUTTONS,
      REPO_HEADER_RIGHT,
      REPO_HEADER,
    ],
    evidence: [
      'codeberg/blob-1.html',
      'gitea/blob-1.html',
      'gitea/blob-2.html',
      'gitea/hand-repo.html',
      'gitea/hand-repo-1.24.html',
    ],
  },
  {
    kinds: ['commit'],
    candidates: [
      { selector: '.commit-header .commit-header-buttons', position: 'prepend' },
      REPO_BUTTONS,
      REPO_HEADER_RIGHT,
      REPO_HEADER,
    ],
    evidence: ['gitea/hand-commit.html'],
  },
  {
    kinds: ['pull', 'issue'],
    candidates: [
      { selector: '.issue-title-header .issue-title-buttons', position: 'prepend' },
      // Gitea 1.16–1.19: the title's edit button.
      { selector: '#issue-title-wrapper .edit-button', position: 'before' },
      REPO_BUTTONS,
      REPO_HEADER_RIGHT,
      REPO_HEADER,
    ],
    evidence: ['gitea/hand-pr.html', 'gitea/hand-issue.html'],
  },
];
