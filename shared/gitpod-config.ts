// Parses and validates a `.gitpod.yml` into a normalised config, the tasks a prebuild runs and a prebuild fingerprint.
// Never throws and never expands hostile YAML: every failure is a ConfigError with a position and a way out.

import { isMap, isScalar, isSeq, LineCounter, Parser } from 'yaml';
import { normalise, type RawConfig, semanticProblems } from './gitpod-config-checks.ts';
import { describeValue, formatPath, isRecord, schemaProblems, withPath } from './gitpod-config-schema.ts';
import {
  type ConfigError,
  type GitpodConfig,
  type Located,
  MAX_ALIAS_EXPANSION,
  MAX_CONFIG_BYTES,
  MAX_CONFIG_DEPTH,
} from './gitpod-config-types.ts';
import {
  compose,
  findFlowTooDeep,
  findTooDeep,
  findUnpairedSurrogateKey,
  offsetOf,
  resolveAliases,
  rootError,
  sortErrors,
  utf8Length,
} from './gitpod-config-yaml.ts';
import { err, ok, type Result } from './result.ts';

// What a prebuild of a config runs and is known by.
export { needsPrebuild, prebuildFingerprint, prebuildTasks } from './gitpod-config-prebuilds.ts';
// The config's shapes and limits, for everyone who reads a config.
export * from './gitpod-config-types.ts';

export function parseGitpodConfig(text: string): Result<GitpodConfig, ConfigError[]> {
  if (utf8Length(text) > MAX_CONFIG_BYTES) {
    return err([
      rootError(
        'too-large',
        1,
        1,
        `The file is larger than ${MAX_CONFIG_BYTES} bytes, the limit for a .gitpod.yml — move long scripts ` +
          'into a file in the repository and run that file from the task.',
      ),
    ]);
  }

  // yaml's lexer takes ~0.5 s on 64 KiB of `[[[[…`: a linear scan of flow brackets refuses that before it starts.
  const flowTooDeepAt = findFlowTooDeep(text);
  if (flowTooDeepAt !== undefined) {
    const before = text.slice(0, flowTooDeepAt);
    const line = before.split('\n').length;
    return err([
      rootError(
        'too-complex',
        line,
        flowTooDeepAt - before.lastIndexOf('\n'),
        `The file nests lists and mappings more than ${MAX_CONFIG_DEPTH} levels deep — flatten it; ` +
          'a .gitpod.yml needs only a few levels.',
      ),
    ]);
  }

  const lineCounter = new LineCounter();
  const position = (offset: number): { line: number; column: number } => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: Math.max(1, line), column: Math.max(1, col) };
  };

  // The CST is built without recursion, so its depth is checked before the composer (which recurses) sees it.
  const tokens = Array.from(new Parser(lineCounter.addNewLine).parse(text));
  const tooDeepAt = findTooDeep(tokens);
  if (tooDeepAt !== undefined) {
    const { line, column } = position(tooDeepAt);
    return err([
      rootError(
        'too-complex',
        line,
        column,
        `The file nests lists and mappings more than ${MAX_CONFIG_DEPTH} levels deep — flatten it; ` +
          'a .gitpod.yml needs only a few levels.',
      ),
    ]);
  }

  const composed = compose(tokens, text, (offset) => position(offset).line);
  if (!composed.ok) {
    return err(
      composed.error.map(({ code, path, offset, message }) => ({ code, path, ...position(offset), message })),
    );
  }
  const doc = composed.value;

  const aliases = resolveAliases(doc);
  if (!aliases.ok) {
    const { offset, code, message } = aliases.error;
    const { line, column } = position(offset);
    return err([rootError(code, line, column, message)]);
  }

  const contents = doc.contents;
  if (contents !== null && !isMap(contents) && !(isScalar(contents) && contents.value === null)) {
    const { line, column } = position(contents.range[0]);
    const found = isSeq(contents) ? 'a list' : describeValue(isScalar(contents) ? contents.value : undefined);
    return err([
      rootError(
        'schema',
        line,
        column,
        `The file must be a mapping of keys like 'tasks:' and 'ports:', but it is ${found} — ` +
          "start each top-level setting at the beginning of a line, e.g. 'tasks:'.",
      ),
    ]);
  }

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSION });
  } catch {
    // `yaml` throws only for excessive alias expansion here: anchors were resolved and checked above.
    const { line, column } = position(aliases.value.firstAliasOffset ?? 0);
    return err([
      rootError(
        'too-complex',
        line,
        column,
        `The file expands YAML aliases (*name) more than ${MAX_ALIAS_EXPANSION} times, which looks like an ` +
          'alias bomb — write the values out or use fewer aliases.',
      ),
    ]);
  }
  const raw: Record<string, unknown> = isRecord(value) ? value : {};

  const locate = (where: Located): { line: number; column: number } =>
    position(offsetOf(doc, aliases.value.sources, where));

  const badKey = findUnpairedSurrogateKey(raw);
  if (badKey !== undefined) {
    return err([
      {
        code: 'yaml-syntax',
        path: formatPath(badKey),
        ...locate({ segments: badKey, atKey: true }),
        message: withPath(
          badKey,
          'this key contains an unpaired UTF-16 surrogate escape (like "\\uD800") — use a valid character',
        ),
      },
    ]);
  }

  const problems = [...schemaProblems(raw), ...semanticProblems(raw)];
  if (problems.length > 0) {
    const errors = problems.map(
      (p): ConfigError => ({
        code: 'schema',
        path: formatPath(p.segments),
        ...locate(p),
        message: withPath(p.segments, p.detail),
      }),
    );
    return err(sortErrors(errors));
  }

  return ok(normalise(raw as RawConfig));
}
