// What the host grammars' tests expect, written once: a parser over a registry with the instances a test configures,
// a successful reading (the context, its alternatives, nothing else) and a refusal, as parseLaunchInput answers them.
// Test code only (`*.fixtures.ts` is neither shipped nor mutated).

import { parseLaunchInput } from '../context-url.ts';
import { createHostRegistry, type HostConfig, type HostRegistry } from '../host-registry.ts';
import type { GitContext, ParseError } from '../launch-request.ts';

/** The built-in hosts plus `configs`; throws when the registry refuses them (a mistake in the test). */
export function parserWith(configs: readonly HostConfig[]): {
  readonly registry: HostRegistry;
  readonly parse: (input: string) => ReturnType<typeof parseLaunchInput>;
} {
  const created = createHostRegistry(configs);
  if (!created.ok) throw new Error(created.error);
  const registry = created.value;
  return { registry, parse: (input) => parseLaunchInput(input, registry) };
}

/** parseLaunchInput's answer for a link that reads as `context` (and `alternatives`), with no modifiers. */
export const reading = (context: GitContext, alternatives: GitContext[] = []) => ({
  ok: true,
  value: { context, alternatives, env: [], rejectedEnv: [], imageBuild: false, warnings: [] },
});

/** parseLaunchInput's answer for a link it refuses. */
export const refused = (code: ParseError['code'], message: string) => ({
  ok: false,
  error: { code, message },
});
