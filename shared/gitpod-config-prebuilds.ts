// The tasks a prebuild runs, whether a config needs one, and the fingerprint a prebuild is reused by.

import { sha256Hex } from './digest.ts';
import type { GitpodConfig, PrebuildTask, Task } from './gitpod-config-types.ts';

// Prebuilds

function hasText(text: string | undefined): text is string {
  return text !== undefined && text.trim() !== '';
}

function hasPrebuildWork(task: Task): boolean {
  return hasText(task.before) || hasText(task.init) || hasText(task.prebuild);
}

/** What a prebuild runs, per task: `before`, then `init` followed by the deprecated `prebuild`. */
export function prebuildTasks(config: GitpodConfig): readonly PrebuildTask[] {
  return config.tasks.filter(hasPrebuildWork).map((task) => {
    const init = [task.init, task.prebuild].filter(hasText).join('\n');
    return {
      ...(task.name !== undefined ? { name: task.name } : {}),
      ...(hasText(task.before) ? { before: task.before } : {}),
      ...(init ? { init } : {}),
    };
  });
}

/** Gitpod's rule: a prebuild is worth running when some task has `before`, `init` or `prebuild`. */
export function needsPrebuild(config: GitpodConfig): boolean {
  return config.tasks.some(hasPrebuildWork);
}

/**
 * A digest of exactly what decides a prebuild's result inside the config: the image and, per task in order, the
 * `before`/`init`/`prebuild` scripts. Names, commands, ports, github settings and YAML formatting do not count,
 * so an ancestor's prebuild with the same fingerprint can serve a newer commit. A Dockerfile's own content is not
 * in the config; callers must combine it with this value.
 */
export function prebuildFingerprint(config: GitpodConfig): string {
  const image = config.image;
  const canonical = {
    image:
      image.kind === 'default'
        ? ['default']
        : image.kind === 'image'
          ? ['image', image.name]
          : ['dockerfile', image.file, image.context ?? null],
    // Surrounding blank lines are formatting (`init: x` versus an `init: |` block ending in a newline).
    tasks: config.tasks
      .filter(hasPrebuildWork)
      .map((task) =>
        [task.before, task.init, task.prebuild].map((text) => (hasText(text) ? text.trim() : null)),
      ),
  };
  return `v1:${sha256Hex(JSON.stringify(canonical))}`;
}
