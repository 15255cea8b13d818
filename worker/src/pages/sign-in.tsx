/** @jsxImportSource preact */
// Sign-in pages: the hosts this launcher can sign in with (and who you are signed in as), sign-out, and the
// Bitbucket Server personal-access-token form. Never renders a token; forms carry the session's CSRF token.

import { Layout } from './layout.tsx';

export interface SignInHost {
  readonly host: string;
  readonly label: string;
  readonly href: string;
  readonly signedInAs?: string;
}

export function SignInPage({
  brand,
  hosts,
  csrf,
  notice,
}: {
  readonly brand: string;
  readonly hosts: readonly SignInHost[];
  /** Present when there is a session to sign out of. */
  readonly csrf?: string;
  readonly notice?: string;
}) {
  return (
    <Layout brand={brand} title="Sign in">
      <h1>Sign in</h1>
      <p class="lead">
        Sign in with a git host to open its private repositories. We only ask to read repositories.
      </p>
      {notice !== undefined && (
        <div class="notice" role="status">
          <p>{notice}</p>
        </div>
      )}
      {hosts.length === 0 ? (
        <div class="notice bad">
          <p>
            Sign-in is not set up on this launcher. Ask its operator to add OAuth clients (OAUTH_CLIENTS).
          </p>
        </div>
      ) : (
        <ul class="doors">
          {hosts.map((h) => (
            <li>
              {h.signedInAs !== undefined ? (
                <span>
                  Signed in with {h.label} as <strong>{h.signedInAs}</strong> ·{' '}
                </span>
              ) : null}
              <a href={h.href}>{h.signedInAs !== undefined ? `Sign in again` : `Sign in with ${h.label}`}</a>
            </li>
          ))}
        </ul>
      )}
      {csrf !== undefined && (
        <form method="post" action="/auth/sign-out">
          <input type="hidden" name="csrf" value={csrf} />
          <button type="submit" class="secondary">
            Sign out (forget every token)
          </button>
        </form>
      )}
    </Layout>
  );
}

export function PersonalTokenPage({
  brand,
  host,
  label,
  csrf,
  returnTo,
  problem,
}: {
  readonly brand: string;
  readonly host: string;
  readonly label: string;
  readonly csrf: string;
  readonly returnTo: string;
  readonly problem?: string;
}) {
  return (
    <Layout brand={brand} title={`Sign in with ${label}`}>
      <h1>Sign in with {label}</h1>
      <p class="lead">
        {label} (Bitbucket Server / Data Center) has no sign-in we can redirect you to. Create an HTTP access
        token with <strong>Repository read</strong> permission in your {label} account settings and paste it
        here. It is stored encrypted and used only to read and clone repositories for you.
      </p>
      {problem !== undefined && (
        <div class="notice bad" role="alert">
          <p>{problem}</p>
        </div>
      )}
      <form class="open" method="post" action={`/auth/${encodeURIComponent(host)}/token`}>
        <input type="hidden" name="csrf" value={csrf} />
        <input type="hidden" name="returnTo" value={returnTo} />
        <input
          name="token"
          type="password"
          required
          autoComplete="off"
          placeholder="HTTP access token"
          aria-label="HTTP access token"
        />
        <button type="submit">Sign in</button>
      </form>
    </Layout>
  );
}
