// git's credentials for a running workspace, per request: the credential helper inside the sandbox asks on the
// workspace's own socket (`<dir>/cluster/git.sock`, mounted read-only, so the socket says which workspace asks), the
// cluster asks the launcher (signed like events), and the answer goes back to git's memory only. Nothing is kept.

import { chmodSync, chownSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { EVENT_HEADERS, signEvent } from '../../../shared/cluster-contract.ts';

export interface GitCredentialAsk {
  readonly protocol: string;
  readonly host: string;
  readonly path: string;
}

export type GitCredentialReply = { username: string; password: string } | { message: string };

export interface GitCredentialOptions {
  readonly workspaceId: string;
  readonly clusterName: string;
  readonly secret: string;
  readonly url: string;
  readonly fetch: typeof fetch;
  readonly nowSeconds: () => number;
}

/** Asks the launcher for the owner's credential for `ask`; a message for git's user when there is none. */
export async function askLauncher(
  ask: GitCredentialAsk,
  options: GitCredentialOptions,
): Promise<GitCredentialReply> {
  const body = JSON.stringify({ workspace: options.workspaceId, ...ask });
  const timestamp = options.nowSeconds();
  let response: Response;
  try {
    response = await options.fetch(options.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [EVENT_HEADERS.cluster]: options.clusterName,
        [EVENT_HEADERS.timestamp]: String(timestamp),
        [EVENT_HEADERS.signature]: signEvent(options.secret, timestamp, body),
      },
      body,
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    return { message: 'the launcher did not answer for git credentials; try again in a moment.' };
  }
  let reply: Record<string, unknown> = {};
  try {
    reply = (await response.json()) as Record<string, unknown>;
  } catch {
    reply = {};
  }
  if (response.ok && typeof reply.username === 'string' && typeof reply.password === 'string')
    return { username: reply.username, password: reply.password };
  return {
    message:
      typeof reply.message === 'string'
        ? reply.message.slice(0, 500)
        : `the launcher gave no git credentials (HTTP ${response.status}).`,
  };
}

/**
 * Listens on `socketPath` until closed. The socket is the workspace's own host uid's and no one else's (0600): the
 * cluster answers whoever connects with the owner's credentials, so no other workspace, host user or service may.
 * Until it is handed over it is root's, made under root's umask: no one else can connect meanwhile.
 */
export function serveGitCredentials(
  socketPath: string,
  workspaceUid: number,
  ask: (request: GitCredentialAsk) => Promise<GitCredentialReply>,
): Server {
  rmSync(socketPath, { force: true });
  // Half-open: the helper ends its side after the question and waits for the answer on the other.
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    let text = '';
    socket.setEncoding('utf8');
    socket.setTimeout(15_000, () => socket.destroy());
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > 8192) socket.destroy();
    });
    socket.on('end', async () => {
      let request: Partial<GitCredentialAsk> = {};
      try {
        request = JSON.parse(text) as Partial<GitCredentialAsk>;
      } catch {
        request = {};
      }
      const valid =
        typeof request.protocol === 'string' &&
        typeof request.host === 'string' &&
        /^[A-Za-z0-9.-]+(?::\d+)?$/.test(request.host) &&
        typeof (request.path ?? '') === 'string';
      const reply = valid
        ? await ask({
            protocol: request.protocol as string,
            host: request.host as string,
            path: request.path ?? '',
          })
        : { message: 'git asked for credentials in a form the cluster does not read.' };
      socket.end(`${JSON.stringify(reply)}\n`);
    });
    socket.on('error', () => socket.destroy());
  });
  server.on('error', () => server.close());
  server.listen(socketPath, () => {
    try {
      chownSync(socketPath, workspaceUid, workspaceUid);
      chmodSync(socketPath, 0o600);
    } catch {
      // gone already (the workspace stopped), or not ours to give: it stays root's, closed to the workspace too
    }
  });
  return server;
}
