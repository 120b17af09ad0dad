/** Every route's handler; the type makes a route without a handler (or a handler without a route) a build error. */
import type { Handlers } from '../pipeline.js';
import { approvalHandlers } from './approvals.js';
import { auditHandlers } from './audit.js';
import { identityHandlers } from './identities.js';
import { lockoutHandlers } from './lockouts.js';
import { rotationHandlers } from './rotation.js';
import { secretHandlers } from './secrets.js';
import { tokenHandlers } from './tokens.js';

export const handlers: Handlers = {
  async health({ deps }) {
    const { state, sink } = deps.monitor.health();
    const status = state === 'broken' ? 'failing' : sink && !sink.ok ? 'degraded' : 'ok';
    return { status, audit: state, ...(sink ? { checkpoints: sink.ok ? 'ok' : 'failing' } : {}) } as const;
  },
  ...identityHandlers,
  ...tokenHandlers,
  ...secretHandlers,
  ...auditHandlers,
  ...lockoutHandlers,
  ...rotationHandlers,
  ...approvalHandlers,
};
