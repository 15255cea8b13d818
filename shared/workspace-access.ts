// How a user reaches a running workspace: each workspace has an origin of its own under its cluster's public host
// (`http://ws-1a2b….localhost:8788/`), each of its ports another (`http://3000-ws-1a2b….localhost:8788/`), so no
// workspace's pages share an origin with another's, the cluster's or the launcher's. The launcher hands the owner
// over with a short-lived, single-use open token signed with the cluster's secret; the cluster turns it into a
// cookie for that one workspace host. Never accepts a token for another workspace, another owner or past its time.

import { constantTimeEqual } from './cluster-contract.ts';
import { hmacSha256Hex, sha256Hex } from './digest.ts';

/** How long an open token may wait between the launcher's redirect and the cluster's answer. */
export const OPEN_TOKEN_SECONDS = 120;

/** A DNS label: lower-case letters, digits and `-`, 1–63 characters, not starting or ending with `-`. */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** The workspace's host label: its id when that is a DNS label (the launcher's `ws-<uuid>`), else a digest. */
export function workspaceHostLabel(workspaceId: string): string {
  if (LABEL.test(workspaceId) && !/^\d+-/.test(workspaceId)) return workspaceId;
  return `w-${sha256Hex(workspaceId).slice(0, 20)}`;
}

/** `http://localhost:8788` → [`http:`, `localhost:8788`] (a cluster's public origin is checked when it starts). */
function originParts(publicOrigin: string): [string, string] {
  const m = /^(https?:)\/\/([^/?#@\s]+)\/?$/i.exec(publicOrigin);
  if (m === null) throw new Error(`not an origin: ${publicOrigin}`);
  return [(m[1] as string).toLowerCase(), (m[2] as string).toLowerCase()];
}

/** `http://localhost:8788` + `ws-1` → `http://ws-1.localhost:8788/`. */
export function workspaceUrl(publicOrigin: string, workspaceId: string): string {
  const [scheme, host] = originParts(publicOrigin);
  return `${scheme}//${workspaceHostLabel(workspaceId)}.${host}/`;
}

/**
 * The CSP source naming every workspace origin under a cluster's public origin, `http://*.localhost:8788`: a form
 * whose answer follows a workspace there (Restart) is held to `form-action` through its redirects.
 */
export function workspaceOriginsSource(publicOrigin: string): string {
  const [scheme, host] = originParts(publicOrigin);
  return `${scheme}//*.${host}`;
}

/** The template VS Code fills for a port: `http://{{port}}-ws-1.localhost:8788/`. */
export function portUrlTemplate(publicOrigin: string, workspaceId: string): string {
  const [scheme, host] = originParts(publicOrigin);
  return `${scheme}//{{port}}-${workspaceHostLabel(workspaceId)}.${host}/`;
}

/**
 * Whether `url` is on the workspace's own origin under the cluster's public origin — the only place besides the
 * launcher's own pages a launcher sends a user for this workspace. Its authority ends with the prefix's slash, so
 * whatever follows is a path on that origin.
 */
export function isWorkspaceUrl(url: string, publicOrigin: string, workspaceId: string): boolean {
  let expected: string;
  try {
    expected = workspaceUrl(publicOrigin, workspaceId);
  } catch {
    return false;
  }
  return url.toLowerCase().startsWith(expected) && !/[\s#]/.test(url);
}

export interface OpenClaims {
  /** The workspace, and who it is handed to (must be its owner). */
  readonly workspaceId: string;
  readonly ownerId: string;
  /** Seconds since the epoch. */
  readonly expiresAt: number;
  /** Random, remembered by the cluster once used: a token opens once. */
  readonly nonce: string;
}

/** JSON with every non-ASCII character escaped, as hex: the token travels in a URL as is. */
const toHex = (value: unknown) =>
  [
    ...JSON.stringify(value).replace(
      /[\u0080-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    ),
  ]
    .map((c) => c.charCodeAt(0).toString(16).padStart(2, '0'))
    .join('');

function fromHex(text: string): string | undefined {
  if (!/^(?:[0-9a-f]{2})*$/.test(text)) return undefined;
  let out = '';
  for (let i = 0; i < text.length; i += 2)
    out += String.fromCharCode(Number.parseInt(text.slice(i, i + 2), 16));
  return out;
}

const mac = (secret: string, purpose: string, payload: string) =>
  hmacSha256Hex(secret, `${purpose}\n${payload}`);

/** `<hex claims>.<hex HMAC>`, made by the launcher with the workspace's cluster's secret. */
export function signOpenToken(secret: string, claims: OpenClaims): string {
  const payload = toHex({ w: claims.workspaceId, o: claims.ownerId, e: claims.expiresAt, n: claims.nonce });
  return `${payload}.${mac(secret, 'launchpod-open-v1', payload)}`;
}

export type OpenTokenProblem = 'malformed' | 'bad-signature' | 'expired';

export function verifyOpenToken(
  secret: string,
  token: string,
  nowSeconds: number,
): { ok: true; claims: OpenClaims } | { ok: false; problem: OpenTokenProblem } {
  const [payload, signature, ...rest] = token.split('.');
  if (payload === undefined || signature === undefined || rest.length > 0 || payload.length > 4096)
    return { ok: false, problem: 'malformed' };
  if (!constantTimeEqual(mac(secret, 'launchpod-open-v1', payload), signature))
    return { ok: false, problem: 'bad-signature' };
  const text = fromHex(payload);
  let raw: unknown;
  try {
    raw = text === undefined ? undefined : JSON.parse(text);
  } catch {
    raw = undefined;
  }
  const c = raw as { w?: unknown; o?: unknown; e?: unknown; n?: unknown } | undefined;
  if (
    typeof c?.w !== 'string' ||
    typeof c.o !== 'string' ||
    typeof c.e !== 'number' ||
    typeof c.n !== 'string' ||
    c.n.length < 16
  )
    return { ok: false, problem: 'malformed' };
  if (c.e < nowSeconds || c.e > nowSeconds + OPEN_TOKEN_SECONDS * 2) return { ok: false, problem: 'expired' };
  return { ok: true, claims: { workspaceId: c.w, ownerId: c.o, expiresAt: c.e, nonce: c.n } };
}

/** A value bound to one purpose and one host (cookies and port tokens the cluster mints for itself). */
export function signFor(secret: string, purpose: string, payload: string): string {
  return mac(secret, purpose, payload);
}
