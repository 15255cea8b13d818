// The editor's first address in a new instance of a workspace: for a file context, VS Code's own `payload` asks the
// workbench to open the file (at its first line) as it starts, instead of waiting for the Launchpod extension —
// which runs only once the extension host is up, seconds after the workbench shows (bench/e2e). The extension still
// selects the lines when it starts. code-server's web client reads `?folder=` and `?payload=` (VS Code's
// `WorkspaceProvider`); `openFile` with `gotoLineMode` is what VS Code's `--goto` sends to a browser window.

import type { AgentConfig } from './agent-files.ts';

/** `/workspace/my repo` → `/workspace/my%20repo`: as VS Code writes a folder into its address. */
const folderParam = (folder: string) => encodeURIComponent(folder).replaceAll('%2F', '/');

/** The editor's address for its folder alone (what code-server's `/` sends a browser to). */
export function editorFolderUrl(folder: string): string {
  return `/?folder=${folderParam(folder)}`;
}

/**
 * The payload that opens `open` with the workbench, its file URI on `host` — code-server's web client names its
 * remote by the page's own host (`location.host`): a URI on another authority opens as another file, a second tab
 * beside the extension's. Undefined for a folder (the extension reveals it) and for a path whose `:` VS Code would
 * read as a line number.
 */
export function openFilePayload(open: AgentConfig['open'], host: string): string | undefined {
  if (open === undefined || open.kind !== 'file' || open.path.includes(':')) return undefined;
  const path = open.path
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
  const uri = `vscode-remote://${host}${path}`;
  const entries: [string, string][] =
    open.startLine === undefined
      ? [['openFile', uri]]
      : [
          ['openFile', `${uri}:${open.startLine}`],
          ['gotoLineMode', 'true'],
        ];
  return JSON.stringify(entries);
}

/** The first address on `host`: the folder, and the file the user came from when there is one to open. */
export function editorEntryUrl(folder: string, open: AgentConfig['open'], host: string): string {
  const payload = openFilePayload(open, host);
  return payload === undefined
    ? editorFolderUrl(folder)
    : `${editorFolderUrl(folder)}&payload=${encodeURIComponent(payload)}`;
}

/** Whether a request's query is the entry address's own payload (a reload of that first address). */
export function carriesPayload(url: string, payload: string): boolean {
  const query = url.indexOf('?');
  if (query < 0) return false;
  return new URLSearchParams(url.slice(query + 1)).get('payload') === payload;
}
