/** @jsxImportSource preact */
// `GET /badge`: paste a repository URL (or arrive from the extension's menu) → a preview of the button and the live
// prebuild badge, and copy-ready snippets for Markdown, HTML, reStructuredText and AsciiDoc.

import type { Snippets } from '../../../shared/badge.ts';
import { Layout } from './layout.tsx';

export interface BadgeChoice {
  readonly title: string;
  readonly imageUrl: string;
  /** Where the badge links, as in a README: a click on the preview opens the workspace. */
  readonly launchUrl: string;
  readonly snippets: Snippets;
}

const FORMATS: readonly [keyof Snippets, string][] = [
  ['markdown', 'Markdown'],
  ['html', 'HTML'],
  ['restructuredText', 'reStructuredText'],
  ['asciidoc', 'AsciiDoc'],
];

// A snippet is one long URL pair: shown whole, never cut off. Browsers that size a text area to its content
// (`field-sizing`, in the stylesheet) do it exactly; elsewhere rows are counted at a narrow column's width.
const CHARACTERS_PER_ROW = 48;
const rowsFor = (snippet: string) =>
  snippet
    .split('\n')
    .reduce((rows, line) => rows + Math.max(1, Math.ceil(line.length / CHARACTERS_PER_ROW)), 0);

export function BadgePage({
  brand,
  input,
  problem,
  choices,
}: {
  readonly brand: string;
  readonly input: string;
  readonly problem?: string;
  readonly choices: readonly BadgeChoice[];
}) {
  return (
    <Layout brand={brand} title="Badges for your README" scripts={['/assets/badge.js']}>
      <h1>A badge for your README</h1>
      <p class="lead">
        Paste your repository's URL: visitors who click the badge land in a ready-to-code workspace.
      </p>
      <form class="open" method="get" action="/badge">
        <input
          name="url"
          type="text"
          required
          value={input}
          placeholder="https://github.com/owner/repo"
          aria-label="Repository URL"
        />
        <button type="submit">Make badges</button>
      </form>
      {problem !== undefined && (
        <div class="notice bad" role="alert">
          {problem}
        </div>
      )}
      {choices.map((choice, index) => (
        <section class="badge-choice" aria-labelledby={`choice-${index}`}>
          <h2 id={`choice-${index}`}>{choice.title}</h2>
          <p>
            <a href={choice.launchUrl} class="badge-preview">
              <img src={choice.imageUrl} alt={choice.title} />
            </a>
          </p>
          {FORMATS.map(([format, label]) => (
            <div class="snippet">
              <label for={`snippet-${index}-${format}`}>{label}</label>
              <textarea id={`snippet-${index}-${format}`} readOnly rows={rowsFor(choice.snippets[format])}>
                {choice.snippets[format]}
              </textarea>
              <button type="button" class="secondary copy" data-copy={`snippet-${index}-${format}`}>
                Copy
              </button>
            </div>
          ))}
        </section>
      ))}
    </Layout>
  );
}
