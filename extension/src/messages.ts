// Messages from content scripts, the popup and the options page to the background script. Types only.

import type { HostFamilyId } from '../../shared/launch-request.ts';
import type { PageDescription } from './content/page-context.ts';

export type ContentMessage =
  /** A content script's page, read by the background: answered with a PageAnswer. */
  | {
      readonly type: 'describe-page';
      readonly family: HostFamilyId;
      readonly url: string;
      /** On the family's public host (github.com…) rather than a listed self-hosted site. */
      readonly builtin: boolean;
    }
  | { readonly type: 'prebuild-status'; readonly pageUrl: string }
  | {
      readonly type: 'anchor-miss';
      readonly family: HostFamilyId;
      readonly kind: string;
      readonly page: string;
    }
  | { readonly type: 'open-options' }
  | { readonly type: 'refresh-anchors'; readonly force?: boolean }
  | { readonly type: 'self-hosted-changed' }
  /** The popup's "Enable on this site": saved by the background, which outlives a popup closed by the prompt. */
  | {
      readonly type: 'add-self-hosted';
      readonly origin: string;
      readonly family: HostFamilyId;
      /** The sub-path the page says the instance lives under (Gitea's `appSubUrl`), '' or absent at the root. */
      readonly basePath?: string;
    }
  | { readonly type: 'launch-url'; readonly input: string }
  /** The popup: the tab's context, prebuild state and the user's workspaces (answered with a PopupState). */
  | { readonly type: 'popup-state'; readonly pageUrl: string }
  /** The popup's Stop, Restart or Delete on one of the user's workspaces. */
  | {
      readonly type: 'workspace-action';
      readonly id: string;
      readonly action: 'stop' | 'restart' | 'delete';
    };

/** The background's answer to `describe-page`. */
export interface PageAnswer {
  /** False when the family is turned off, or the page is on no listed site of this family: the script stops. */
  readonly run: boolean;
  readonly newTab: boolean;
  /** The open shortcut as the browser has it (`Alt+G`), shown in the button's title and menu. */
  readonly shortcut: string;
  /** What the page opens and where its button may go; absent on a page that is not a git context. */
  readonly page?: PageDescription;
}
