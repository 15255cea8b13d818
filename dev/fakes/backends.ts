// The fake Coder and Ona APIs on loopback, for the offline demo and the end-to-end suites: one process, one JSON line
// `{coder, ona}` (their origins) on stdout, then it runs until SIGINT/SIGTERM. Tokens are the demo's own
// (DEMO_BACKEND_TOKENS); a GET `/_state` on each answers what it holds, for tests in another process.
// CLI: `tsx dev/fakes/backends.ts`.

import { fakeCoder } from './coder.ts';
import { fakeOna } from './ona.ts';

export const DEMO_BACKEND_TOKENS = { coder: 'demo-coder-session-token', ona: 'demo-ona-api-key' } as const;

/** The demo's backend entries for CLUSTERS, and their access for CLUSTER_SECRETS. */
export function demoBackends(origins: { coder: string; ona: string }) {
  return {
    clusters: [
      { name: 'ona', kind: 'ona', apiUrl: `${origins.ona}/api`, machine: 'standard' },
      {
        name: 'gitpod',
        kind: 'gitpod',
        url: 'https://gitpod.example.com',
        displayName: 'Gitpod (self-hosted)',
      },
      { name: 'codespaces', kind: 'codespaces' },
      {
        name: 'coder',
        kind: 'coder',
        url: origins.coder,
        template: 'docker-dev',
        parameters: { repo_url: '{repo_url}', branch: '{branch}' },
      },
      { name: 'devpod', kind: 'devpod' },
    ],
    secrets: { coder: DEMO_BACKEND_TOKENS.coder, ona: DEMO_BACKEND_TOKENS.ona },
  };
}

async function main(): Promise<void> {
  const { createServer } = await import('node:http');
  const { getRequestListener } = await import('@hono/node-server');
  const coder = fakeCoder({
    token: DEMO_BACKEND_TOKENS.coder,
    user: 'demo',
    templates: [{ name: 'docker-dev', parameters: ['repo_url', 'branch'] }],
  });
  const ona = fakeOna({ apiKey: DEMO_BACKEND_TOKENS.ona, machineClasses: ['standard'] });
  const withState =
    (handler: (r: Request) => Promise<Response>, state: () => unknown) =>
    async (request: Request): Promise<Response> =>
      new URL(request.url).pathname === '/_state' ? Response.json(state()) : handler(request);
  const servers: import('node:http').Server[] = [];
  const serve = async (handler: (r: Request) => Promise<Response>): Promise<string> => {
    const server = createServer(getRequestListener(handler, { overrideGlobalObjects: false }));
    servers.push(server);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
    return `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`;
  };
  const origins = {
    coder: await serve(
      withState(coder.handler, () => ({ workspaces: coder.workspaces, calls: coder.calls })),
    ),
    ona: await serve(withState(ona.handler, () => ({ environments: ona.environments }))),
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
if (argv[1] !== undefined && /[\\/]dev[\\/]fakes[\\/]backends\.ts$/.test(argv[1])) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
