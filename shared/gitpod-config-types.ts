// The shapes and limits of a .gitpod.yml config, shared by its parser's parts (gitpod-config.ts re-exports them).

import type { Document } from 'yaml';

/** Largest accepted file, in UTF-8 bytes. Real configs are a few KiB; long scripts belong in the repository. */
export const MAX_CONFIG_BYTES = 64 * 1024;
/** Deepest accepted nesting of mappings and lists; a real config needs about five levels. */
export const MAX_CONFIG_DEPTH = 64;
/** Passed to `yaml` as `maxAliasCount`: how far one anchor may be expanded through aliases. */
export const MAX_ALIAS_EXPANSION = 100;
// Alias resolution in `yaml` scans every anchor per alias, so thousands of aliases cost quadratic time even when
// each is expanded only once. No hand-written config comes close to this many.
export const MAX_ALIASES = 1000;

export type ConfigErrorCode = 'too-large' | 'yaml-syntax' | 'too-complex' | 'schema';

export interface ConfigError {
  readonly code: ConfigErrorCode;
  /** Where in the config, e.g. `ports[1].port`, `tasks[0].init`, `github.prebuilds.branches`; '' for the whole file. */
  readonly path: string;
  /** 1-based line of the best known position. */
  readonly line: number;
  /** 1-based column of the best known position. */
  readonly column: number;
  /** A sentence a person can act on: the path, what was expected, what was found and what to change. */
  readonly message: string;
}

export type ImageConfig =
  | { readonly kind: 'default' }
  | { readonly kind: 'image'; readonly name: string }
  | { readonly kind: 'dockerfile'; readonly file: string; readonly context?: string };

export type OpenMode = 'split-left' | 'split-right' | 'tab-before' | 'tab-after';
export type OpenIn = 'bottom' | 'main' | 'left' | 'right';

export interface Task {
  readonly name?: string;
  readonly before?: string;
  readonly init?: string;
  /** Deprecated by Gitpod; runs during prebuilds only, so it is treated like `init` there. */
  readonly prebuild?: string;
  readonly command?: string;
  readonly openMode?: OpenMode;
  readonly openIn?: OpenIn;
  /** Values that are not strings are JSON-encoded, as Gitpod's supervisor does. */
  readonly env?: Readonly<Record<string, string>>;
}

export type OnOpen = 'open-browser' | 'open-preview' | 'notify' | 'ignore' | 'ignore-completely';

export type Port = ({ readonly port: number } | { readonly range: readonly [number, number] }) & {
  readonly onOpen: OnOpen;
  readonly visibility: 'private' | 'public';
  readonly protocol: 'http' | 'https';
  readonly name?: string;
  readonly description?: string;
};

export interface GithubPrebuilds {
  readonly master: boolean;
  readonly branches: boolean;
  readonly pullRequests: boolean;
  readonly pullRequestsFromForks: boolean;
  readonly addCheck: boolean | 'prevent-merge-on-error';
  readonly addBadge: boolean;
  readonly addComment: boolean;
  /** The label to add, or false. `addLabel: true` means Gitpod's default label. */
  readonly addLabel: string | false;
}

export interface AdditionalRepository {
  readonly url: string;
  readonly checkoutLocation?: string;
}

export interface GitpodConfig {
  readonly image: ImageConfig;
  readonly tasks: readonly Task[];
  readonly ports: readonly Port[];
  readonly env: Readonly<Record<string, string>>;
  readonly checkoutLocation?: string;
  readonly workspaceLocation?: string;
  readonly mainConfiguration?: string;
  readonly additionalRepositories: readonly AdditionalRepository[];
  readonly gitConfig: Readonly<Record<string, string>>;
  readonly github: {
    readonly prebuilds: GithubPrebuilds;
    /** Whether the file sets `github.prebuilds` itself, so later code can tell defaults from choices. */
    readonly prebuildsInFile: boolean;
  };
  /** The validated document as plain data, for keys this type does not model (vscode, jetbrains, …). */
  readonly raw: Readonly<Record<string, unknown>>;
}

export interface PrebuildTask {
  readonly name?: string;
  readonly before?: string;
  readonly init?: string;
}

export const DEFAULT_GITHUB_PREBUILDS: GithubPrebuilds = Object.freeze({
  master: true,
  branches: false,
  pullRequests: true,
  pullRequestsFromForks: false,
  addCheck: true,
  addBadge: false,
  addComment: false,
  addLabel: false,
});

export const DEFAULT_PREBUILT_LABEL = 'prebuilt-in-gitpod';

export type Segment = string | number;
export type Path = readonly Segment[];
export type YamlDoc = Document.Parsed;

export interface Located {
  readonly segments: Path;
  /** Point at the key rather than the value, e.g. for an unknown key. */
  readonly atKey: boolean;
}
