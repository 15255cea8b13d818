// The queue consumer's work for one accepted webhook trigger: read `.gitpod.yml` at the commit, skip (recorded,
// with the reason) when there is nothing to prebuild or the branch does not match, reuse an unfailed prebuild of
// the same commit and config, else claim one and start it on a cluster through the contract. Never starts two
// prebuilds for one commit and config (the D1 claim is the serialisation point).

import { CLUSTER_CONTRACT_VERSION, type StartWorkspaceRequest } from '../../../shared/cluster-contract.ts';
import { needsPrebuild, prebuildFingerprint } from '../../../shared/gitpod-config.ts';
import type { RepoRef } from '../../../shared/launch-request.ts';
import { parseStartRequest } from '../../../shared/start-request.ts';
import { chooseClusters } from '../clusters/cluster-choice.ts';
import { clusterHealth } from '../clusters/cluster-health.ts';
import { abandonStart } from '../clusters/cluster-reconcile.ts';
import { startOnFirstCluster } from '../clusters/cluster-start.ts';
import { launchConfigAt } from '../config-files.ts';
import { LaunchError } from '../errors.ts';
import type { HostCredentials } from '../hosts/host-resolver.ts';
import type { LaunchDeps } from '../launch.ts';
import { checkedWorkspaceUrl } from '../launch-start.ts';
import { claimPrebuild, markStarted, prebuildsAt, repoKey, transition } from './prebuild-records.ts';
import { branchMatches, getProject } from './projects.ts';
import type { WebhookTrigger } from './webhook-family.ts';

/** What goes on the PREBUILDS queue: one trigger of one accepted delivery. */
export interface PrebuildMessage {
  readonly projectId: string;
  readonly deliveryId: string;
  readonly trigger: WebhookTrigger;
}

export type TriggerOutcome =
  | { readonly kind: 'started'; readonly prebuildId: string; readonly cluster: string }
  | { readonly kind: 'reused'; readonly prebuildId: string }
  | { readonly kind: 'skipped'; readonly reason: string }
  | { readonly kind: 'failed'; readonly prebuildId: string; readonly reason: string };

export type TriggerDeps = Pick<
  LaunchDeps,
  'config' | 'db' | 'cache' | 'resolvers' | 'now' | 'http' | 'clusterTimeoutMs' | 'random'
>;

export async function runTrigger(message: PrebuildMessage, deps: TriggerDeps): Promise<TriggerOutcome> {
  const project = await getProject(deps.db, message.projectId);
  if (project === undefined) return { kind: 'skipped', reason: 'the project was deleted' };
  const { trigger } = message;
  const skip = async (reason: string): Promise<TriggerOutcome> => {
    await deps.db
      .prepare(
        'INSERT INTO prebuild_skips (project_id, sha, ref, reason, created_at) VALUES (?1, ?2, ?3, ?4, ?5)',
      )
      .bind(project.id, trigger.sha, trigger.branch, reason, deps.now())
      .run();
    return { kind: 'skipped', reason };
  };
  if (trigger.kind === 'pull-request') {
    if (!project.pullRequests) return skip('prebuilds for pull requests are off for this project');
    if (trigger.fromFork && !project.pullRequestsFromForks)
      return skip('prebuilds for pull requests from forks are off for this project');
  }
  // A fork's pull request is built from the fork, where its head commit lives.
  const repo: RepoRef =
    trigger.kind === 'pull-request' && trigger.fromFork && trigger.headRepo !== undefined
      ? { ...project.repo, owner: trigger.headRepo.owner, name: trigger.headRepo.name }
      : project.repo;
  const entry = deps.config.registry.entries.find((e) => e.hostname === repo.host);
  const resolver = deps.resolvers[repo.family];
  if (entry === undefined || resolver === undefined)
    return skip(`${repo.host} is not configured on this launcher`);
  const token = deps.config.hostTokens.get(entry.hostname);
  const credentials: HostCredentials =
    token === undefined ? { kind: 'anonymous' } : { kind: 'server', token };

  const resolved = await resolver.resolve({
    context: {
      kind: 'repository',
      repo,
      revision: { type: 'commit', sha: trigger.sha, branch: trigger.branch },
      page: 'commit',
    },
    alternatives: [],
    entry,
    credentials,
    ...(deps.http !== undefined && { http: deps.http }),
  });
  if (!resolved.ok) return skip(`the host could not resolve ${trigger.sha}: ${resolved.error.detail}`);
  const context = resolved.value;
  const chosen = await launchConfigAt({
    cache: deps.cache,
    resolver,
    entry,
    credentials,
    ...(deps.http !== undefined && { http: deps.http }),
    repo,
    sha: context.sha,
    ...(context.configText !== undefined && { gitpodText: context.configText }),
  });
  if (!chosen.ok) {
    if (chosen.error instanceof LaunchError)
      return skip(`the workspace configuration could not be read: ${chosen.error.detail}`);
    const first = chosen.error.errors[0];
    return skip(
      `${chosen.error.path} is invalid${first === undefined ? '' : ` at line ${first.line}: ${first.message}`}`,
    );
  }
  const { config, choice } = chosen.value;
  if (choice.kind === 'defaults') return skip('there is no .gitpod.yml or devcontainer.json at this commit');
  if (!needsPrebuild(config))
    return skip(
      choice.kind === 'devcontainer'
        ? `${choice.path} has no onCreateCommand, updateContentCommand or postCreateCommand: there is nothing to prebuild`
        : '.gitpod.yml has no before or init tasks: there is nothing to prebuild',
    );
  const legacy = { inFile: config.github.prebuildsInFile, prebuilds: config.github.prebuilds };
  if (trigger.kind === 'push') {
    const match = branchMatches(project, trigger.branch, context.defaultBranch, legacy);
    if (!match.ok) return skip(match.reason);
  } else if (
    legacy.inFile &&
    !(trigger.fromFork ? legacy.prebuilds.pullRequestsFromForks : legacy.prebuilds.pullRequests)
  ) {
    return skip(
      `.gitpod.yml turns off prebuilds for ${trigger.fromFork ? 'pull requests from forks' : 'pull requests'}`,
    );
  }

  const key = repoKey(repo);
  if (project.commitInterval > 0 && resolver.history !== undefined) {
    // Gitpod's rule: skip when any prebuild exists within the last interval + 1 commits.
    const history = await resolver.history(
      repo,
      context.sha,
      project.commitInterval + 1,
      entry,
      credentials,
      deps.http,
    );
    if (history.ok) {
      const recent = await prebuildsAt(deps.db, [key], history.value.slice(1));
      const near = recent.prebuilds[0];
      if (near !== undefined)
        return skip(
          `a prebuild exists ${history.value.indexOf(near.sha)} commits back (interval ${project.commitInterval})`,
        );
    }
  }

  const { configText: _omitted, ...startContext } = context;
  const requestFor = (id: string): StartWorkspaceRequest => ({
    contractVersion: CLUSTER_CONTRACT_VERSION,
    id,
    type: 'prebuild',
    prebuildId: id,
    owner: { id: `project:${project.id}` },
    context: startContext,
    initializer: { kind: 'git' },
    image: config.image,
    ...(choice.path !== undefined && { configFile: choice.path }),
    tasks: config.tasks,
    ports: config.ports,
    env: [],
    eventsUrl: `${deps.config.origin}/api/v1/cluster-events`,
  });
  // The cluster's own check, before anything is claimed: a request it would refuse is a skip with the reason.
  const startable = parseStartRequest(requestFor('pb-00000000-0000-4000-8000-000000000000'));
  if (!startable.ok) return skip(`a cluster would refuse this prebuild: ${startable.error}`);

  const claim = await claimPrebuild(deps.db, {
    projectId: project.id,
    repoKey: key,
    sha: context.sha,
    ref: context.ref?.name ?? trigger.branch,
    fingerprint: prebuildFingerprint(config),
    now: deps.now(),
  });
  if (!claim.created) return { kind: 'reused', prebuildId: claim.record.id };
  const prebuildId = claim.record.id;

  const request = requestFor(prebuildId);
  const health = await clusterHealth(deps.config.clusters, deps.cache, deps.now());
  const candidates = chooseClusters({
    clusters: deps.config.clusters,
    health,
    location: {},
    ...(deps.random !== undefined && { random: deps.random }),
  });
  const start = await startOnFirstCluster(
    candidates.map((c) => c.cluster),
    () => request,
    deps,
  );
  if (start.ok) {
    const { cluster, value: status } = start;
    await markStarted(
      deps.db,
      prebuildId,
      cluster.name,
      checkedWorkspaceUrl(status.url, cluster, request.id),
      deps.now(),
    );
    for (const doubt of start.inDoubt)
      await abandonStart(deps.db, doubt.cluster.name, prebuildId, doubt.reason, deps.now());
    return { kind: 'started', prebuildId, cluster: cluster.name };
  }
  const waitFor = start.inDoubt.find((d) => d.slow);
  for (const doubt of start.inDoubt.filter((d) => d !== waitFor))
    await abandonStart(deps.db, doubt.cluster.name, prebuildId, doubt.reason, deps.now());
  if (waitFor !== undefined) {
    // It may still start there: its signed events move the record on; the hourly sweep times it out otherwise.
    await markStarted(deps.db, prebuildId, waitFor.cluster.name, undefined, deps.now());
    return { kind: 'started', prebuildId, cluster: waitFor.cluster.name };
  }
  const { problems } = start;
  const reason =
    problems.length === 0
      ? 'no workspace cluster is available'
      : `no cluster could start it (${problems.join('; ')})`;
  await transition(deps.db, prebuildId, {
    to: 'failed',
    error: `The prebuild could not start: ${reason}.`,
    now: deps.now(),
  });
  return { kind: 'failed', prebuildId, reason };
}
