/** @jsxImportSource preact */
// Every failure a user can hit, as a page: what happened, what to do, and a box to try something else.

import type { LaunchError } from '../errors.ts';
import { Layout } from './layout.tsx';

export function ErrorPage({
  brand,
  error,
  input,
}: {
  readonly brand: string;
  readonly error: LaunchError;
  readonly input?: string;
}) {
  const lines = error.detail.split('\n');
  return (
    <Layout brand={brand} title={error.title}>
      <h1>{error.title}</h1>
      <div class="notice bad" role="alert">
        {lines.length > 1 ? <pre class="detail">{error.detail}</pre> : <p>{error.detail}</p>}
        {error.retryAfterSeconds !== undefined && (
          <p>You can try again in {error.retryAfterSeconds} seconds.</p>
        )}
      </div>
      {error.wayOut !== undefined && (
        <p>
          <a
            class="button"
            href={error.wayOut.href === '' ? undefined : error.wayOut.href}
            data-retry={error.wayOut.href === '' ? 'true' : undefined}
          >
            {error.wayOut.label}
          </a>
        </p>
      )}
      <form class="open" method="get" action="/start">
        <input
          name="url"
          type="text"
          required
          value={input ?? ''}
          placeholder="https://github.com/owner/repo"
          aria-label="Repository URL"
        />
        <button type="submit" class="secondary">
          Open another
        </button>
      </form>
    </Layout>
  );
}
