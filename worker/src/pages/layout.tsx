/** @jsxImportSource preact */
// The frame of every launcher page. Pages are rendered on the server with preact; all text goes through preact's
// escaping, and page data for scripts is serialised with `safeJson` — never raw HTML from input.

import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { safeJson } from '../../../shared/safe-json.ts';

export interface LayoutProps {
  readonly brand: string;
  readonly title: string;
  readonly children: ComponentChildren;
  /** Scripts under /assets/ (CSP allows only 'self'). */
  readonly scripts?: readonly string[];
  /** Data for the page script, read from `<script type="application/json" id="page-data">`. */
  readonly data?: unknown;
  /** Continue to this (already checked) URL after `seconds`, without script: a hand-off that loses nothing. */
  readonly refresh?: { readonly url: string; readonly seconds: number };
}

export function Layout({ brand, title, children, scripts = [], data, refresh }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{`${title} · ${brand}`}</title>
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        {refresh !== undefined && (
          <meta http-equiv="refresh" content={`${refresh.seconds};url=${refresh.url}`} />
        )}
        <link rel="stylesheet" href="/assets/launchpod.css" />
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/">
            {brand}
          </a>{' '}
          <a class="nav" href="/workspaces">
            Your workspaces
          </a>
        </header>
        <main>{children}</main>
        {data !== undefined && (
          // safeJson escapes <, >, & and line separators: the JSON cannot end the script element.
          <script
            type="application/json"
            id="page-data"
            dangerouslySetInnerHTML={{ __html: safeJson(data) }}
          />
        )}
        {scripts.map((src) => (
          <script src={src} defer />
        ))}
      </body>
    </html>
  );
}

export function renderPage(page: preact.VNode): string {
  return `<!doctype html>${renderToString(page)}`;
}
