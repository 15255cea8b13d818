// Whether the host itself marks this page as an error or not-found page ("Repository not found", a 404): the
// floating button never appears there, since there is nothing to open. Read from the host's own signals only — the
// HTTP status of the document as loaded, and the page's title and main heading — never guessed from the URL.

// `404`, "Page not found", "Repository not found", "This page doesn't exist", "We can't find that page".
const ERROR_TEXT =
  /\b404\b|\bnot found\b|\bdoes(?:n[’']t| not) exist\b|\bcan(?:[’']t| ?not) (?:find|let you see)\b|\bpage is missing\b/i;

/** The navigation entry's HTTP status for this very document, when the browser reports it (Chromium ≥ 109). */
function loadedStatus(doc: Document): number | undefined {
  const entries = globalThis.performance?.getEntriesByType?.('navigation') ?? [];
  const entry = entries[0] as (PerformanceEntry & { responseStatus?: unknown }) | undefined;
  if (entry === undefined || typeof entry.responseStatus !== 'number' || entry.responseStatus === 0)
    return undefined;
  // After an in-page navigation the document's first status says nothing about the page now shown.
  const loaded = entry.name.split('#')[0];
  return loaded === doc.location?.href.split('#')[0] ? entry.responseStatus : undefined;
}

/** The page's own headline: its title and the first top-level headings outside rendered content (a README). */
function headlines(doc: Document): string[] {
  const headings = Array.from(doc.querySelectorAll('h1, [role="heading"][aria-level="1"]'))
    .filter((h) => h.closest('article, .markdown-body, .wiki, [data-testid="readme"]') === null)
    .slice(0, 3)
    .map((h) => h.textContent ?? '');
  return [doc.title, ...headings];
}

export function isErrorPage(doc: Document): boolean {
  const status = loadedStatus(doc);
  if (status !== undefined && status >= 400) return true;
  return headlines(doc).some((text) => ERROR_TEXT.test(text.slice(0, 300)));
}
