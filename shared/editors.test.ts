import { describe, expect, it } from 'vitest';
import { availableEditors, editorNamed } from './editors.ts';
import { parseStartRequest } from './start-request.ts';

describe('editors', () => {
  it('knows VS Code in the browser by its id and by the names Gitpod links use', () => {
    for (const name of ['code', 'code-latest', 'vscode']) expect(editorNamed(name)?.id).toBe('code');
    expect(availableEditors()).toBe('VS Code in the browser (code)');
  });

  it('knows no editor a workspace cannot open in', () => {
    for (const name of ['intellij', 'code-desktop', 'CODE', '', 'code '])
      expect(editorNamed(name)).toBeUndefined();
  });
});

describe('the start request', () => {
  const request = {
    contractVersion: 1,
    id: 'ws-1',
    type: 'regular',
    owner: { id: 'u' },
    context: {
      repo: { host: 'github.com', owner: 'o', name: 'r', family: 'github' },
      cloneUrl: 'https://github.com/o/r.git',
      sha: 'a'.repeat(40),
      ref: { name: 'main', type: 'branch' },
      webUrl: 'https://github.com/o/r',
      defaultBranch: 'main',
    },
    image: { kind: 'image', image: 'launchpod/workspace-full' },
    initializer: { kind: 'git' },
    tasks: [],
    ports: [],
    env: [],
    eventsUrl: 'https://launcher.example/api/v1/cluster-events',
  };
  it('carries an editor only when a workspace opens in it', () => {
    expect(parseStartRequest({ ...request, editor: 'code' }).ok).toBe(true);
    expect(parseStartRequest(request).ok).toBe(true);
    expect(parseStartRequest({ ...request, editor: 'intellij' })).toStrictEqual({
      ok: false,
      error: expect.stringContaining('editor'),
    });
  });
});
