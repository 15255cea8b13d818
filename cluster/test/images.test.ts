// The image a workspace asks for, as the cluster resolves it: a Dockerfile build is refused, naming the file that
// asked for it (`.gitpod.yml` or a devcontainer.json) and what to do instead — the cluster builds no images.

import { describe, expect, it } from 'vitest';
import { ok } from '../../shared/result.ts';
import { type ImageSettings, resolveImage } from '../src/sandbox/images.ts';

const settings: ImageSettings = {
  defaultImage: { podmanRef: 'localhost/launchpod-workspace:1', rootfsDir: '/nonexistent', packages: [] },
  mappings: { 'node:20': 'default' },
  pull: 'never',
};
const checks = { podmanHas: async () => false, podmanPull: async () => ok(undefined) };

describe('images from a workspace configuration', () => {
  it('refuses a devcontainer.json Dockerfile build, naming the file and the way out', async () => {
    const image = await resolveImage(
      { kind: 'dockerfile', file: '.devcontainer/Dockerfile' },
      'podman',
      settings,
      checks,
      'local',
      '.devcontainer/devcontainer.json',
    );
    expect(image.ok).toBe(false);
    if (image.ok) return;
    expect(image.error.message).toBe(
      `This workspace's image is built from .devcontainer/Dockerfile ("build" in .devcontainer/devcontainer.json), and cluster local does not build images from Dockerfiles. Name a published image in .devcontainer/devcontainer.json ("image": "<name>") that the cluster has or maps, or ask the operator to build the image and map its name with --image-map.`,
    );
  });

  it('says .gitpod.yml when a start request names no file (older launchers)', async () => {
    const image = await resolveImage(
      { kind: 'dockerfile', file: '.gitpod.Dockerfile' },
      'podman',
      settings,
      checks,
      'local',
    );
    expect(image.ok ? '' : image.error.message).toContain("('image: file:' in .gitpod.yml)");
  });

  it("maps a devcontainer image name through the operator's mapping, like any image", async () => {
    const image = await resolveImage({ kind: 'image', name: 'node:20' }, 'podman', settings, checks, 'local');
    expect(image).toEqual({
      ok: true,
      value: { requested: 'node:20', podmanRef: 'localhost/launchpod-workspace:1' },
    });
  });
});
