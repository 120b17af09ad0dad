/**
 * Writes a GitHub Actions secret: how a freshly rotated agent key reaches the `ASS_AGENT_KEY`
 * secret that workflows use. GitHub only accepts a value sealed (libsodium `crypto_box_seal`)
 * under the target's current public key, so every write is: GET the public key, seal, PUT
 * `{encrypted_value, key_id}`. The value leaves this process only as that ciphertext.
 *
 * A workflow's own `GITHUB_TOKEN` can never write secrets; the caller brings a fine-grained
 * token or a GitHub App installation token with the permission each target names below.
 */
import sodium from 'libsodium-wrappers';
import { AppError } from '../core/errors.js';
import { type CallContext, type GitHubApiOptions, githubRequest, parseRepository, validateOwner } from './github-api.js';

export const ORG_VISIBILITIES = ['all', 'private', 'selected'] as const;
export type OrgVisibility = (typeof ORG_VISIBILITIES)[number];

/** Where a secret is written. */
export type SecretTarget =
  | { kind: 'repo'; owner: string; repo: string }
  | { kind: 'env'; owner: string; repo: string; environment: string }
  | {
      kind: 'org';
      org: string;
      /** Which of the organisation's repositories may use it; `private` covers private and internal ones. */
      visibility: OrgVisibility;
      /** With `selected`: the repositories' ids (sent only when given). */
      selectedRepositoryIds?: number[];
    };

export interface WriteSecretInput {
  target: SecretTarget;
  /** The secret's name, e.g. `ASS_AGENT_KEY`. */
  name: string;
  /** The value; it is sealed before anything leaves the process and appears in no message. */
  value: string;
}

export interface WriteSecretResult {
  /** True when GitHub created the secret (201), false when it replaced one (204). */
  created: boolean;
  /** The id of the public key the value was sealed under. */
  keyId: string;
}

const TARGET_SYNTAX = 'repo:OWNER/REPO, env:OWNER/REPO:ENVIRONMENT or org:ORG[:all|private|selected]';

/**
 * Parses a target spec: `repo:OWNER/REPO`, `env:OWNER/REPO:ENVIRONMENT` (the environment is the
 * rest, colons included) or `org:ORG[:VISIBILITY]` (visibility `all`, `private` (default) or
 * `selected`). Throws AppError('invalid_input') naming the accepted forms.
 */
export function parseSecretTarget(spec: string): SecretTarget {
  const text = spec.trim();
  const colon = text.indexOf(':');
  const kind = colon < 0 ? text : text.slice(0, colon);
  const rest = colon < 0 ? '' : text.slice(colon + 1);
  if (!rest) throw new AppError('invalid_input', `The secret target "${text.slice(0, 200)}" is incomplete; write ${TARGET_SYNTAX}.`);
  switch (kind) {
    case 'repo':
      return validateTarget({ kind: 'repo', ...parseRepository(rest) });
    case 'env': {
      const sep = rest.indexOf(':');
      if (sep < 0)
        throw new AppError(
          'invalid_input',
          `The secret target "${text.slice(0, 200)}" names no environment; write env:OWNER/REPO:ENVIRONMENT.`,
        );
      return validateTarget({ kind: 'env', ...parseRepository(rest.slice(0, sep)), environment: rest.slice(sep + 1) });
    }
    case 'org': {
      const [org = '', visibility = 'private', ...extra] = rest.split(':');
      if (extra.length > 0)
        throw new AppError(
          'invalid_input',
          `The secret target "${text.slice(0, 200)}" has too many parts; write org:ORG[:all|private|selected].`,
        );
      return validateTarget({ kind: 'org', org, visibility: visibility as OrgVisibility });
    }
    default:
      throw new AppError(
        'invalid_input',
        `The secret target "${text.slice(0, 200)}" has an unknown kind "${kind.slice(0, 20)}"; write ${TARGET_SYNTAX}.`,
      );
  }
}

/** Checks a target built in code (names, environment, visibility); returns it unchanged. */
export function validateTarget(target: SecretTarget): SecretTarget {
  if (target.kind === 'org') {
    validateOwner(target.org, 'organisation');
    if (!ORG_VISIBILITIES.includes(target.visibility)) {
      throw new AppError(
        'invalid_input',
        `The organisation secret visibility "${String(target.visibility).slice(0, 20)}" is not one of all, private, selected.`,
      );
    }
    const ids = target.selectedRepositoryIds;
    if (ids !== undefined && (target.visibility !== 'selected' || !ids.every((id) => Number.isSafeInteger(id) && id > 0))) {
      throw new AppError('invalid_input', 'Selected repository ids are positive integers and go only with visibility "selected".');
    }
    return target;
  }
  parseRepository(`${target.owner}/${target.repo}`);
  if (target.kind === 'env') validateEnvironment(target.environment);
  return target;
}

function validateEnvironment(name: string): void {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
  if (!name || name.length > 255 || /[\u0000-\u001f\u007f]/.test(name) || name.trim() !== name) {
    throw new AppError(
      'invalid_input',
      'The environment name must be 1 to 255 characters, without control characters or surrounding spaces, as in the repository settings.',
    );
  }
}

/**
 * Checks a secret name as GitHub does: letters, digits and `_`, not starting with a digit, and
 * not starting with `GITHUB_` (reserved; GitHub compares names without case).
 */
export function validateSecretName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new AppError(
      'invalid_input',
      `The secret name "${name.slice(0, 100)}" is not valid: use letters, digits and underscores, not starting with a digit (e.g. ASS_AGENT_KEY).`,
    );
  }
  if (/^GITHUB_/i.test(name)) {
    throw new AppError(
      'invalid_input',
      `The secret name "${name.slice(0, 100)}" starts with GITHUB_, which GitHub reserves; choose another name.`,
    );
  }
  return name;
}

/** A short description of the target for messages: `repository octo/app`, `environment prod of octo/app`, `organisation acme`. */
export function describeTarget(target: SecretTarget): string {
  if (target.kind === 'repo') return `repository ${target.owner}/${target.repo}`;
  if (target.kind === 'env') return `environment "${target.environment}" of ${target.owner}/${target.repo}`;
  return `organisation ${target.org}`;
}

/**
 * Seals `value` under GitHub's base64 Curve25519 public key (libsodium `crypto_box_seal`, an
 * anonymous sender: only the holder of GitHub's private key can open it) and returns it base64.
 */
export async function sealSecretValue(value: string, publicKeyBase64: string): Promise<string> {
  await sodium.ready;
  const key = Buffer.from(publicKeyBase64, 'base64');
  if (key.length !== sodium.crypto_box_PUBLICKEYBYTES || key.toString('base64') !== publicKeyBase64) {
    throw new AppError('internal', "GitHub's secrets public key is not a base64 32-byte Curve25519 key; check the API URL.");
  }
  const sealed = sodium.crypto_box_seal(Buffer.from(value, 'utf8'), new Uint8Array(key));
  return Buffer.from(sealed).toString('base64');
}

/**
 * Writes (creates or replaces) an Actions secret. The name and target are checked before any
 * request. Needs a fine-grained token or GitHub App with, on the repository, "Secrets: read and
 * write" (repository secrets) or "Environments: read and write" (environment secrets); on the
 * organisation, "Secrets: read and write" (classic tokens: `repo` / `admin:org`).
 */
export async function writeGitHubSecret(input: WriteSecretInput, options: GitHubApiOptions): Promise<WriteSecretResult> {
  const target = validateTarget(input.target);
  const name = validateSecretName(input.name);
  if (typeof input.value !== 'string' || input.value === '') {
    throw new AppError('invalid_input', `No value to write to secret ${name}: GitHub refuses an empty secret.`);
  }
  const context = callContext(target, name);
  const base = await secretsBasePath(target, options, context);
  const keyAnswer = await githubRequest(options, 'GET', `${base}/public-key`, undefined, {
    ...context,
    action: `read the secrets public key of ${describeTarget(target)}`,
  });
  const { key_id: keyId, key } = (keyAnswer.json ?? {}) as { key_id?: unknown; key?: unknown };
  if (typeof keyId !== 'string' || typeof key !== 'string') {
    throw new AppError(
      'internal',
      `GitHub's answer for the secrets public key of ${describeTarget(target)} has no key_id and key; check the API URL.`,
    );
  }
  const body: Record<string, unknown> = { encrypted_value: await sealSecretValue(input.value, key), key_id: keyId };
  if (target.kind === 'org') {
    body.visibility = target.visibility;
    if (target.selectedRepositoryIds) body.selected_repository_ids = target.selectedRepositoryIds;
  }
  const put = await githubRequest(options, 'PUT', `${base}/${name}`, body, context);
  const created = put.status === 201;
  options.logger?.info(`${created ? 'Created' : 'Updated'} GitHub Actions secret ${name} in ${describeTarget(target)}.`);
  return { created, keyId };
}

/** The secrets collection's path; an environment's is addressed by the repository's numeric id. */
async function secretsBasePath(target: SecretTarget, options: GitHubApiOptions, context: CallContext): Promise<string> {
  if (target.kind === 'repo') return `/repos/${target.owner}/${target.repo}/actions/secrets`;
  if (target.kind === 'org') return `/orgs/${target.org}/actions/secrets`;
  const answer = await githubRequest(options, 'GET', `/repos/${target.owner}/${target.repo}`, undefined, {
    ...context,
    action: `look up repository ${target.owner}/${target.repo}`,
    notFoundHelp: `Check the repository name ${target.owner}/${target.repo} and that the token has access to it (GitHub answers 404 for a private repository the token cannot see).`,
  });
  const id = (answer.json as { id?: unknown } | undefined)?.id;
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) {
    throw new AppError('internal', `GitHub's answer for repository ${target.owner}/${target.repo} has no numeric id; check the API URL.`);
  }
  return `/repositories/${id}/environments/${encodeURIComponent(target.environment)}/secrets`;
}

function callContext(target: SecretTarget, name: string): CallContext {
  const where = describeTarget(target);
  return {
    action: `write secret ${name} to ${where}`,
    permissionHelp: `A workflow's GITHUB_TOKEN cannot write secrets: use a fine-grained personal access token or a GitHub App installation token with ${permissionFor(target)}, and give it to this step as a secret.`,
    notFoundHelp: notFoundFor(target),
    invalidHelp: `GitHub refused the secret: check the name ${name} (letters, digits and underscores, not starting with a digit or GITHUB_)${target.kind === 'org' ? ' and the visibility and repository ids' : ''}.`,
  };
}

function permissionFor(target: SecretTarget): string {
  if (target.kind === 'repo') return `the repository permission "Secrets: Read and write" on ${target.owner}/${target.repo}`;
  if (target.kind === 'env') return `the repository permission "Environments: Read and write" on ${target.owner}/${target.repo}`;
  return `the organisation permission "Secrets: Read and write" on ${target.org} (a classic token needs admin:org)`;
}

function notFoundFor(target: SecretTarget): string {
  if (target.kind === 'org')
    return `Check the organisation name ${target.org} and that the token belongs to it (GitHub answers 404 when the token cannot see it).`;
  const repo = `${target.owner}/${target.repo}`;
  const env = target.kind === 'env' ? `the environment "${target.environment}" exists in ${repo} (Settings → Environments), ` : '';
  return `Check the repository name ${repo}, that ${env}and that the token has access to it (GitHub answers 404 for what the token cannot see).`;
}
