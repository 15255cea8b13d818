// The launcher's JSON API over HTTP as one anonymous visitor calls it: its owner cookie, its origin, the body parsed.
// A body that is not JSON, or a start that is refused, fails with what came and the stack's last output.

import { request } from 'node:http';
import type { Stack } from '../../dev/stack.ts';
import { quietTail } from '../demo-stack.ts';

/** `owner` is the visitor's cookie, `lp_owner=anon-<uuid>`. */
export async function callApi(
  stack: Stack,
  owner: string,
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${stack.launcherUrl}${path}`, {
    ...init,
    headers: {
      'content-type': 'application/json',
      origin: stack.launcherUrl,
      cookie: owner,
      ...(init.headers ?? {}),
    },
  });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as Record<string, unknown> };
  } catch {
    throw new Error(`${path}: ${response.status} ${text.slice(0, 500)}\n${quietTail(stack)}`);
  }
}

/**
 * Starts a workspace for `url` (`POST /api/v1/workspaces`) and polls the launcher's record of it until it is running
 * or failed, two minutes at most: answers the id and the last record.
 */
export async function launchAndWait(
  stack: Stack,
  owner: string,
  url: string,
): Promise<{ id: string; status: Record<string, unknown> }> {
  const started = await callApi(stack, owner, '/api/v1/workspaces', {
    method: 'POST',
    body: JSON.stringify({ url }),
  });
  if (started.status !== 201) throw new Error(`start: ${JSON.stringify(started.body)}\n${quietTail(stack)}`);
  const id = String(started.body.id);
  let status = started.body;
  for (let i = 0; i < 240 && status.phase !== 'running' && status.phase !== 'failed'; i++) {
    await new Promise((r) => setTimeout(r, 500));
    status = (await callApi(stack, owner, `/api/v1/workspaces/${id}`)).body;
  }
  return { id, status };
}

/**
 * A GET to the cluster's server as if sent to a workspace's own host (`ws-1.localhost:4321`): Node's fetch cannot
 * set Host, so this goes to the cluster's loopback address with the header.
 */
export function getOnWorkspaceHost(
  stack: Stack,
  host: string,
  path: string,
  cookie?: string,
): Promise<{ status: number; body: string; location?: string }> {
  const { port } = new URL(stack.clusterUrl);
  return new Promise((done, fail) => {
    const req = request(
      { host: '127.0.0.1', port, path, headers: { host, ...(cookie !== undefined && { cookie }) } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () =>
          done({
            status: res.statusCode ?? 0,
            body,
            ...(res.headers.location !== undefined && { location: res.headers.location }),
          }),
        );
      },
    );
    req.on('error', fail);
    req.end();
  });
}
