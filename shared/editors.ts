// The editors a workspace really opens in, one list for the launcher, the cluster contract and the extension's
// options. Gitpod's links name more (`intellij`, `code-desktop`…): a name that is not here is refused with a way
// out, never silently replaced by another editor.

export interface Editor {
  /** What `?editor=` and the extension's setting carry. */
  readonly id: string;
  /** What people read. */
  readonly name: string;
  /** Other names links use for the same editor (Gitpod's `code-latest` is VS Code in the browser too). */
  readonly aliases: readonly string[];
}

export const EDITORS: readonly Editor[] = [
  { id: 'code', name: 'VS Code in the browser', aliases: ['code-latest', 'vscode'] },
];

/** The editor a link or setting names, or undefined when no workspace can open in it. */
export function editorNamed(name: string): Editor | undefined {
  return EDITORS.find((editor) => editor.id === name || editor.aliases.includes(name));
}

/** "VS Code in the browser (code)": for messages that say what is available. */
export function availableEditors(): string {
  return EDITORS.map((editor) => `${editor.name} (${editor.id})`).join(', ');
}
