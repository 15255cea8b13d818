// Who may use a workspace's origins: its owner, handed over by the launcher with a single-use open token (see
// shared/workspace-access.ts), then holding a cookie for that one host; a port host gets its own cookie through the
// workspace host. Cookies are signed with the cluster's secret and bound to their host, so none works elsewhere.

import { randomBytes } from 'node:crypto';
import { constantTimeEqual } from '../../../shared/cluster-contract.ts';
import { signFor, verifyOpenToken } from '../../../shared/workspace-access.ts';

export const COOKIE = 'launchpod_ws';
/** How long a workspace cookie lasts: a working day; the launcher's Open hands out a new one any time. */
export const COOKIE_SECONDS = 12 * 3600;
const PORT_TOKEN_SECONDS = 60;

export interface WorkspaceAuthOptions {
  readonly secret: string;
  readonly nowSeconds: () => number;
}

/** Every value of the cookie in a Cookie header: a tossed cookie of the same name must not hide the real one. */
export function cookieValues(header: string | undefined, name = COOKIE): string[] {
  if (header === undefined) return [];
  return header
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part.startsWith(`${name}=`))
    .map((part) => part.slice(name.length + 1));
}

/** The Cookie header without ours: what a workspace's editor or app is sent. */
export function withoutOurCookie(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const rest = header
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '' && !part.startsWith(`${COOKIE}=`));
  return rest.length > 0 ? rest.join('; ') : undefined;
}

export class WorkspaceAuth {
  readonly #options: WorkspaceAuthOptions;
  /** Open-token nonces already used, until they would have expired anyway. */
  readonly #used = new Map<string, number>();

  constructor(options: WorkspaceAuthOptions) {
    this.#options = options;
  }

  /** A cookie value for `host` (lower-case, with port). */
  cookieFor(host: string): string {
    const expires = this.#options.nowSeconds() + COOKIE_SECONDS;
    return `${expires}.${signFor(this.#options.secret, 'launchpod-ws-cookie-v1', `${host}\n${expires}`)}`;
  }

  /** Whether the request's Cookie header holds a valid cookie for `host`. */
  hasCookie(host: string, header: string | undefined): boolean {
    const now = this.#options.nowSeconds();
    return cookieValues(header).some((value) => {
      const m = /^(\d{1,12})\.([0-9a-f]{64})$/.exec(value);
      if (m === null || Number(m[1]) < now) return false;
      return constantTimeEqual(
        signFor(this.#options.secret, 'launchpod-ws-cookie-v1', `${host}\n${m[1]}`),
        m[2] ?? '',
      );
    });
  }

  /**
   * Checks an open token from the launcher for this workspace and owner, once. A person reads the message when it
   * fails.
   */
  redeemOpenToken(
    token: string,
    workspaceId: string,
    ownerId: string,
  ): { ok: true } | { ok: false; message: string } {
    const now = this.#options.nowSeconds();
    for (const [nonce, until] of this.#used) if (until < now) this.#used.delete(nonce);
    const checked = verifyOpenToken(this.#options.secret, token, now);
    if (!checked.ok)
      return {
        ok: false,
        message:
          checked.problem === 'expired'
            ? 'This link to the workspace has expired.'
            : 'This link to the workspace is not valid.',
      };
    const { claims } = checked;
    if (claims.workspaceId !== workspaceId || claims.ownerId !== ownerId)
      return { ok: false, message: 'This link belongs to another workspace or another person.' };
    if (this.#used.has(claims.nonce))
      return { ok: false, message: 'This link to the workspace was already used.' };
    this.#used.set(claims.nonce, claims.expiresAt);
    return { ok: true };
  }

  /** A short-lived token that hands the owner from the workspace host to one of its port hosts. */
  portToken(portHost: string): string {
    const expires = this.#options.nowSeconds() + PORT_TOKEN_SECONDS;
    const nonce = randomBytes(12).toString('hex');
    const payload = `${expires}.${nonce}`;
    return `${payload}.${signFor(this.#options.secret, 'launchpod-port-v1', `${portHost}\n${payload}`)}`;
  }

  redeemPortToken(token: string, portHost: string): boolean {
    const m = /^(\d{1,12})\.([0-9a-f]{24})\.([0-9a-f]{64})$/.exec(token);
    const now = this.#options.nowSeconds();
    if (m === null || Number(m[1]) < now) return false;
    const payload = `${m[1]}.${m[2]}`;
    if (
      !constantTimeEqual(
        signFor(this.#options.secret, 'launchpod-port-v1', `${portHost}\n${payload}`),
        m[3] ?? '',
      )
    )
      return false;
    if (this.#used.has(`port:${m[2]}`)) return false;
    this.#used.set(`port:${m[2]}`, Number(m[1]));
    return true;
  }
}

/** `Set-Cookie` for a workspace host: host-only (no Domain), HttpOnly, Lax, Secure on https. */
export function setCookieHeader(value: string, secure: boolean): string {
  return `${COOKIE}=${value}; Path=/; Max-Age=${COOKIE_SECONDS}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

/** A path on this origin to go on to (`/`, `/?folder=x`); anything else (`//evil`, `https://…`) is `/`. */
export function samePath(to: string | undefined): string {
  if (to === undefined || !to.startsWith('/') || to.startsWith('//') || /[\\\s]/.test(to)) return '/';
  return to;
}
