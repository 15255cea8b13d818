// Content script for the gitlab family: its built-in host and the granted self-hosted sites its page piece recognises.
import { gitlabPage } from '../hosts/gitlab-page.ts';
import { startFamilyScript } from './start.ts';

void startFamilyScript(gitlabPage);
