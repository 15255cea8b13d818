// What a page says about the software serving it, read in one pass: the marks every family's page detection looks
// at (meta tags, the inline config script, the footer). `readPageSignals` is self-contained (no imports, no outer
// names) so the popup can run the very same function in a tab through `scripting.executeScript`.

export interface PageSignals {
  /** `<meta name=…>` contents: `application-name`, `hostname`, `keywords`, `_suburl`… ('' when absent). */
  readonly meta: Readonly<Record<string, string>>;
  /** `<meta property="og:site_name">`, '' when absent. */
  readonly ogSiteName: string;
  /** The start of the inline script that sets `window.config = {…}` (Gitea, Forgejo), '' when none. */
  readonly configScript: string;
  /** Ids of `<script type="application/json">` islands (Azure DevOps' `dataProviders`). */
  readonly jsonScriptIds: readonly string[];
  /** The footer's "Powered by …" text, '' when none. */
  readonly poweredBy: string;
  /** `<head data-suburl>` (Gitea ≤ 1.13), undefined when absent. */
  readonly headSubUrl?: string;
}

export function readPageSignals(): PageSignals {
  const meta: Record<string, string> = {};
  for (const name of ['application-name', 'hostname', 'keywords', 'author', '_suburl', 'generator']) {
    const element = document.querySelector(`meta[name="${name}"]`);
    if (element !== null) meta[name] = element.getAttribute('content') ?? '';
  }
  let configScript = '';
  const jsonScriptIds: string[] = [];
  for (const script of Array.from(document.scripts)) {
    if (script.type === 'application/json') {
      if (script.id !== '') jsonScriptIds.push(script.id);
      continue;
    }
    if (configScript === '' && script.src === '') {
      const text = script.textContent ?? '';
      const at = text.indexOf('window.config');
      if (at !== -1) configScript = text.slice(at, at + 4000);
    }
  }
  let poweredBy = '';
  for (const link of Array.from(document.querySelectorAll('footer a, .page-footer a, footer'))) {
    const match = /Powered by\s+(\S+)/i.exec(link.textContent ?? '');
    if (match?.[1] !== undefined) {
      poweredBy = match[1];
      break;
    }
  }
  const headSubUrl = document.head?.getAttribute('data-suburl') ?? undefined;
  return {
    meta,
    ogSiteName: document.querySelector('meta[property="og:site_name"]')?.getAttribute('content') ?? '',
    configScript,
    jsonScriptIds,
    poweredBy,
    ...(headSubUrl !== undefined && { headSubUrl }),
  };
}
