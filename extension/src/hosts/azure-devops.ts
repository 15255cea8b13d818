// Where the button lives on Azure DevOps pages (dev.azure.com and Azure DevOps Server): a React single-page app whose
// component classes (`repos-*`, `bolt-*`) are stable names, not hashes. Data only; kept in several candidates per
// kind, as the app re-renders its header bars. Evidence: hand-built rendered-DOM pages (fixtures/azure-devops/README.md).

import type { AnchorRule } from './anchor-table.ts';

export const azureDevopsAnchors: readonly AnchorRule[] = [
  {
    kinds: ['repo', 'tree', 'blob', 'commits', 'tag', 'branch'],
    candidates: [
      // Files hub (repository root, folder, file): the header's command bar.
      { selector: '.repos-files-header-commandbar', position: 'prepend' },
      // After the file or folder title.
      { selector: '.repos-files-header .bolt-header-title-area', position: 'append' },
      // An empty repository's "clone" panel.
      { selector: 'div.clone-with-application', position: 'prepend' },
    ],
    evidence: ['azure-devops/hand-files.html', 'azure-devops/hand-server-files.html'],
  },
  {
    kinds: ['commit'],
    candidates: [
      { selector: '.repos-commit-header .bolt-header-commandbar', position: 'prepend' },
      { selector: '.bolt-header-commandbar', position: 'prepend' },
    ],
    evidence: ['azure-devops/hand-commit.html'],
  },
  {
    kinds: ['pull'],
    candidates: [
      { selector: '.repos-pr-header .bolt-header-commandbar', position: 'prepend' },
      { selector: '.repos-pr-details-page .repos-pr-header', position: 'append' },
    ],
    evidence: ['azure-devops/hand-pr.html'],
  },
];
