// Where the button lives on Bitbucket Server / Data Center pages (AUI markup, stable ids), and the page fact its
// URL lacks: the branch picked in the branch selector when the URL has no `?at=`.

import type { AnchorRule } from './anchor-table.ts';

export const bitbucketServerAnchors: readonly AnchorRule[] = [
  {
    kinds: ['repo', 'browse', 'tree', 'blob', 'commits', 'commit', 'branch', 'tag'],
    candidates: [
      { selector: '#branch-actions', position: 'after' },
      { selector: '.branch-selector-toolbar .aui-toolbar2-primary', position: 'append' },
      { selector: '.aui-page-header-actions', position: 'prepend' },
    ],
    evidence: ['bitbucket-server/repo-1.html', 'bitbucket-server/hand-commits.html'],
  },
  {
    kinds: ['pull'],
    candidates: [
      {
        selector: '#pull-requests-container .pull-request-header-bar .pull-request-actions',
        position: 'prepend',
      },
      { selector: '.pull-request-actions', position: 'prepend' },
      { selector: '.aui-page-header-actions', position: 'prepend' },
    ],
    evidence: ['bitbucket-server/hand-pr.html'],
  },
];

/**
 * The query parameter naming the branch picked in the selector when the URL names none: `['at', 'refs/heads/x']`
 * on browse pages, `['until', 'refs/heads/x']` on commits pages, read from the selector's `data-revision-ref` JSON
 * (`{"id":"refs/heads/x","isDefault":false,…}`). Undefined for the default branch.
 */
export function selectedRevisionQuery(url: URL, doc: Document): [string, string] | undefined {
  if (url.searchParams.has('at') || url.searchParams.has('until')) return undefined;
  const page = /\/(browse|commits)(\/|$)/.exec(url.pathname)?.[1];
  if (page === undefined) return undefined;
  const raw = doc.querySelector('#repository-layout-revision-selector')?.getAttribute('data-revision-ref');
  if (!raw) return undefined;
  try {
    const ref = JSON.parse(raw) as { id?: unknown; isDefault?: unknown };
    if (
      ref.isDefault === true ||
      typeof ref.id !== 'string' ||
      !/^refs\/(heads|tags)\/[^\s?#]+$/.test(ref.id)
    )
      return undefined;
    return [page === 'commits' ? 'until' : 'at', ref.id];
  } catch {
    return undefined;
  }
}
