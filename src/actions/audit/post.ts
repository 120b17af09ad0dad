import * as core from '@actions/core';
import { revokeLeftoverToken } from '../common/revoke.js';
import { INPUT } from './constants.js';

/**
 * The post step: revokes the pipeline token if the main step did not get to (it was cancelled, or
 * crashed, between the exchange and the end of the report). Main revokes it itself once the report
 * is made, so usually there is nothing to do.
 */
export async function runPost(): Promise<void> {
  await revokeLeftoverToken(core.getInput(INPUT.caCert));
}
