// A fake GitHub Codespaces REST API on api.github.com's paths, in front of the fake GitHub: `GET /user/codespaces`,
// `POST /repos/{o}/{r}/codespaces {ref, machine?}`, `POST /repos/{o}/{r}/pulls/{n}/codespaces`,
// `POST /user/codespaces/{name}/start`. A user token is needed (401 `{message, documentation_url}` otherwise);
// tokens without the codespace permission get 403 as GitHub answers. Other paths go to the fake GitHub.

import type { FakeHostData } from './model.ts';

export interface FakeCodespace {
  readonly name: string;
  state: 'Available' | 'Shutdown' | 'Starting' | 'Provisioning';
  readonly web_url: string;
  readonly repository: { readonly full_name: string };
  readonly git_status: { readonly ref: string };
  readonly owner: string;
}

export interface FakeCodespaces {
  readonly handler: (request: Request) => Promise<Response>;
  readonly codespaces: FakeCodespace[];
  /** Answer web_url on this origin instead of `*.github.dev` (a test of the redirect guard). */
  foreignOrigin?: string;
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const DOCS = 'https://docs.github.com/rest/codespaces/codespaces';

export function fakeCodespaces(
  data: FakeHostData,
  github: (request: Request) => Response | Promise<Response>,
  options: { readonly allowedTokens: readonly string[] },
): FakeCodespaces {
  const codespaces: FakeCodespace[] = [];
  let next = 1;
  const fake: FakeCodespaces = {
    codespaces,
    handler: async (request) => {
      const url = new URL(request.url);
      const isCodespaces = /^\/user\/codespaces|^\/repos\/[^/]+\/[^/]+\/(pulls\/\d+\/)?codespaces$/.test(
        url.pathname,
      );
      if (!isCodespaces) return github(request);
      const token = request.headers.get('authorization')?.replace(/^Bearer /, '');
      const user = token === undefined ? undefined : data.tokens[token];
      if (user === undefined)
        return json(401, { message: 'Requires authentication', documentation_url: DOCS });
      if (!options.allowedTokens.includes(token ?? ''))
        return json(403, { message: 'Must have admin rights to Repository.', documentation_url: DOCS });
      if (url.pathname === '/user/codespaces' && request.method === 'GET') {
        const mine = codespaces.filter((c) => c.owner === user.login);
        return json(200, { total_count: mine.length, codespaces: mine });
      }
      const start = /^\/user\/codespaces\/([^/]+)\/start$/.exec(url.pathname);
      if (start && request.method === 'POST') {
        const codespace = codespaces.find((c) => c.name === start[1] && c.owner === user.login);
        if (codespace === undefined) return json(404, { message: 'Not Found', documentation_url: DOCS });
        codespace.state = 'Starting';
        return json(200, codespace);
      }
      const create = /^\/repos\/([^/]+)\/([^/]+)\/(?:pulls\/(\d+)\/)?codespaces$/.exec(url.pathname);
      if (create && request.method === 'POST') {
        const [, owner, name, pr] = create;
        const repo = data.repos.find((r) => r.owner === owner && r.name === name);
        if (repo === undefined) return json(404, { message: 'Not Found', documentation_url: DOCS });
        const body = (await request.json().catch(() => ({}))) as { ref?: string };
        const pull = pr === undefined ? undefined : repo.pulls.find((p) => p.number === Number(pr));
        if (pr !== undefined && pull === undefined)
          return json(404, { message: 'Not Found', documentation_url: DOCS });
        const ref = pull?.headRef ?? body.ref ?? repo.defaultBranch;
        if (pull === undefined && repo.branches[ref] === undefined)
          return json(422, { message: `ref ${ref} does not exist`, documentation_url: DOCS });
        const codespaceName = `${user.login}-${name}-${next++}`.toLowerCase();
        const codespace: FakeCodespace = {
          name: codespaceName,
          state: 'Provisioning',
          web_url: `${fake.foreignOrigin ?? `https://${codespaceName}.github.dev`}/`,
          repository: { full_name: `${owner}/${name}` },
          git_status: { ref },
          owner: user.login,
        };
        codespaces.push(codespace);
        return json(201, codespace);
      }
      return json(404, { message: 'Not Found', documentation_url: DOCS });
    },
  };
  return fake;
}
