// Content script for the github family: its built-in host and the granted self-hosted sites its page piece recognises.
import { githubPage } from '../hosts/github-page.ts';
import { startFamilyScript } from './start.ts';

void startFamilyScript(githubPage);
