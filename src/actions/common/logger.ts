import * as core from '@actions/core';
import type { Logger } from '../../core/logger.js';

/**
 * The Logger an action hands to domain code (the scanner, the client...): lines go to the job log
 * through @actions/core, so warnings and errors also become annotations, and debug lines show only
 * when the run has step debug logging on.
 */
export const actionsLogger: Logger = {
  debug: (message) => core.debug(message),
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  error: (message) => core.error(message),
};
