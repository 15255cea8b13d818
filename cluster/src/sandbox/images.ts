// Which image a workspace runs in: the config's `image:` (or the cluster's default image), through the operator's
// mapping of image names to local images. Never silently a different image: an image that cannot be had is a
// problem naming the image, why, and what the operator can do.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageConfig } from '../../../shared/gitpod-config.ts';
import { err, ok, type Result } from '../../../shared/result.ts';
import { cacheRoot } from '../cache-dir.ts';
import type { RuntimeKind } from './sandbox.ts';

/** What a sandbox is made from: a podman image reference, or (bubblewrap) a root filesystem folder. */
export interface ResolvedImage {
  /** What the workspace asked for, for people: `node:20`, or `the cluster's default image`. */
  readonly requested: string;
  /** A local podman image (`localhost/launchpod-workspace:3f2a…`). */
  readonly podmanRef?: string;
  /** A root filesystem folder bubblewrap binds read-only as `/`. */
  readonly rootfsDir?: string;
}

export interface ImageSettings {
  /** The default image: what `image:`-less configs get, and what git steps on workspace content run in. */
  readonly defaultImage: DefaultImage;
  /**
   * Image name → local image (podman reference, or a rootfs folder for bubblewrap), as the operator maps them;
   * `default` stands for the cluster's default image (an offline cluster standing in for `node:20`, say).
   */
  readonly mappings: Readonly<Record<string, string>>;
  /** `missing`: podman pulls an image it does not have; `never`: only local images (offline clusters). */
  readonly pull: 'missing' | 'never';
}

/** The manifest `npm run cluster:image` writes beside the image it built. */
export interface DefaultImage {
  readonly podmanRef: string;
  readonly rootfsDir: string;
  /** The Debian packages it holds, for the workspace page and README. */
  readonly packages: readonly string[];
}

export const DEFAULT_IMAGE_NAME = 'launchpod-workspace';
/** The mapping target that means "the cluster's default image". */
export const DEFAULT_MAPPING = 'default';

/** Where `npm run cluster:image` keeps the default image (see cache-dir.ts). */
export function imageCacheDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
  isRoot = process.getuid?.() === 0,
): string {
  return join(cacheRoot(env, isRoot), 'images');
}

export const manifestPath = (cacheDir: string) => join(cacheDir, `${DEFAULT_IMAGE_NAME}.json`);

/** The built default image's manifest, or a message saying how to build it. */
export function readDefaultImage(cacheDir: string): Result<DefaultImage, string> {
  const file = manifestPath(cacheDir);
  const build = 'Build it once with `npm run cluster:image` (about a minute; Debian packages only).';
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return err(`The default workspace image is not built (no ${file}). ${build}`);
  }
  const m = parsed as Partial<DefaultImage> | null;
  if (typeof m?.podmanRef !== 'string' || typeof m.rootfsDir !== 'string' || !Array.isArray(m.packages))
    return err(`${file} is not an image manifest. ${build}`);
  if (!existsSync(join(m.rootfsDir, 'usr')))
    return err(`The default image's root filesystem ${m.rootfsDir} is missing. ${build}`);
  return ok({ podmanRef: m.podmanRef, rootfsDir: m.rootfsDir, packages: m.packages });
}

/** `node:20=localhost/launchpod-workspace:abc,gitpod/workspace-full=/srv/rootfs/full` → the mapping. */
export function parseImageMap(text: string): Result<Record<string, string>, string> {
  const map: Record<string, string> = {};
  for (const item of text.split(',')) {
    if (item.trim() === '') continue;
    const at = item.indexOf('=');
    const name = item.slice(0, at).trim();
    const local = item.slice(at + 1).trim();
    if (at <= 0 || name === '' || local === '' || /\s/.test(name + local))
      return err(
        `--image-map items look like <image name>=<local image or rootfs folder>, not "${item.trim()}".`,
      );
    map[name] = local;
  }
  return ok(map);
}

export interface ImageProblem {
  readonly image: string;
  /** For people: which image, why, and what the operator can do. */
  readonly message: string;
}

export interface ImageChecks {
  /** Whether podman has the image locally. */
  readonly podmanHas: (ref: string) => Promise<boolean>;
  /** Pulls it; a message when the registry cannot be reached or refuses. */
  readonly podmanPull: (ref: string) => Promise<Result<void, string>>;
}

const isDir = (path: string) => {
  try {
    return statSync(path).isDirectory() && existsSync(join(path, 'usr'));
  } catch {
    return false;
  }
};

/** The image a workspace's config asks for, as this runtime can run it. */
export async function resolveImage(
  config: ImageConfig,
  runtime: RuntimeKind,
  settings: ImageSettings,
  checks: ImageChecks,
  clusterName: string,
  /** The repository file that asked for the image, named in messages (`.gitpod.yml` when not told). */
  configFile = '.gitpod.yml',
): Promise<Result<ResolvedImage, ImageProblem>> {
  const { defaultImage } = settings;
  const devcontainer = configFile.endsWith('devcontainer.json');
  const nameIt = devcontainer ? `"image": "<name>"` : 'image: <name>';
  if (config.kind === 'default') {
    return ok({
      requested: "the cluster's default image",
      ...(runtime === 'podman'
        ? { podmanRef: defaultImage.podmanRef }
        : { rootfsDir: defaultImage.rootfsDir }),
    });
  }
  if (config.kind === 'dockerfile') {
    return err({
      image: config.file,
      message: `This workspace's image is built from ${config.file} (${devcontainer ? '"build"' : "'image: file:'"} in ${configFile}), and cluster ${clusterName} does not build images from Dockerfiles. Name a published image in ${configFile} (${nameIt}) that the cluster has or maps, or ask the operator to build the image and map its name with --image-map.`,
    });
  }
  const name = config.name;
  const mapped = settings.mappings[name];
  if (mapped === DEFAULT_MAPPING) {
    return ok({
      requested: name,
      ...(runtime === 'podman'
        ? { podmanRef: defaultImage.podmanRef }
        : { rootfsDir: defaultImage.rootfsDir }),
    });
  }
  if (runtime === 'bubblewrap') {
    if (mapped !== undefined && isDir(mapped)) return ok({ requested: name, rootfsDir: mapped });
    const why =
      mapped === undefined
        ? 'the bubblewrap runtime cannot pull images, and the operator has not mapped this one to a root filesystem folder'
        : `it is mapped to ${mapped}, which is not a root filesystem folder`;
    return err({
      image: name,
      message: `Image ${name} is not available on cluster ${clusterName}: ${why}. The operator can map it with --image-map ${name}=<rootfs folder> (or run the cluster with podman, which can pull it).`,
    });
  }
  const ref = mapped ?? name;
  if (await checks.podmanHas(ref)) return ok({ requested: name, podmanRef: ref });
  const via = mapped !== undefined ? ` (mapped to ${mapped})` : '';
  if (settings.pull === 'never') {
    return err({
      image: name,
      message: `Image ${name}${via} is not available on cluster ${clusterName}: it is not among the cluster's local images and this cluster does not pull from registries. The operator can pull or build it, or map it to a local image with --image-map ${name}=<local image>.`,
    });
  }
  const pulled = await checks.podmanPull(ref);
  if (pulled.ok) return ok({ requested: name, podmanRef: ref });
  return err({
    image: name,
    message: `Image ${name}${via} could not be pulled on cluster ${clusterName}: ${pulled.error}. Check the image name in ${configFile}; the operator can map it to a local image with --image-map ${name}=<local image>.`,
  });
}
