// Azure DevOps' page piece: dev.azure.com built in; Azure DevOps Server pages are recognised by the JSON island every
// page of the app carries (`<script id="dataProviders" type="application/json">`), whatever the server's name.

import type { FamilyPage } from './family-page.ts';

export const azureDevopsPage: FamilyPage = {
  family: 'azure-devops',
  label: 'Azure DevOps',
  builtinHost: 'dev.azure.com',
  recognises: (s) => s.jsonScriptIds.includes('dataProviders'),
};
