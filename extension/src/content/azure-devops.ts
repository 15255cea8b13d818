// Content script for the azure-devops family: dev.azure.com and the granted Azure DevOps Server sites.
import { azureDevopsPage } from '../hosts/azure-devops-page.ts';
import { startFamilyScript } from './start.ts';

void startFamilyScript(azureDevopsPage);
