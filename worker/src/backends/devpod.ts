// DevPod: `https://devpod.sh/open#<source>` hands the context to the DevPod app on the user's machine, where
// `<repo>@<branch>`, `<repo>@sha256:<commit>` and `<repo>@pull/<n>/head` name what to check out. No API: it is local.

import type { BackendAdapter } from './backend.ts';
import { branchOf, fileLoss, repoName } from './backend.ts';

export const devpodBackend: BackendAdapter = {
  kind: 'devpod',
  defaultDisplayName: 'DevPod',
  defaultUrl: 'https://devpod.sh',
  plan(config, { resolved: r }) {
    const cannot = fileLoss(r, 'DevPod');
    let at: string;
    let opens: string;
    if (r.pullRequest !== undefined) {
      at = `pull/${r.pullRequest.number}/head`;
      opens = `pull request #${r.pullRequest.number} of ${repoName(r)}`;
    } else if (r.ref !== undefined && r.issue === undefined) {
      at = r.ref.name;
      opens = `${r.ref.type} ${r.ref.name} of ${repoName(r)}`;
    } else if (r.issue !== undefined) {
      const { branch, widened } = branchOf(r);
      at = branch;
      opens = `branch ${branch} of ${repoName(r)}`;
      if (widened !== undefined) cannot.unshift(`DevPod ${widened}`);
    } else {
      at = `sha256:${r.sha}`;
      opens = `commit ${r.sha.slice(0, 12)} of ${repoName(r)}`;
    }
    // A pull request's source is its base repository; the head repository is `r.cloneUrl` otherwise.
    const repo = r.pullRequest?.fromFork
      ? r.cloneUrl.replace(
          `${r.pullRequest.headRepo.owner}/${r.pullRequest.headRepo.name}`,
          `${r.pullRequest.baseRepo.owner}/${r.pullRequest.baseRepo.name}`,
        )
      : r.cloneUrl;
    return {
      backend: config.name,
      kind: 'devpod',
      displayName: config.displayName,
      opens,
      cannot,
      handoffUrl: `${config.url}/open#${repo}@${at}`,
      apiStart: false,
    };
  },
};
