// The host families the launcher knows, written once: every layer's registry (grammar, resolver, webhooks, sign-in,
// page detection, anchors, fakes) is a record keyed by this list, so a missing piece is a compile error.

export const HOST_FAMILY_IDS = [
  'github',
  'gitlab',
  'bitbucket-cloud',
  'bitbucket-server',
  'gitea',
  'azure-devops',
] as const;

export type HostFamilyId = (typeof HOST_FAMILY_IDS)[number];

/** True for a known family id (`'gitlab'`), false for anything else a URL, a setting or a JSON body holds. */
export const isHostFamilyId = (value: unknown): value is HostFamilyId =>
  (HOST_FAMILY_IDS as readonly unknown[]).includes(value);
