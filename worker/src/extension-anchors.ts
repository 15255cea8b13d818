// `GET /api/v1/extension/anchors`: the browser extension's anchor table (where its button goes on each host page),
// so a host redesign is fixed by deploying the launcher instead of waiting for a store release. Serves only a
// table that passes the same validator the extension applies; never a half-valid one.

import type { Context } from 'hono';
import { type AnchorTable, validateAnchorTable } from '../../extension/src/hosts/anchor-table.ts';
import { bundledAnchorTable } from '../../extension/src/hosts/bundled.ts';

/** The table as served: checked, with its revision as the ETag so extensions re-download only on change. */
export function anchorTableResponse(
  table: unknown = bundledAnchorTable,
  ifNoneMatch?: string,
): { status: 200 | 304 | 500; body: AnchorTable | { title: string; detail: string } | null; etag?: string } {
  const checked = validateAnchorTable(table);
  if (!checked.ok) {
    return {
      status: 500,
      body: {
        title: 'Anchor table is invalid',
        detail: `The launcher's extension anchor table failed validation (${checked.error}); fix extension/src/hosts and redeploy.`,
      },
    };
  }
  const etag = `"anchors-v${checked.table.version}-r${checked.table.revision}"`;
  if (ifNoneMatch === etag) return { status: 304, body: null, etag };
  return { status: 200, body: checked.table, etag };
}

export function extensionAnchors(c: Context): Response {
  const answer = anchorTableResponse(bundledAnchorTable, c.req.header('if-none-match'));
  if (answer.etag) c.header('etag', answer.etag);
  c.header('cache-control', 'public, max-age=3600');
  if (answer.status === 304) return c.body(null, 304);
  if (answer.status === 500)
    return c.body(JSON.stringify(answer.body), 500, { 'content-type': 'application/problem+json' });
  return c.json(answer.body);
}
