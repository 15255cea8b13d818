// What each host family's webhook piece provides: checking a delivery's authenticity over the raw body, naming the
// delivery, reading its payload into prebuild triggers and the repository's visibility. Also the payload helpers the
// family modules share. A family module never throws on a payload: a shape it does not know is `irrelevant`.

import type { SignatureCheck } from './webhook-signature.ts';

export type WebhookTrigger =
  | {
      readonly kind: 'push';
      /** Branch name without `refs/heads/`. */
      readonly branch: string;
      /** Full sha (every family sends one for pushes). */
      readonly sha: string;
    }
  | {
      readonly kind: 'pull-request';
      readonly number: number;
      readonly branch: string;
      /** Full sha, or Bitbucket Cloud's 12-hex abbreviation (the consumer resolves it). */
      readonly sha: string;
      readonly fromFork: boolean;
      /** `owner/name` of the head repository when it is a fork. */
      readonly headRepo?: { readonly owner: string; readonly name: string };
    };

export type ReadEvent =
  | { readonly kind: 'triggers'; readonly triggers: readonly WebhookTrigger[] }
  | { readonly kind: 'ping' }
  | { readonly kind: 'irrelevant'; readonly why: string };

export type Json = Record<string, unknown>;
export const obj = (v: unknown): Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
export const isSha = (v: string | undefined): v is string => v !== undefined && /^[0-9a-f]{7,40}$/i.test(v);
export const ZERO = /^0+$/;
export const branchOf = (ref: string | undefined) =>
  ref?.startsWith('refs/heads/') ? ref.slice(11) : undefined;

/** `owner/name` → parts (GitLab namespaces may have slashes: the last segment is the name). */
export function splitFullName(full: string | undefined): { owner: string; name: string } | undefined {
  if (full === undefined) return undefined;
  const slash = full.lastIndexOf('/');
  return slash <= 0 ? undefined : { owner: full.slice(0, slash), name: full.slice(slash + 1) };
}

/** A pull request's head to prebuild, from hosts that name repositories `owner/name` (a fork when they differ). */
export function pullRequestTrigger(
  number: number,
  branch: string,
  sha: string,
  headRepo: string | undefined,
  baseRepo: string | undefined,
): ReadEvent {
  const fromFork = headRepo !== undefined && headRepo.toLowerCase() !== baseRepo?.toLowerCase();
  const fork = fromFork ? splitFullName(headRepo) : undefined;
  return {
    kind: 'triggers',
    triggers: [
      { kind: 'pull-request', number, branch, sha, fromFork, ...(fork !== undefined && { headRepo: fork }) },
    ],
  };
}

/** A delivery as the host would send it, and whether its signature must be accepted. */
export interface SignatureVector {
  readonly secret: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly valid: boolean;
}

export interface WebhookFamily {
  /** The family's check on a request's headers and raw body, before anything is parsed. */
  verify(secret: string, headers: Headers, body: ArrayBuffer): Promise<SignatureCheck>;
  /** What names this delivery (a header, or a payload field where the host puts it there), or null. */
  deliveryId(headers: Headers, payload: Json): string | null;
  read(headers: Headers, payload: Json): ReadEvent;
  /** What the payload says about the repository's visibility; undefined when it does not say. */
  visibility(payload: Json): 'public' | 'private' | undefined;
  /** Known-good and known-bad deliveries (official vectors where the host publishes some): the conformance test. */
  readonly signatureVectors: readonly SignatureVector[];
}
