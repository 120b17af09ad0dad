import * as core from '@actions/core';
import { revokeLeftoverToken } from '../common/revoke.js';
import { INPUT } from './constants.js';

/** The post step (runs after the job, also after a failure): revokes the pipeline token. */
export async function runPost(): Promise<void> {
  await revokeLeftoverToken(core.getInput(INPUT.caCert));
}
