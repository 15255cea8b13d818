// The backend kinds a CLUSTERS entry may name, one adapter each, and how an entry of a hand-off kind is read:
// `{name, kind, url?, apiUrl?, displayName?, template?, organization?, parameters?, machine?, workspaceOrigins?}`,
// its access (Coder session token, Ona API key) in CLUSTER_SECRETS under its name. A mistake names the field.

import { err, ok, type Result } from '../../../shared/result.ts';
import type { BackendAdapter, BackendConfig, HandoffKind } from './backend.ts';
import { HANDOFF_KINDS } from './backend.ts';
import { coderBackend } from './coder.ts';
import { codespacesBackend } from './codespaces.ts';
import { devpodBackend } from './devpod.ts';
import { gitpodBackend } from './gitpod.ts';
import { onaBackend } from './ona.ts';

export const backendAdapters: Readonly<Record<HandoffKind, BackendAdapter>> = {
  ona: onaBackend,
  gitpod: gitpodBackend,
  codespaces: codespacesBackend,
  coder: coderBackend,
  devpod: devpodBackend,
};

const isHandoffKind = (kind: unknown): kind is HandoffKind =>
  typeof kind === 'string' && (HANDOFF_KINDS as readonly string[]).includes(kind);

const URL_TEXT = /^https?:\/\/[^/?#\s@]+(\/[^?#\s]*)?$/;

/** One CLUSTERS entry whose `kind` is not `launchpod`. */
export function readBackend(
  raw: Record<string, unknown>,
  where: string,
  secret: unknown,
): Result<BackendConfig, string> {
  if (!isHandoffKind(raw.kind))
    return err(
      `${where}.kind must be one of launchpod, ${HANDOFF_KINDS.join(', ')} (got ${JSON.stringify(raw.kind)}).`,
    );
  const adapter = backendAdapters[raw.kind];
  const name = raw.name as string;
  const url = (typeof raw.url === 'string' ? raw.url : (adapter.defaultUrl ?? '')).replace(/\/+$/, '');
  if (!URL_TEXT.test(url))
    return err(
      `${where}.url must be the ${adapter.defaultDisplayName} address, like https://${raw.kind}.example.com.`,
    );
  const apiUrl = (typeof raw.apiUrl === 'string' ? raw.apiUrl : (adapter.defaultApiUrl ?? '')).replace(
    /\/+$/,
    '',
  );
  if (apiUrl !== '' && !URL_TEXT.test(apiUrl)) return err(`${where}.apiUrl must be an absolute http(s) URL.`);
  const extra = raw.workspaceOrigins ?? [];
  if (
    !Array.isArray(extra) ||
    !extra.every((o) => typeof o === 'string' && /^https?:\/\/(\*\.)?[a-z0-9.-]+(:\d+)?$/i.test(o))
  )
    return err(
      `${where}.workspaceOrigins must list origins like https://*.github.dev or https://ws.example.com.`,
    );
  const parameters = raw.parameters;
  if (
    parameters !== undefined &&
    (typeof parameters !== 'object' ||
      parameters === null ||
      Object.values(parameters).some((v) => typeof v !== 'string'))
  )
    return err(`${where}.parameters must map Coder parameter names to text like "{repo_url}" or "{branch}".`);
  for (const field of ['displayName', 'template', 'organization', 'machine'] as const)
    if (raw[field] !== undefined && (typeof raw[field] !== 'string' || raw[field] === ''))
      return err(`${where}.${field} must be a non-empty string.`);
  if (secret !== undefined && (typeof secret !== 'string' || secret === ''))
    return err(
      `CLUSTER_SECRETS["${name}"] must be the ${adapter.defaultDisplayName} access token, as a string.`,
    );
  const origins = [new URL(url).origin, ...(adapter.defaultOrigins ?? []), ...(extra as string[])];
  return ok({
    name,
    kind: raw.kind,
    displayName: (raw.displayName as string | undefined) ?? adapter.defaultDisplayName,
    url,
    ...(apiUrl !== '' && { apiUrl }),
    origins: [...new Set(origins.map((o) => o.toLowerCase()))],
    ...(typeof secret === 'string' && { secret }),
    ...(typeof raw.template === 'string' && { template: raw.template }),
    ...(typeof raw.organization === 'string' && { organization: raw.organization }),
    ...(parameters !== undefined && { parameters: parameters as Record<string, string> }),
    ...(typeof raw.machine === 'string' && { machine: raw.machine }),
  });
}
