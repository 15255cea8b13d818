// Content script for the gitea family: its built-in host and the granted self-hosted sites its page piece recognises.
import { giteaPage } from '../hosts/gitea-page.ts';
import { startFamilyScript } from './start.ts';

void startFamilyScript(giteaPage);
