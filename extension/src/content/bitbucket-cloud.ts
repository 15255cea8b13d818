// Content script for the bitbucket-cloud family: its built-in host and the granted self-hosted sites its page piece recognises.
import { bitbucketCloudPage } from '../hosts/bitbucket-cloud-page.ts';
import { startFamilyScript } from './start.ts';

void startFamilyScript(bitbucketCloudPage);
