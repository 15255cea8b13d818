// A fake Ona API speaking `gitpod.v1.EnvironmentService` over Connect's JSON protocol: POST
// `/gitpod.v1.EnvironmentService/<Method>` with `Authorization: Bearer <API key>`, errors as Connect's
// `{code, message}` (unauthenticated, invalid_argument, resource_exhausted, not_found). CreateEnvironment,
// ListEnvironments and StartEnvironment, in memory. For launcher tests and the offline demo.

export interface FakeOnaEnvironment {
  readonly id: string;
  readonly spec: {
    readonly machine: { readonly class: string };
    readonly content: { readonly initializer: { readonly specs: readonly unknown[] } };
  };
  status: { phase: string };
}

export interface FakeOna {
  readonly handler: (request: Request) => Promise<Response>;
  readonly environments: FakeOnaEnvironment[];
  /** Environments it takes before it answers resource_exhausted. */
  capacity: number;
}

const connectError = (status: number, code: string, message: string) =>
  new Response(JSON.stringify({ code, message }), {
    status,
    headers: { 'content-type': 'application/json' },
  });
const json = (body: unknown) =>
  new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

export function fakeOna(options: {
  readonly apiKey: string;
  readonly machineClasses: readonly string[];
}): FakeOna {
  const environments: FakeOnaEnvironment[] = [];
  let next = 1;
  const ona: FakeOna = {
    environments,
    capacity: Number.POSITIVE_INFINITY,
    handler: async (request) => {
      const url = new URL(request.url);
      const method = /\/gitpod\.v1\.EnvironmentService\/(\w+)$/.exec(url.pathname)?.[1];
      if (request.method !== 'POST' || method === undefined)
        return connectError(404, 'unimplemented', 'no such method');
      if (request.headers.get('authorization') !== `Bearer ${options.apiKey}`)
        return connectError(401, 'unauthenticated', 'the API key is not valid');
      const body = (await request.json().catch(() => ({}))) as Record<string, never>;
      switch (method) {
        case 'ListEnvironments':
          return json({ environments, pagination: { nextToken: '' } });
        case 'StartEnvironment': {
          const env = environments.find((e) => e.id === (body as { environmentId?: string }).environmentId);
          if (env === undefined) return connectError(404, 'not_found', 'environment not found');
          env.status = { phase: 'ENVIRONMENT_PHASE_STARTING' };
          return json({});
        }
        case 'CreateEnvironment': {
          const spec = (body as { spec?: FakeOnaEnvironment['spec'] }).spec;
          if (spec?.machine?.class === undefined || !options.machineClasses.includes(spec.machine.class))
            return connectError(400, 'invalid_argument', 'spec.machine.class: unknown environment class');
          if (environments.length >= ona.capacity)
            return connectError(
              429,
              'resource_exhausted',
              'the organization has reached its environment limit',
            );
          const environment: FakeOnaEnvironment = {
            id: `01950000-0000-7000-8000-${String(next++).padStart(12, '0')}`,
            spec,
            status: { phase: 'ENVIRONMENT_PHASE_CREATING' },
          };
          environments.push(environment);
          return json({ environment });
        }
        default:
          return connectError(
            404,
            'unimplemented',
            `gitpod.v1.EnvironmentService/${method} is not implemented`,
          );
      }
    },
  };
  return ona;
}
