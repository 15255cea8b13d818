// What the launcher is told in the offline demo: the fake hosts as its host list, and sign-in through the fake OAuth
// servers with fresh keys and secrets.

import { randomBytes } from 'node:crypto';
import { fakeFamilies } from './fakes/families.ts';
import type { FakeHostData } from './fakes/model.ts';
import { DEMO_CLIENTS } from './fakes/oauth.ts';
import { samples } from './fakes/sample-data.ts';
import { SAMPLE_FAMILIES, type SampleHost } from './fakes/serve.ts';
import type { FakeHostsInfo } from './stack.ts';

/** The launcher's HOSTS for the demo: every sample host (built-in or self-hosted) with its API at the fakes. */
export function demoHosts(fakes: FakeHostsInfo) {
  const samplesHosts = (Object.keys(samples) as SampleHost[]).map((h) => {
    const data: FakeHostData = samples[h];
    const family = SAMPLE_FAMILIES[h];
    return {
      hostname: data.hostname,
      family,
      apiBaseUrl: fakeFamilies[family].apiBaseUrl(fakes.apis[h], data),
      ...(data.basePath !== undefined && { basePath: data.basePath }),
    };
  });
  // The same Gitea at its loopback address, over plain http: its web pages are where the demo's button appears.
  const site = new URL(fakes.webSite);
  return [
    ...samplesHosts,
    {
      hostname: site.host,
      family: SAMPLE_FAMILIES.gitea,
      apiBaseUrl: fakeFamilies.gitea.apiBaseUrl(fakes.apis.gitea, samples.gitea),
      basePath: site.pathname.replace(/\/+$/, ''),
      allowHttp: true,
    },
  ];
}

export type DemoOAuthOrigins = { github: string; gitlab: string; bitbucketCloud: string };

/** Sign-in settings for the demo: OAuth clients pointed at the fake OAuth servers, a random key and secret. */
export function demoSignIn(origins: DemoOAuthOrigins): Record<string, string> {
  const client = (id: keyof typeof DEMO_CLIENTS, origin: string, paths: Record<string, string>) => ({
    ...DEMO_CLIENTS[id],
    ...Object.fromEntries(Object.entries(paths).map(([k, p]) => [k, origin + p])),
    userUrl: `${origin}/user`,
  });
  return {
    OAUTH_CLIENTS: JSON.stringify({
      'github.com': client('github', origins.github, {
        authorizeUrl: '/login/oauth/authorize',
        tokenUrl: '/login/oauth/access_token',
        revokeUrl: `/applications/${DEMO_CLIENTS.github.clientId}/token`,
      }),
      'gitlab.com': client('gitlab', origins.gitlab, {
        authorizeUrl: '/oauth/authorize',
        tokenUrl: '/oauth/token',
        revokeUrl: '/oauth/revoke',
      }),
      'bitbucket.org': client('bitbucketCloud', origins.bitbucketCloud, {
        authorizeUrl: '/site/oauth2/authorize',
        tokenUrl: '/site/oauth2/access_token',
      }),
    }),
    TOKEN_KEYS: JSON.stringify({ demo: randomBytes(32).toString('base64') }),
    TOKEN_KEY_CURRENT: 'demo',
    SESSION_SECRET: randomBytes(32).toString('hex'),
  };
}
