// The one validation of a start request (`POST /v1/workspaces`), shared by the cluster (which refuses what fails it)
// and the launcher (which checks every request it would send, so a launch the cluster would refuse is refused
// before it starts, with the reason). Ids usable as directory names, refs git cannot mistake for options, URLs with
// allowed schemes and no embedded credentials, environment names a shell can set. Never lets a field through that
// later code would have to re-check.

import { type OutputUnit, type Schema, Validator } from '@cfworker/json-schema';
import { CLUSTER_CONTRACT_VERSION, type StartWorkspaceRequest } from './cluster-contract.ts';
import { EDITORS } from './editors.ts';
import { blockedNameReason, ENV_NAME } from './env-vars.ts';
import { err, ok, type Result } from './result.ts';

// `ws-6f1c…`, `pb-main-3` — used as directory and file names, so no `/`, no leading dot.
const ID = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$' } as const;
const SHA = { type: 'string', pattern: '^[0-9a-f]{40}$' } as const;
// `main`, `feature/x`, `1-fix-login`: a leading `-` would read as a git option; git checks the rest of its rules.
// Git has no length limit of its own (a 538-character branch is real); 1024 bounds the work.
const REF_NAME = {
  type: 'string',
  minLength: 1,
  maxLength: 1024,
  pattern: '^[^-\\s~^:?*\\[\\\\][^\\s~^:?*\\[\\\\]*$',
} as const;

/** Limits a `.gitpod.yml` must keep within to be startable (gitpod-config.ts checks them with their line). */
export const START_LIMITS = {
  tasks: 32,
  scriptChars: 64 * 1024,
  taskName: 200,
  envValue: 4096,
  env: 128,
} as const;

const TEXT = { type: 'string', maxLength: 1000 } as const;
const SCRIPT = { type: 'string', maxLength: START_LIMITS.scriptChars } as const;
const ENV_NAME_PATTERN = ENV_NAME.source;
const URL_TEXT = { type: 'string', minLength: 1, maxLength: 2048 } as const;

const SCHEMA: Schema = {
  type: 'object',
  required: [
    'contractVersion',
    'id',
    'type',
    'owner',
    'context',
    'initializer',
    'image',
    'tasks',
    'ports',
    'env',
    'eventsUrl',
  ],
  properties: {
    contractVersion: { type: 'integer' },
    id: ID,
    type: { enum: ['regular', 'prebuild'] },
    prebuildId: ID,
    owner: { type: 'object', required: ['id'], properties: { id: TEXT, name: TEXT } },
    context: {
      type: 'object',
      required: ['repo', 'cloneUrl', 'webUrl', 'defaultBranch', 'sha'],
      properties: {
        repo: {
          type: 'object',
          required: ['host', 'owner', 'name'],
          properties: { host: TEXT, owner: TEXT, name: TEXT, family: TEXT },
        },
        cloneUrl: URL_TEXT,
        webUrl: URL_TEXT,
        defaultBranch: REF_NAME,
        ref: {
          type: 'object',
          required: ['name', 'type'],
          properties: { name: REF_NAME, type: { enum: ['branch', 'tag'] } },
        },
        sha: SHA,
        path: {
          type: 'object',
          required: ['path', 'kind'],
          properties: { path: { type: 'string', maxLength: 4096 }, kind: { enum: ['file', 'folder'] } },
        },
        lines: {
          type: 'object',
          required: ['start', 'end'],
          properties: { start: { type: 'integer', minimum: 1 }, end: { type: 'integer', minimum: 1 } },
        },
        pullRequest: {
          type: 'object',
          required: ['number', 'title', 'headRef', 'headSha'],
          properties: {
            number: { type: 'integer' },
            title: TEXT,
            headRef: REF_NAME,
            headSha: SHA,
            baseRef: REF_NAME,
            baseCloneUrl: URL_TEXT,
          },
        },
        issue: {
          type: 'object',
          required: ['number', 'title', 'branch'],
          properties: { number: { type: 'integer' }, title: TEXT, branch: REF_NAME },
        },
      },
    },
    initializer: {
      type: 'object',
      required: ['kind'],
      properties: {
        kind: { enum: ['git', 'prebuild-snapshot-with-git-fallback'] },
        prebuildId: ID,
        snapshotSha: SHA,
      },
      if: { properties: { kind: { const: 'prebuild-snapshot-with-git-fallback' } } },
      // biome-ignore lint/suspicious/noThenProperty: `then` is JSON Schema's keyword, not a thenable.
      then: { required: ['prebuildId', 'snapshotSha'] },
    },
    credentialUrl: URL_TEXT,
    image: { type: 'object' },
    configFile: TEXT,
    tasks: {
      type: 'array',
      maxItems: START_LIMITS.tasks,
      items: {
        type: 'object',
        properties: {
          name: { type: 'string', maxLength: START_LIMITS.taskName },
          before: SCRIPT,
          init: SCRIPT,
          prebuild: SCRIPT,
          command: SCRIPT,
          env: {
            type: 'object',
            propertyNames: { pattern: ENV_NAME_PATTERN },
            additionalProperties: { type: 'string', maxLength: START_LIMITS.envValue },
          },
        },
      },
    },
    ports: { type: 'array' },
    env: {
      type: 'array',
      maxItems: START_LIMITS.env,
      items: {
        type: 'object',
        required: ['name', 'value'],
        properties: {
          name: { type: 'string', pattern: ENV_NAME_PATTERN },
          value: { type: 'string', maxLength: START_LIMITS.envValue },
        },
      },
    },
    // Only an editor a workspace really opens in (shared/editors.ts).
    editor: { type: 'string', enum: EDITORS.flatMap((editor) => [editor.id, ...editor.aliases]) },
    workspaceClass: TEXT,
    eventsUrl: URL_TEXT,
    gitCredentialsUrl: URL_TEXT,
  },
};

// Made on first use: building it resolves the schema, work a Worker's cold start need not do.
let validator: Validator | undefined;
const startRequestValidator = (): Validator => {
  validator ??= new Validator(SCHEMA, '2020-12', false);
  return validator;
};

// Keywords that only say "something inside failed"; the unit for the inner failure says what.
const WRAPPERS = new Set([
  'properties',
  'items',
  'if',
  'then',
  'allOf',
  'additionalProperties',
  'propertyNames',
]);

/** `#/context/sha` → `context.sha`, `#/tasks/0/init` → `tasks[0].init`. */
function fieldName(instanceLocation: string): string {
  const parts = instanceLocation.replace(/^#\/?/, '').split('/').filter(Boolean);
  if (parts.length === 0) return 'the body';
  return parts.reduce(
    (name, part) => (/^\d+$/.test(part) ? `${name}[${part}]` : name ? `${name}.${part}` : part),
    '',
  );
}

// The validator only says "does not match pattern"; a person needs to know which form was expected.
const PATTERN_MEANING = new Map<string, string>([
  [ID.pattern, "must be 1–128 letters, digits, '.', '_' or '-', starting with a letter or digit"],
  [SHA.pattern, 'must be a full 40-character lowercase hex commit id'],
  [REF_NAME.pattern, "must be a git ref name without spaces or ~^:?*[\\ and not starting with '-'"],
  [ENV_NAME_PATTERN, 'must be letters, digits and _, not starting with a digit'],
]);

/** The schema value a keyword location (`#/properties/context/properties/sha/pattern`) points at. */
function schemaAt(keywordLocation: string): unknown {
  let node: unknown = SCHEMA;
  for (const part of keywordLocation.replace(/^#\/?/, '').split('/')) {
    const key = decodeURIComponent(part).replaceAll('~1', '/').replaceAll('~0', '~');
    // The validator wrote this location walking SCHEMA (which has no `$ref`): every step before the last is an object.
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function schemaMessage(errors: readonly OutputUnit[]): string {
  const inner = errors.filter((e) => !WRAPPERS.has(e.keyword));
  const chosen = (inner.length > 0 ? inner : errors).slice(0, 3);
  return chosen
    .map((e) => {
      const pattern = e.keyword === 'pattern' ? schemaAt(e.keywordLocation) : undefined;
      const meaning =
        (typeof pattern === 'string' ? PATTERN_MEANING.get(pattern) : undefined) ??
        e.error.replace(/\.$/, '');
      return `${fieldName(e.instanceLocation)}: ${meaning}`;
    })
    .join('; ');
}

const CLONE_SCHEMES = new Set(['https', 'http', 'ssh', 'git']);

/** Answers a message naming what is wrong for a body the cluster cannot start. */
export function parseStartRequest(body: unknown): Result<StartWorkspaceRequest, string> {
  const checked = startRequestValidator().validate(body);
  if (!checked.valid) return err(`The start request is not valid: ${schemaMessage(checked.errors)}.`);
  const request = body as StartWorkspaceRequest;
  if (request.contractVersion !== CLUSTER_CONTRACT_VERSION) {
    return err(
      `Contract version ${request.contractVersion} is not spoken here; this cluster speaks version ${CLUSTER_CONTRACT_VERSION}.`,
    );
  }
  if (request.type === 'prebuild' && request.prebuildId === undefined)
    return err('A prebuild start request needs a prebuildId to store its snapshot under.');

  for (const [field, url] of [
    ['context.cloneUrl', request.context.cloneUrl],
    ['context.pullRequest.baseCloneUrl', request.context.pullRequest?.baseCloneUrl],
  ] as const) {
    if (url === undefined) continue;
    const clone = urlParts(url);
    // Network URLs only: `file:` (or a path) would clone whatever the cluster's own disk holds — other workspaces,
    // snapshots. An operator who mirrors repositories locally maps host URLs there with git's insteadOf rules.
    if (clone === undefined || !CLONE_SCHEMES.has(clone.scheme) || clone.host === '')
      return err(`${field} must be an https, http, ssh or git URL with a host.`);
    // Credentials never travel in a start request: they come once from `credentialUrl`.
    if (clone.userinfo.includes(':') || (clone.userinfo !== '' && clone.scheme !== 'ssh'))
      return err(`${field} must not carry credentials; send a credentialUrl instead.`);
  }
  for (const [field, value] of [
    ['eventsUrl', request.eventsUrl],
    ['credentialUrl', request.credentialUrl],
    ['gitCredentialsUrl', request.gitCredentialsUrl],
  ] as const) {
    if (value === undefined) continue;
    const parsed = urlParts(value);
    if (parsed === undefined || (parsed.scheme !== 'https' && parsed.scheme !== 'http') || parsed.host === '')
      return err(`${field} must be an http or https URL.`);
  }
  // Names were checked by the schema (ENV_NAME_PATTERN, for env and each task's env): only the blocklist is left.
  for (const variable of request.env) {
    const blocked = blockedNameReason(variable.name);
    if (blocked !== undefined) return err(`env: ${blocked}`);
    if (variable.value.includes('\0')) return err(`env: ${variable.name} contains a NUL character.`);
  }
  for (const [i, task] of request.tasks.entries()) {
    const scripts = [task.before, task.init, task.prebuild, task.command, ...Object.values(task.env ?? {})];
    if (scripts.some((s) => s?.includes('\0'))) return err(`tasks[${i}] contains a NUL character.`);
  }
  return ok(request);
}

// `https://user@host:8443/path` → scheme, userinfo, host. Read by hand: shared/ has no URL class, and a start
// request's URLs must have this plain form anyway (no `https:host`, no backslashes).
const URL_PARTS = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(?:([^@/?#\\]*)@)?([^/?#\\]*)([/?#][^\\]*)?$/;

function urlParts(text: string): { scheme: string; userinfo: string; host: string } | undefined {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a URL with control characters or spaces is refused.
  if (/[\u0000-\u0020\u007f]/.test(text)) return undefined;
  const match = URL_PARTS.exec(text);
  if (match === null) return undefined;
  return { scheme: (match[1] ?? '').toLowerCase(), userinfo: match[2] ?? '', host: match[3] ?? '' };
}
