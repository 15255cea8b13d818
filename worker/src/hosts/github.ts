// GitHub (github.com and GitHub Enterprise) for the launcher: with a token, ONE GraphQL query per launch settles
// the revision, file or folder, pull request or issue and `.gitpod.yml`; anonymously (GraphQL needs a token), at
// most two rounds of parallel REST requests. Every request goes through hostFetch. Never puts a token anywhere but
// the Authorization header, nor in a message, an error or a log line.

import { err, ok } from '../../../shared/result.ts';
import { GitHubApi } from './github-api.ts';
import { resolveWithGraphql } from './github-graphql.ts';
import { resolveWithRest } from './github-rest.ts';
import type { HostResolver } from './host-resolver.ts';

export const githubResolver: HostResolver = {
  async resolve(input) {
    const api = new GitHubApi(input.entry, input.credentials, input.http);
    try {
      const settled =
        input.credentials.token !== undefined
          ? await resolveWithGraphql(api, input)
          : await resolveWithRest(api, input);
      return ok(settled);
    } catch (cause) {
      return err(api.launchError(cause, input.context.repo));
    }
  },

  async readFile(repo, sha, path, entry, credentials, http) {
    const api = new GitHubApi(entry, credentials, http);
    try {
      return ok(await api.rawFile(repo, path, sha));
    } catch (cause) {
      return err(api.launchError(cause, repo));
    }
  },

  async history(repo, sha, limit, entry, credentials, http) {
    const api = new GitHubApi(entry, credentials, http);
    try {
      // With a token one GraphQL query; anonymously (GraphQL needs a token) one REST request.
      return ok(
        credentials.token !== undefined
          ? await api.graphqlHistory(repo, sha, limit)
          : await api.history(repo, sha, limit),
      );
    } catch (cause) {
      return err(api.launchError(cause, repo));
    }
  },
};
