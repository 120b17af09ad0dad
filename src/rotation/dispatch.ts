/**
 * Sends a `repository_dispatch` event: how a rotation starts the workflows that must pick up the
 * new value (redeploy, restart). GitHub starts every workflow with `on: repository_dispatch`
 * whose `types` include the event type; unlike most events, one sent with a workflow's own
 * `GITHUB_TOKEN` does start workflows.
 */
import { AppError } from '../core/errors.js';
import { type GitHubApiOptions, githubRequest, parseRepository } from './github-api.js';

/** GitHub's limits: an event type of 1 to 100 characters, at most 10 top-level payload properties. */
export const MAX_EVENT_TYPE_LENGTH = 100;
export const MAX_PAYLOAD_PROPERTIES = 10;

export interface DispatchInput {
  /** `OWNER/REPO` whose workflows receive the event. */
  repository: string;
  /** Matched against the workflows' `on.repository_dispatch.types`. */
  eventType: string;
  /** Delivered as `github.event.client_payload`; never put a secret value in it (workflow logs show it). */
  clientPayload?: Record<string, unknown>;
}

/** Checks the event type and payload as GitHub would, so a mistake costs no request. */
export function validateDispatch(input: DispatchInput): { owner: string; repo: string } {
  const target = parseRepository(input.repository);
  const type = input.eventType;
  if (typeof type !== 'string' || type.trim() === '' || type.length > MAX_EVENT_TYPE_LENGTH) {
    throw new AppError(
      'invalid_input',
      `The repository_dispatch event type must be 1 to ${MAX_EVENT_TYPE_LENGTH} characters and not blank (got ${typeof type === 'string' ? `${type.length} characters` : typeof type}); use the name in the workflow's on.repository_dispatch.types.`,
    );
  }
  const payload = input.clientPayload;
  if (payload !== undefined) {
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
      throw new AppError('invalid_input', 'The repository_dispatch client payload must be a JSON object.');
    }
    const count = Object.keys(payload).length;
    if (count > MAX_PAYLOAD_PROPERTIES) {
      throw new AppError(
        'invalid_input',
        `The repository_dispatch client payload has ${count} top-level properties; GitHub accepts at most ${MAX_PAYLOAD_PROPERTIES}. Nest the rest under one property.`,
      );
    }
  }
  return target;
}

/**
 * POSTs `/repos/{owner}/{repo}/dispatches` (GitHub answers 204). The token needs "Contents: Read
 * and write" on the repository: a workflow's `GITHUB_TOKEN` with `permissions: contents: write`
 * for its own repository, a fine-grained token or GitHub App for another.
 */
export async function sendRepositoryDispatch(input: DispatchInput, options: GitHubApiOptions): Promise<void> {
  const { owner, repo } = validateDispatch(input);
  const body = { event_type: input.eventType, client_payload: input.clientPayload ?? {} };
  await githubRequest(options, 'POST', `/repos/${owner}/${repo}/dispatches`, body, {
    action: `send repository_dispatch "${input.eventType}" to ${owner}/${repo}`,
    permissionHelp: `The token needs the repository permission "Contents: Read and write" on ${owner}/${repo}: for the workflow's own repository, add \`permissions: contents: write\` to the job; for another repository, use a fine-grained personal access token or a GitHub App installation token with that permission.`,
    notFoundHelp: `Check the repository name ${owner}/${repo} and that the token has access to it (GitHub answers 404 for a private repository the token cannot see).`,
    invalidHelp: `GitHub refused the event: check the event type (1 to ${MAX_EVENT_TYPE_LENGTH} characters) and that the client payload has at most ${MAX_PAYLOAD_PROPERTIES} top-level properties.`,
  });
  options.logger?.info(`Sent repository_dispatch "${input.eventType}" to ${owner}/${repo}.`);
}
