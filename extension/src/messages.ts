// Messages from content scripts, the popup and the options page to the background script. Types only.

import type { HostFamilyId } from '../../shared/launch-request.ts';

export type ContentMessage =
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
  | { readonly type: 'add-self-hosted'; readonly origin: string; readonly family: HostFamilyId }
  | { readonly type: 'launch-url'; readonly input: string };
