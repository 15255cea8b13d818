// The editor's first address: the context's file as VS Code's web client reads it from `?payload=`.

import { describe, expect, it } from 'vitest';
import { carriesPayload, editorEntryUrl, openFilePayload } from '../src/editor/editor-entry.ts';

const HOST = 'ws-1.workspaces.localhost:8788';

const payloadOf = (url: string) => {
  const param = new URLSearchParams(url.slice(url.indexOf('?') + 1)).get('payload');
  return param === null ? undefined : (JSON.parse(param) as [string, string][]);
};

describe('the editor entry address', () => {
  it('opens a file at its first line with gotoLineMode, and at its top without lines, on the page host', () => {
    const withLines = editorEntryUrl(
      '/workspace/app',
      { path: '/workspace/app/src/index.js', kind: 'file', startLine: 10, endLine: 20 },
      HOST,
    );
    expect(withLines.startsWith('/?folder=/workspace/app&payload=')).toBe(true);
    // code-server's web client names its remote by the page's host: the same file as the extension's, one tab.
    expect(payloadOf(withLines)).toStrictEqual([
      ['openFile', `vscode-remote://${HOST}/workspace/app/src/index.js:10`],
      ['gotoLineMode', 'true'],
    ]);
    const whole = editorEntryUrl('/workspace/app', { path: '/workspace/app/README.md', kind: 'file' }, HOST);
    expect(payloadOf(whole)).toStrictEqual([['openFile', `vscode-remote://${HOST}/workspace/app/README.md`]]);
  });

  it('encodes what a URI would misread, in the folder and the file', () => {
    const url = editorEntryUrl(
      '/workspace/my app',
      { path: '/workspace/my app/docs/#1 100%.md', kind: 'file', startLine: 1 },
      HOST,
    );
    expect(url.startsWith('/?folder=/workspace/my%20app&payload=')).toBe(true);
    expect(payloadOf(url)?.[0]).toStrictEqual([
      'openFile',
      `vscode-remote://${HOST}/workspace/my%20app/docs/%231%20100%25.md:1`,
    ]);
  });

  it('leaves folders, unknown contexts and paths with a colon to the extension', () => {
    expect(openFilePayload(undefined, HOST)).toBeUndefined();
    expect(openFilePayload({ path: '/workspace/app/src', kind: 'folder' }, HOST)).toBeUndefined();
    // `a:5` would be read as line 5 of `a`.
    expect(openFilePayload({ path: '/workspace/app/a:5', kind: 'file', startLine: 1 }, HOST)).toBeUndefined();
    expect(editorEntryUrl('/workspace/app', { path: '/workspace/app/src', kind: 'folder' }, HOST)).toBe(
      '/?folder=/workspace/app',
    );
  });

  it('knows its own payload in an address, and nothing else', () => {
    const open = { path: '/workspace/app/src/index.js', kind: 'file' as const, startLine: 3 };
    const payload = openFilePayload(open, HOST) as string;
    expect(carriesPayload(editorEntryUrl('/workspace/app', open, HOST), payload)).toBe(true);
    expect(carriesPayload('/?folder=/workspace/app', payload)).toBe(false);
    expect(carriesPayload('/', payload)).toBe(false);
    const other = openFilePayload({ ...open, startLine: 4 }, HOST) as string;
    expect(carriesPayload(`/?folder=/workspace/app&payload=${encodeURIComponent(other)}`, payload)).toBe(
      false,
    );
  });
});
