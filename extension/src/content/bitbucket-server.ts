// Content script for the bitbucket-server family: its built-in host and the granted self-hosted sites its page piece recognises.
import { bitbucketServerPage } from '../hosts/bitbucket-server-page.ts';
import { startFamilyScript } from './start.ts';

void startFamilyScript(bitbucketServerPage);
