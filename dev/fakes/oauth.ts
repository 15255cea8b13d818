// Fake OAuth 2 servers for GitHub, GitLab, Bitbucket Cloud, Gitea/Forgejo and Microsoft Entra ID (Azure DevOps):
// authorize (auto-approves as one user), token (authorization code with PKCE S256 verified, refresh with rotation),
// revocation as each host offers it (GitLab's RFC 7009 `POST /oauth/revoke`; GitHub's
// `DELETE /applications/{client_id}/token|grant`, which lives on GitHub's API host — mount this handler there for
// `/applications/`; Bitbucket Cloud, Gitea and Entra have none), the signed-in user, and each host's error shapes
// (GitHub answers token errors with HTTP 200; Entra adds `error_codes` and an `AADSTS…` description). Entra asks for
// `scope` at authorize and again on every refresh (v2 endpoints), and Azure DevOps names the user at
// `app.vssps.visualstudio.com/_apis/profile/profiles/me` — mount this handler there too. Tokens it issues are ones the
// fake APIs accept.
// CLI: `tsx dev/fakes/oauth.ts` serves the three on loopback and prints one JSON line `{github, gitlab,
// bitbucketCloud}` (their origins), then runs until SIGINT/SIGTERM.

// Web APIs only (the worker tests import it inside workerd); the CLI loads Node modules on demand.

import type { FakeHostData, FakeUser } from './model.ts';
import { samples } from './sample-data.ts';

export type OAuthFamily = 'github' | 'gitlab' | 'bitbucket-cloud' | 'gitea' | 'azure-devops';

export interface FakeOAuthOptions {
  readonly family: OAuthFamily;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The API data whose `tokens` the issued tokens must be accepted by. */
  readonly data: FakeHostData;
  /** Who approves every authorize request (default `alice`). */
  readonly login?: string;
  /**
   * `user-token` (default): issue the user's existing API token (works when the API runs in another process);
   * `fresh`: issue new random tokens and register them in `data.tokens` (same process), so revocation is real.
   */
  readonly tokens?: 'user-token' | 'fresh';
  /** Access-token lifetime in seconds (default: GitHub 8 h, GitLab and Bitbucket 2 h). */
  readonly expiresIn?: number;
  /** Answer authorize with `error=access_denied` (the user clicked "Cancel"). */
  readonly deny?: boolean;
  /** A self-managed instance's base path (`/gitlab`). */
  readonly basePath?: string;
  readonly now?: () => number;
}

export interface FakeOAuth {
  readonly handler: (request: Request) => Promise<Response>;
  /** Every token request's grant type and outcome, for assertions. */
  readonly log: { grant: string; outcome: string }[];
  /** The host side of "revoked": access and refresh tokens of `login` stop working. */
  revokeUser(login: string): void;
}

const PATHS: Record<OAuthFamily, { authorize: string; token: string; revoke?: string }> = {
  github: { authorize: '/login/oauth/authorize', token: '/login/oauth/access_token' },
  gitlab: { authorize: '/oauth/authorize', token: '/oauth/token', revoke: '/oauth/revoke' },
  'bitbucket-cloud': { authorize: '/site/oauth2/authorize', token: '/site/oauth2/access_token' },
  // Gitea and Forgejo (Codeberg): PKCE on every instance, no revocation endpoint.
  gitea: { authorize: '/login/oauth/authorize', token: '/login/oauth/access_token' },
  // Microsoft Entra ID v2, multi-tenant work and school accounts; no revocation endpoint for a client.
  'azure-devops': {
    authorize: '/organizations/oauth2/v2.0/authorize',
    token: '/organizations/oauth2/v2.0/token',
  },
};

/** Azure DevOps' resource: read code. What Entra grants a token for, and what the fake Azure DevOps API accepts. */
export const AZURE_DEVOPS_CODE_SCOPE = '499b84ac-1321-427f-aa17-267ca6975798/vso.code';

/** Entra's AADSTS codes for the errors the fake answers. */
const ENTRA_CODES: Readonly<Record<string, number>> = {
  invalid_client: 7000215,
  invalid_grant: 70008,
  invalid_request: 900144,
  invalid_scope: 70011,
  unsupported_grant_type: 70003,
};

interface Grant {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly challenge: string;
  readonly login: string;
  readonly expiresAt: number;
  used: boolean;
  issued: string[];
}

export function fakeOAuth(options: FakeOAuthOptions): FakeOAuth {
  const now = options.now ?? Date.now;
  const base = options.basePath ?? '';
  const paths = PATHS[options.family];
  const login = options.login ?? 'alice';
  const entra = options.family === 'azure-devops';
  // GitHub 8 h, Entra a random 60–90 minutes (this fake: 75), the others 2 h.
  const expiresIn = options.expiresIn ?? (options.family === 'github' ? 28_800 : entra ? 4_500 : 7_200);
  const codes = new Map<string, Grant>();
  const refreshTokens = new Map<string, string>(); // refresh token → login
  const accessTokens = new Map<string, string>(); // access token → login
  const log: { grant: string; outcome: string }[] = [];
  const tokens = options.data.tokens as Record<string, FakeUser>;
  const random = () =>
    [...crypto.getRandomValues(new Uint8Array(12))].map((b) => b.toString(16).padStart(2, '0')).join('');

  const userOf = (who: string): [string, FakeUser] | undefined =>
    Object.entries(tokens).find(([, u]) => u.login === who);

  const oauthError = (error: string, description: string, status = 400): Response =>
    // GitHub answers token errors with 200 and an `error` field; the others with 400/401. Entra says which AADSTS
    // error it was, in the description and as a number.
    entra
      ? Response.json(
          {
            error,
            error_description: `AADSTS${ENTRA_CODES[error] ?? 50000}: ${description}`,
            error_codes: [ENTRA_CODES[error] ?? 50000],
            timestamp: new Date(now())
              .toISOString()
              .replace('T', ' ')
              .replace(/\.\d+Z$/, 'Z'),
            trace_id: crypto.randomUUID(),
            correlation_id: crypto.randomUUID(),
          },
          { status },
        )
      : Response.json(
          { error, error_description: description },
          { status: options.family === 'github' ? 200 : status },
        );

  const issue = (who: string): Record<string, unknown> | undefined => {
    const known = userOf(who);
    if (known === undefined) return undefined;
    let access = known[0];
    if (options.tokens === 'fresh') {
      access = `${options.family}-at-${random()}`;
      tokens[access] = known[1];
    }
    const refresh = `${options.family}-rt-${random()}`;
    accessTokens.set(access, who);
    refreshTokens.set(refresh, who);
    if (entra)
      return {
        token_type: 'Bearer',
        scope: AZURE_DEVOPS_CODE_SCOPE,
        expires_in: expiresIn,
        ext_expires_in: expiresIn,
        access_token: access,
        refresh_token: refresh,
      };
    return {
      access_token: access,
      token_type: 'bearer',
      expires_in: expiresIn,
      refresh_token: refresh,
      scope: options.family === 'gitlab' ? 'read_api read_repository' : 'repo',
    };
  };

  const clientOf = (request: Request, form: URLSearchParams): boolean => {
    const basic = request.headers.get('authorization');
    if (basic?.startsWith('Basic ')) {
      const [id, secret] = atob(basic.slice(6)).split(':');
      return id === options.clientId && secret === options.clientSecret;
    }
    return form.get('client_id') === options.clientId && form.get('client_secret') === options.clientSecret;
  };

  const handler = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const path = url.pathname.startsWith(base) ? url.pathname.slice(base.length) : url.pathname;

    if (request.method === 'GET' && path === paths.authorize) {
      const q = url.searchParams;
      const redirectUri = q.get('redirect_uri');
      if (q.get('client_id') !== options.clientId || redirectUri === null)
        return new Response('Unknown client or missing redirect_uri', { status: 400 });
      const back = new URL(redirectUri);
      const state = q.get('state');
      if (state !== null) back.searchParams.set('state', state);
      const challenge = q.get('code_challenge');
      // Entra names no resource by itself: a request without Azure DevOps' scope gets no token for it.
      const scopes = (q.get('scope') ?? '').split(' ');
      if (entra && !scopes.includes(AZURE_DEVOPS_CODE_SCOPE)) {
        back.searchParams.set('error', 'invalid_scope');
        back.searchParams.set(
          'error_description',
          `AADSTS70011: The provided request must include a 'scope' input parameter for ${AZURE_DEVOPS_CODE_SCOPE}.`,
        );
      } else if (
        q.get('response_type') !== 'code' ||
        q.get('code_challenge_method') !== 'S256' ||
        challenge === null
      ) {
        back.searchParams.set('error', 'invalid_request');
        back.searchParams.set('error_description', 'PKCE with code_challenge_method=S256 is required');
      } else if (options.deny === true) {
        back.searchParams.set('error', 'access_denied');
      } else {
        const code = random();
        codes.set(code, {
          clientId: options.clientId,
          redirectUri,
          challenge,
          login,
          expiresAt: now() + 10 * 60_000,
          used: false,
          issued: [],
        });
        back.searchParams.set('code', code);
      }
      return new Response(null, { status: 302, headers: { location: back.href } });
    }

    if (request.method === 'POST' && path === paths.token) {
      const form = new URLSearchParams(await request.text());
      const grant = form.get('grant_type') ?? '';
      const answer = (outcome: string, response: Response) => {
        log.push({ grant, outcome });
        return response;
      };
      if (!clientOf(request, form))
        return answer('invalid_client', oauthError('invalid_client', 'Client authentication failed', 401));
      if (grant === 'authorization_code') {
        const code = codes.get(form.get('code') ?? '');
        if (code === undefined || code.expiresAt <= now())
          return answer('invalid_grant', oauthError('invalid_grant', 'The code is invalid or expired'));
        if (code.used) {
          // RFC 6749 §4.1.2: a replayed code revokes what it issued.
          for (const t of code.issued) {
            accessTokens.delete(t);
            if (options.tokens === 'fresh') delete tokens[t];
          }
          return answer('replayed', oauthError('invalid_grant', 'The code was already used'));
        }
        code.used = true;
        if (form.get('redirect_uri') !== code.redirectUri)
          return answer('redirect_mismatch', oauthError('invalid_grant', 'redirect_uri does not match'));
        const verifier = form.get('code_verifier') ?? '';
        const computed = await s256(verifier);
        if (verifier === '' || computed !== code.challenge)
          return answer('pkce_failed', oauthError('invalid_grant', 'PKCE verification failed'));
        const body = issue(code.login);
        if (body === undefined) return answer('no_user', oauthError('invalid_grant', 'Unknown user'));
        code.issued.push(String(body.access_token));
        return answer('issued', Response.json(body));
      }
      if (grant === 'refresh_token') {
        // Entra's v2 endpoint wants the scopes again on a refresh (RFC 6749 §6 leaves them optional).
        if (entra && !(form.get('scope') ?? '').split(' ').includes(AZURE_DEVOPS_CODE_SCOPE))
          return answer(
            'no_scope',
            oauthError('invalid_request', "The request body must contain the following parameter: 'scope'."),
          );
        const refresh = form.get('refresh_token') ?? '';
        const who = refreshTokens.get(refresh);
        if (who === undefined)
          return answer(
            'invalid_grant',
            oauthError('invalid_grant', 'The refresh token is invalid or revoked'),
          );
        refreshTokens.delete(refresh); // rotation: each refresh token works once
        const body = issue(who);
        if (body === undefined) return answer('no_user', oauthError('invalid_grant', 'Unknown user'));
        return answer('refreshed', Response.json(body));
      }
      return answer(
        'unsupported',
        oauthError('unsupported_grant_type', `grant_type ${grant} is not supported`),
      );
    }

    // GitHub: "delete an app token" (this token) or "delete an app authorization" (every token of the grant), HTTP
    // Basic with the app's client id and secret, JSON `{"access_token"}`, 204. Under `/api/v3` on GitHub Enterprise.
    const application = /\/applications\/([^/]+)\/(token|grant)$/.exec(path);
    if (options.family === 'github' && request.method === 'DELETE' && application !== null) {
      const [, pathClient = '', what] = application;
      const notFound = () =>
        Response.json(
          { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/apps/oauth-applications' },
          { status: 404 },
        );
      const basic = request.headers.get('authorization');
      const [id, secret] = basic?.startsWith('Basic ') ? atob(basic.slice(6)).split(':') : [];
      // GitHub hides the application from a caller without its credentials.
      if (
        decodeURIComponent(pathClient) !== options.clientId ||
        id !== options.clientId ||
        secret !== options.clientSecret
      ) {
        log.push({ grant: 'revoke', outcome: 'invalid_client' });
        return notFound();
      }
      const body = (await request.json().catch(() => undefined)) as { access_token?: unknown } | undefined;
      if (typeof body?.access_token !== 'string' || body.access_token === '') {
        log.push({ grant: 'revoke', outcome: 'invalid_request' });
        return Response.json(
          {
            message: 'Invalid request.\n\n"access_token" wasn\'t supplied.',
            documentation_url: 'https://docs.github.com/rest/apps/oauth-applications',
            status: '422',
          },
          { status: 422 },
        );
      }
      const token = body.access_token;
      const who = accessTokens.get(token);
      if (who === undefined) {
        log.push({ grant: 'revoke', outcome: 'unknown' });
        return notFound();
      }
      if (what === 'grant') revokeUser(who);
      else {
        accessTokens.delete(token);
        if (options.tokens === 'fresh') delete tokens[token];
      }
      log.push({ grant: 'revoke', outcome: 'revoked' });
      return new Response(null, { status: 204 });
    }

    if (request.method === 'POST' && paths.revoke !== undefined && path === paths.revoke) {
      const form = new URLSearchParams(await request.text());
      if (!clientOf(request, form)) return oauthError('invalid_client', 'Client authentication failed', 401);
      const token = form.get('token') ?? '';
      const who = accessTokens.get(token) ?? refreshTokens.get(token);
      if (who !== undefined) revokeUser(who);
      log.push({ grant: 'revoke', outcome: who === undefined ? 'unknown' : 'revoked' });
      return Response.json({});
    }

    // Azure DevOps' profile of the signed-in user, on app.vssps.visualstudio.com (`publicAlias` is the id again).
    if (entra && request.method === 'GET' && path === '/_apis/profile/profiles/me') {
      const token = request.headers.get('authorization')?.replace(/^Bearer /, '') ?? '';
      const user = accessTokens.has(token) ? tokens[token] : undefined;
      if (user === undefined)
        return Response.json(
          {
            $id: '1',
            innerException: null,
            message: 'TF400813: The user is not authorized to access this resource.',
          },
          { status: 401 },
        );
      // A preview API: a version without `-preview` is refused, as Azure DevOps does.
      if (!/^7\.1-preview(\.3)?$/.test(url.searchParams.get('api-version') ?? ''))
        return Response.json(
          {
            $id: '1',
            innerException: null,
            message: `The requested version "${url.searchParams.get('api-version')}" of the resource is under preview. The -preview flag must be supplied in the api-version for such requests. For example: "7.1-preview"`,
            typeName: 'Microsoft.VisualStudio.Services.WebApi.VssInvalidPreviewVersionException',
          },
          { status: 400 },
        );
      const id = `00000000-0000-4000-8000-${String(user.id).padStart(12, '0')}`;
      return Response.json({
        displayName: user.login,
        publicAlias: id,
        emailAddress: `${user.login}@launchpod.test`,
        coreRevision: 1,
        timeStamp: '2026-01-01T00:00:00+00:00',
        id,
        revision: 1,
      });
    }

    // The user endpoint, in each host's shape (launchers point OAUTH_CLIENTS[…].userUrl here in tests).
    if (request.method === 'GET' && path === '/user') {
      const token = request.headers.get('authorization')?.replace(/^Bearer /, '') ?? '';
      const user = accessTokens.has(token) ? tokens[token] : undefined;
      if (user === undefined) return Response.json({ message: 'Bad credentials' }, { status: 401 });
      if (options.family === 'github') return Response.json({ login: user.login, id: user.id });
      if (options.family === 'gitlab') return Response.json({ id: user.id, username: user.login });
      if (options.family === 'gitea') return Response.json({ id: user.id, login: user.login, full_name: '' });
      return Response.json({ uuid: `{${user.id}}`, username: user.login });
    }

    return new Response('Not found', { status: 404 });
  };

  function revokeUser(who: string): void {
    for (const [t, l] of [...accessTokens]) {
      if (l !== who) continue;
      accessTokens.delete(t);
      if (options.tokens === 'fresh') delete tokens[t];
    }
    for (const [t, l] of [...refreshTokens]) if (l === who) refreshTokens.delete(t);
  }

  return { handler, log, revokeUser };
}

/** RFC 7636: BASE64URL(SHA256(verifier)). */
async function s256(verifier: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  return btoa(String.fromCharCode(...digest))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** Client ids and secrets the CLI's fakes accept (demo only). */
export const DEMO_CLIENTS = {
  github: { clientId: 'demo-github-client', clientSecret: 'demo-github-secret' },
  gitlab: { clientId: 'demo-gitlab-client', clientSecret: 'demo-gitlab-secret' },
  bitbucketCloud: { clientId: 'demo-bitbucket-client', clientSecret: 'demo-bitbucket-secret' },
} as const;

async function main(): Promise<void> {
  const { createServer } = await import('node:http');
  const { getRequestListener } = await import('@hono/node-server');
  const servers: import('node:http').Server[] = [];
  const serve = async (oauth: FakeOAuth): Promise<string> => {
    const server = createServer(getRequestListener(oauth.handler, { overrideGlobalObjects: false }));
    servers.push(server);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
    return `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`;
  };
  const origins = {
    github: await serve(fakeOAuth({ family: 'github', data: samples.github, ...DEMO_CLIENTS.github })),
    gitlab: await serve(fakeOAuth({ family: 'gitlab', data: samples.gitlab, ...DEMO_CLIENTS.gitlab })),
    bitbucketCloud: await serve(
      fakeOAuth({ family: 'bitbucket-cloud', data: samples.bitbucketCloud, ...DEMO_CLIENTS.bitbucketCloud }),
    ),
  };
  process.stdout.write(`${JSON.stringify(origins)}\n`);
  const stop = () => {
    for (const s of servers) s.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

const argv = (globalThis as { process?: { argv?: string[] } }).process?.argv ?? [];
if (argv[1] !== undefined && /[\\/]dev[\\/]fakes[\\/]oauth\.ts$/.test(argv[1])) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
