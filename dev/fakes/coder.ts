// A fake Coder deployment speaking `/api/v2` as Coder documents it: `Coder-Session-Token` auth (401 with
// `{message, detail}` otherwise), templates by organization and name, the user's workspace by name, workspace
// creation with `rich_parameter_values` (400 with `validations` for a parameter the template does not take), and
// start builds. In memory, Web APIs only: for launcher tests and the offline demo.

export interface FakeCoderTemplate {
  readonly name: string;
  /** The parameter names the template takes. */
  readonly parameters: readonly string[];
}

export interface FakeCoderWorkspace {
  readonly id: string;
  readonly name: string;
  readonly owner_name: string;
  readonly template_name: string;
  readonly rich_parameter_values: readonly { name: string; value: string }[];
  latest_build: { transition: 'start' | 'stop'; status: 'running' | 'stopped' | 'starting' };
}

export interface FakeCoder {
  readonly handler: (request: Request) => Promise<Response>;
  readonly workspaces: FakeCoderWorkspace[];
  /** Every request, `METHOD /path`, in order. */
  readonly calls: string[];
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

export function fakeCoder(options: {
  readonly token: string;
  readonly user: string;
  readonly organization?: string;
  readonly templates: readonly FakeCoderTemplate[];
}): FakeCoder {
  const workspaces: FakeCoderWorkspace[] = [];
  const calls: string[] = [];
  const org = options.organization ?? 'coder';
  let next = 1;
  const handler = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    calls.push(`${request.method} ${url.pathname}`);
    if (request.headers.get('coder-session-token') !== options.token)
      return json(401, {
        message: 'You must be logged in to use this endpoint.',
        detail: 'session token is invalid',
      });
    let m = /^\/api\/v2\/users\/me\/workspace\/([^/]+)$/.exec(url.pathname);
    if (m && request.method === 'GET') {
      const found = workspaces.find((w) => w.name === decodeURIComponent(m?.[1] ?? ''));
      return found === undefined
        ? json(404, { message: `Workspace "${m[1]}" does not exist.` })
        : json(200, found);
    }
    m = /^\/api\/v2\/organizations\/([^/]+)\/templates\/([^/]+)$/.exec(url.pathname);
    if (m && request.method === 'GET') {
      const template = options.templates.find((t) => t.name === decodeURIComponent(m?.[2] ?? ''));
      if (decodeURIComponent(m[1] ?? '') !== org || template === undefined)
        return json(404, { message: 'Resource not found or you do not have access to this resource' });
      return json(200, {
        id: `tpl-${template.name}`,
        name: template.name,
        active_version_id: `ver-${template.name}`,
      });
    }
    if (url.pathname === '/api/v2/users/me/workspaces' && request.method === 'POST') {
      const body = (await request.json()) as {
        name: string;
        template_id: string;
        rich_parameter_values?: { name: string; value: string }[];
      };
      const template = options.templates.find((t) => `tpl-${t.name}` === body.template_id);
      if (template === undefined) return json(400, { message: 'Template not found.' });
      if (workspaces.some((w) => w.name === body.name))
        return json(409, { message: `Workspace "${body.name}" already exists.` });
      const unknown = (body.rich_parameter_values ?? []).filter((p) => !template.parameters.includes(p.name));
      if (unknown.length > 0)
        return json(400, {
          message: 'Unable to validate parameters.',
          validations: unknown.map((p) => ({
            field: p.name,
            detail: `parameter "${p.name}" is not defined in the template`,
          })),
        });
      const workspace: FakeCoderWorkspace = {
        id: `ws-${next++}`,
        name: body.name,
        owner_name: options.user,
        template_name: template.name,
        rich_parameter_values: body.rich_parameter_values ?? [],
        latest_build: { transition: 'start', status: 'starting' },
      };
      workspaces.push(workspace);
      return json(201, workspace);
    }
    m = /^\/api\/v2\/workspaces\/([^/]+)\/builds$/.exec(url.pathname);
    if (m && request.method === 'POST') {
      const workspace = workspaces.find((w) => w.id === m?.[1]);
      if (workspace === undefined) return json(404, { message: 'Workspace not found.' });
      const body = (await request.json()) as { transition: 'start' | 'stop' };
      workspace.latest_build = {
        transition: body.transition,
        status: body.transition === 'start' ? 'starting' : 'stopped',
      };
      return json(201, { id: `build-${next++}`, transition: body.transition, status: 'pending' });
    }
    return json(404, { message: `Route ${request.method} ${url.pathname} not found.` });
  };
  return { handler, workspaces, calls };
}
