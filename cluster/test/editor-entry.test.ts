// The editor's first address: the context's file as VS Code's web client reads it from `?payload=`.

import { describe, expect, it } from 'vitest';
import { carriesPayload, editorEntryUrl, openFilePayload } from '../src/editor/editor-entry.ts';

const payloadOf = (url: string) => {
  const param = new URLSearchParams(url.slice(url.indexOf('?') + 1)).get('payload');
  return param === null ? undefined : (JSON.parse(param) as [string, string][]);
};

describe('the editor entry address', () => {
  it('opens a file at its first line with gotoLineMode, and at its top without lines', () => {
    const withLines = editorEntryUrl('/workspace/app', {
      path: '/workspace/app/src/index.js',
      kind: 'file',
      startLine: 10,
      endLine: 20,
    });
    expect(withLines.startsWith('/?folder=/workspace/app&payload=')).toBe(true);
    expect(payloadOf(withLines)).toStrictEqual([
      ['openFile', 'vscode-remote://remote/workspace/app/src/index.js:10'],
      ['gotoLineMode', 'true'],
    ]);
    const whole = editorEntryUrl('/workspace/app', { path: '/workspace/app/README.md', kind: 'file' });
    expect(payloadOf(whole)).toStrictEqual([['openFile', 'vscode-remote://remote/workspace/app/README.md']]);
  });

  it('encodes what a URI would misread, in the folder and the file', () => {
    const url = editorEntryUrl('/workspace/my app', {
      path: '/workspace/my app/docs/#1 100%.md',
      kind: 'file',
      startLine: 1,
    });
    expect(url.startsWith('/?folder=/workspace/my%20app&payload=')).toBe(true);
    expect(payloadOf(url)?.[0]).toStrictEqual([
      'openFile',
      'vscode-remote://remote/workspace/my%20app/docs/%231%20100%25.md:1',
    ]);
  });

  it('leaves folders, unknown contexts and paths with a colon to the extension', () => {
    expect(openFilePayload(undefined)).toBeUndefined();
    expect(openFilePayload({ path: '/workspace/app/src', kind: 'folder' })).toBeUndefined();
    // `a:5` would be read as line 5 of `a`.
    expect(openFilePayload({ path: '/workspace/app/a:5', kind: 'file', startLine: 1 })).toBeUndefined();
    expect(editorEntryUrl('/workspace/app', { path: '/workspace/app/src', kind: 'folder' })).toBe(
      '/?folder=/workspace/app',
    );
  });

  it('knows its own payload in an address, and nothing else', () => {
    const open = { path: '/workspace/app/src/index.js', kind: 'file' as const, startLine: 3 };
    const payload = openFilePayload(open) as string;
    expect(carriesPayload(editorEntryUrl('/workspace/app', open), payload)).toBe(true);
    expect(carriesPayload('/?folder=/workspace/app', payload)).toBe(false);
    expect(carriesPayload('/', payload)).toBe(false);
    const other = openFilePayload({ ...open, startLine: 4 }) as string;
    expect(carriesPayload(`/?folder=/workspace/app&payload=${encodeURIComponent(other)}`, payload)).toBe(
      false,
    );
  });
});
