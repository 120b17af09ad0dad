/**
 * Developer infrastructure: source hosting and CI/CD, secrets managers, package registries and
 * the files their clients read (`.npmrc`, `.yarnrc.yml`, `NuGet.Config`, Maven `settings.xml`,
 * Docker and Kubernetes registry credentials).
 */
import type { Rule } from './rules.js';
import { ALNUM, assigned, B64, b64, b64Json, b64Text, custom, HEX, jwtClaims, mixed, mixedCase, prefixed, UUID } from './rules-helpers.js';

function gitlab(id: string, prefix: string, what: string, body: string, severity: Rule['severity'] = 'high'): Rule {
  return prefixed({ id, description: `GitLab ${what}`, provider: 'GitLab', severity, prefix, body, minEntropy: 3 });
}

export const SOURCE_CI_RULES: readonly Rule[] = [
  gitlab('gitlab-cicd-job-token', 'glcbt-', 'CI/CD job token', '[0-9a-zA-Z]{1,5}_[0-9a-zA-Z_-]{20}'),
  gitlab('gitlab-feed-token', 'glft-', 'feed token', '[0-9a-zA-Z_-]{20}', 'medium'),
  gitlab('gitlab-incoming-mail-token', 'glimt-', 'incoming mail token', '[0-9a-zA-Z_-]{25}', 'medium'),
  gitlab('gitlab-kubernetes-agent-token', 'glagent-', 'Kubernetes agent token', '[0-9a-zA-Z_-]{50}', 'critical'),
  gitlab('gitlab-scim-token', 'glsoat-', 'SCIM OAuth token', '[0-9a-zA-Z_-]{20}', 'critical'),
  gitlab('gitlab-feature-flag-client-token', 'glffct-', 'feature flags client token', '[0-9a-zA-Z_-]{20}', 'medium'),
  gitlab('gitlab-runner-registration-token', 'GR1348941', 'runner registration token (deprecated kind)', '[0-9a-zA-Z_-]{20}'),
  custom({
    id: 'gitlab-session-cookie',
    description: 'GitLab session cookie',
    provider: 'GitLab',
    severity: 'high',
    keywords: ['_gitlab_session='],
    pattern: /_gitlab_session=([0-9a-z]{32})(?![0-9a-z])/,
    validate: mixed,
  }),
  custom({
    id: 'bitbucket-access-token',
    description: 'Bitbucket repository, project or workspace access token',
    provider: 'Atlassian',
    severity: 'critical',
    keywords: ['atctt3xffg'],
    pattern: /(?<![A-Za-z0-9_=-])(ATCTT3xFfG[A-Za-z0-9_=-]{100,300}=[A-F0-9]{8})(?![A-Za-z0-9_=-])/,
    minEntropy: 4,
  }),
  prefixed({
    id: 'bitbucket-data-center-token',
    description: 'Bitbucket Data Center HTTP access token',
    provider: 'Atlassian',
    severity: 'critical',
    prefix: 'BBDC-',
    body: '[A-Za-z0-9+/@_-]{40,50}',
    edge: 'A-Za-z0-9+/@_-',
    validate: mixedCase,
    minEntropy: 4,
  }),
  assigned({
    id: 'atlassian-data-center-pat',
    description: 'Jira or Confluence Data Center personal access token assigned to an Atlassian-named setting',
    provider: 'Atlassian',
    severity: 'critical',
    names: ['jira', 'confluence', 'atlassian'],
    value: `${B64}{44}`,
    // The token is base64 of "<numeric id>:<random bytes>".
    validate: (t) => /^\d{6,16}:/.test(b64(t)?.toString('latin1') ?? ''),
  }),
  prefixed({
    id: 'circleci-token',
    description: 'CircleCI personal or project API token',
    provider: 'CircleCI',
    severity: 'critical',
    prefix: ['CCIPAT_', 'CCIPRJ_'],
    body: `${ALNUM}{22}_${HEX}{40}`,
  }),
  assigned({
    id: 'travis-ci-token',
    description: 'Travis CI API token assigned to a Travis-named setting',
    provider: 'Travis CI',
    severity: 'high',
    names: ['travis'],
    value: '[A-Za-z0-9_-]{22}',
    validate: mixedCase,
    minEntropy: 3.5,
  }),
  assigned({
    id: 'drone-ci-token',
    description: 'Drone CI token assigned to a Drone-named setting',
    provider: 'Drone CI',
    severity: 'high',
    names: ['drone_token', 'dronetoken', 'drone-token', 'droneci'],
    value: `${ALNUM}{32}`,
    validate: mixedCase,
    minEntropy: 3.8,
  }),
  assigned({
    id: 'jenkins-api-token',
    description: 'Jenkins API token assigned to a Jenkins-named setting',
    provider: 'Jenkins',
    severity: 'high',
    names: ['jenkins'],
    value: `11${HEX}{32}`,
  }),
  prefixed({
    id: 'teamcity-access-token',
    description: 'TeamCity access token',
    provider: 'JetBrains TeamCity',
    severity: 'critical',
    prefix: 'eyJ0eXAiOiAiVENWMiJ9.',
    body: '[A-Za-z0-9_-]{20,200}\\.[A-Za-z0-9_-]{20,200}',
  }),
  prefixed({
    id: 'octopus-deploy-api-key',
    description: 'Octopus Deploy API key',
    provider: 'Octopus Deploy',
    severity: 'high',
    prefix: 'API-',
    body: '[A-Z0-9]{26,32}',
    // API-ENVIRONMENTVARIABLENAMES is a word, not a key: letters and digits both.
    validate: (k) => /[0-9].*[0-9].*[0-9]/.test(k.slice(4)) && /[A-Z].*[A-Z].*[A-Z]/.test(k.slice(4)),
    minEntropy: 3.8,
  }),
  assigned({
    id: 'codecov-token',
    description: 'Codecov upload or API token assigned to a Codecov-named setting',
    provider: 'Codecov',
    severity: 'medium',
    names: ['codecov'],
    value: `${UUID}|${HEX}{40}`,
  }),
  prefixed({
    id: 'sonarqube-token',
    description: 'SonarQube or SonarCloud token',
    provider: 'Sonar',
    severity: 'high',
    prefix: ['sqp_', 'squ_', 'sqa_'],
    body: `${HEX}{40}`,
  }),
  prefixed({
    id: 'sonarcloud-token',
    description: 'SonarQube Cloud token',
    provider: 'Sonar',
    severity: 'high',
    prefix: 'sqco_',
    body: `${ALNUM}{59}`,
    validate: mixed,
    minEntropy: 4,
  }),
  assigned({
    id: 'snyk-api-token',
    description: 'Snyk API token assigned to a Snyk-named setting',
    provider: 'Snyk',
    severity: 'high',
    names: ['snyk'],
    value: UUID,
  }),
  custom({
    id: 'harness-api-key',
    description: 'Harness personal access or service account token',
    provider: 'Harness',
    severity: 'critical',
    keywords: ['pat.', 'sat.'],
    pattern: /(?<![A-Za-z0-9_.-])((?:pat|sat)\.[A-Za-z0-9_-]{22}\.[a-f0-9]{24}\.[A-Za-z0-9]{20})(?![A-Za-z0-9_.-])/,
    minEntropy: 3.8,
  }),
  prefixed({
    id: 'jfrog-api-key',
    description: 'JFrog Artifactory API key',
    provider: 'JFrog',
    severity: 'critical',
    prefix: 'AKCp',
    body: `${ALNUM}{69}`,
    validate: mixedCase,
    minEntropy: 4,
  }),
  prefixed({
    id: 'jfrog-reference-token',
    description: 'JFrog Artifactory reference token',
    provider: 'JFrog',
    severity: 'critical',
    prefix: 'cmVmdGtu',
    body: `${ALNUM}{56}`,
    validate: mixedCase,
    minEntropy: 4,
  }),
  custom({
    id: 'docker-hub-token',
    description: 'Docker Hub personal or organization access token',
    provider: 'Docker',
    severity: 'critical',
    keywords: ['dckr_pat_', 'dckr_oat_'],
    pattern: /(?<![A-Za-z0-9_-])(dckr_pat_[A-Za-z0-9_-]{27}|dckr_oat_[A-Za-z0-9_-]{32})(?![A-Za-z0-9_-])/,
    minEntropy: 3.8,
  }),
  prefixed({
    id: 'sourcegraph-access-token',
    description: 'Sourcegraph access token',
    provider: 'Sourcegraph',
    severity: 'high',
    prefix: 'sgp_',
    body: `(?:${HEX}{16}_|local_)?${HEX}{40}`,
  }),
  prefixed({
    id: 'sourcegraph-cody-gateway-key',
    description: 'Sourcegraph Cody gateway key',
    provider: 'Sourcegraph',
    severity: 'high',
    prefix: 'slk_',
    body: `${HEX}{64}`,
  }),
  prefixed({
    id: 'deno-deploy-token',
    description: 'Deno Deploy access token',
    provider: 'Deno',
    severity: 'high',
    prefix: ['ddp_', 'ddw_'],
    body: `${ALNUM}{36}`,
    validate: mixedCase,
    minEntropy: 4,
  }),
  prefixed({
    id: 'openshift-user-token',
    description: 'OpenShift user (OAuth) token',
    provider: 'Red Hat OpenShift',
    severity: 'high',
    prefix: 'sha256~',
    body: '[A-Za-z0-9_-]{43}',
    minEntropy: 4,
  }),
  custom({
    id: 'tailscale-key',
    description: 'Tailscale auth, API, OAuth client or webhook key',
    provider: 'Tailscale',
    severity: 'critical',
    keywords: ['tskey-'],
    pattern: /(?<![A-Za-z0-9_-])(tskey-(?:auth|api|client|scim|webhook)-[A-Za-z0-9]{6,20}-[A-Za-z0-9]{20,64})(?![A-Za-z0-9_-])/,
    minEntropy: 3.8,
  }),
  assigned({
    id: 'ngrok-authtoken',
    description: 'ngrok authtoken or API key assigned to an ngrok-named setting',
    provider: 'ngrok',
    severity: 'high',
    names: ['ngrok'],
    value: '[0-9A-Za-z]{20,30}_[0-9A-Za-z]{15,30}',
    validate: mixedCase,
  }),
  assigned({
    id: 'github-oauth-client-secret',
    description: 'GitHub OAuth app client secret assigned to a GitHub-named setting',
    provider: 'GitHub',
    severity: 'high',
    // `github` alone is on most lines of most repositories; the setting's tail is rarer.
    keywords: ['client_secret', 'clientsecret', 'client-secret', 'client.secret'],
    names: [
      'github_client_secret',
      'githubclientsecret',
      'github-client-secret',
      'github_oauth_client_secret',
      'github_app_client_secret',
      'gh_client_secret',
    ],
    value: `${HEX}{40}`,
  }),
  custom({
    id: 'sidekiq-enterprise-credentials',
    description: 'Sidekiq Pro/Enterprise gem server credentials in a Bundler setting',
    provider: 'Contribsys',
    severity: 'high',
    keywords: ['__contribsys__com'],
    pattern: /BUNDLE_(?:ENTERPRISE|GEMS)__CONTRIBSYS__COM["']?[ \t]{0,4}[:=][ \t]{0,4}["']?([a-f0-9]{8}:[a-f0-9]{8})(?![A-Za-z0-9])/,
  }),
  custom({
    id: 'sidekiq-enterprise-url',
    description: 'Sidekiq Pro/Enterprise gem server URL with credentials',
    provider: 'Contribsys',
    severity: 'high',
    keywords: ['gems.contribsys.com', 'enterprise.contribsys.com'],
    pattern: /https?:\/\/([a-f0-9]{8}:[a-f0-9]{8})@(?:gems|enterprise)\.contribsys\.com/,
  }),
];

export const SECRETS_MANAGEMENT_RULES: readonly Rule[] = [
  prefixed({
    id: 'vault-recovery-token',
    description: 'HashiCorp Vault recovery token',
    provider: 'HashiCorp',
    severity: 'critical',
    prefix: 'hvr.',
    body: '[A-Za-z0-9_-]{24,250}',
    minEntropy: 3.8,
  }),
  assigned({
    id: 'vault-legacy-token',
    description: 'HashiCorp Vault token in the pre-1.10 format (s. or b.) assigned to a Vault-named setting',
    provider: 'HashiCorp',
    severity: 'critical',
    names: ['vault_token', 'vaulttoken', 'vault-token', 'x-vault-token', 'vault_root_token', 'vault_auth_token'],
    value: '[sb]\\.[A-Za-z0-9]{24}',
    validate: (t) => mixedCase(t.slice(2)),
  }),
  assigned({
    id: 'consul-acl-token',
    description: 'HashiCorp Consul ACL token assigned to a Consul-named setting',
    provider: 'HashiCorp',
    severity: 'high',
    names: ['consul_http_token', 'consul_token', 'consultoken', 'consul-token', 'consul_acl_token', 'consul_master_token'],
    value: UUID,
  }),
  assigned({
    id: 'nomad-acl-token',
    description: 'HashiCorp Nomad ACL secret assigned to a Nomad-named setting',
    provider: 'HashiCorp',
    severity: 'high',
    names: ['nomad_token', 'nomadtoken', 'nomad-token', 'nomad_acl_token'],
    value: UUID,
  }),
  assigned({
    id: 'hcp-client-secret',
    description: 'HashiCorp Cloud Platform service principal secret',
    provider: 'HashiCorp',
    severity: 'critical',
    names: ['hcp_client_secret', 'hcpclientsecret', 'hcp-client-secret'],
    value: '[A-Za-z0-9_-]{64}',
    validate: mixedCase,
    minEntropy: 4,
  }),
  custom({
    id: 'onepassword-secret-key',
    description: '1Password account secret key',
    provider: '1Password',
    severity: 'critical',
    keywords: ['a3-'],
    pattern:
      /(?<![A-Za-z0-9-])(A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5})(?![A-Za-z0-9-])/,
    validate: (k) => mixed(k.slice(3)),
  }),
  custom({
    id: 'onepassword-connect-token',
    description: '1Password Connect server access token',
    provider: '1Password',
    severity: 'critical',
    keywords: ['eyj'],
    pattern: /(?<![A-Za-z0-9_.-])(eyJ[A-Za-z0-9_-]{10,500}\.ey[IJ][A-Za-z0-9_-]{10,2000}\.[A-Za-z0-9_-]{40,200})(?![A-Za-z0-9_.-])/,
    validate: (jwt) => {
      const aud = jwtClaims(jwt)?.aud;
      const list = Array.isArray(aud) ? aud : [aud];
      return list.some((a) => typeof a === 'string' && a.startsWith('com.1password.connect'));
    },
  }),
];

export const PACKAGE_REGISTRY_RULES: readonly Rule[] = [
  custom({
    id: 'npmrc-auth-token-inline',
    description: 'npm registry auth token in .npmrc syntax outside an .npmrc file (Dockerfile, script, CI config)',
    provider: 'npm',
    severity: 'high',
    keywords: [':_authtoken='],
    // Starts at the rare literal and looks back for the registry (`//host/:`), so a run of slashes
    // is not tried from every slash; the token is taken whole (lookahead capture, backreference).
    pattern:
      /:_authToken=(?<=\/\/[A-Za-z0-9._~:/@-]{1,200}:_authToken=)["']?(?=(?<npmrcToken>[A-Za-z0-9_+/=.-]{20,200}))\k<npmrcToken>(?![A-Za-z0-9_+/=.-])/,
    generic: true,
  }),
  custom({
    id: 'npmrc-basic-auth',
    description: 'npm registry password or user:password (`_auth`, `_password`, base64) in .npmrc syntax',
    provider: 'npm',
    severity: 'high',
    keywords: ['_auth', '_password'],
    // The value is taken whole (lookahead capture and backreference): a run of padding after it
    // fails at once instead of being backtracked over.
    pattern:
      /(?<![A-Za-z0-9])_(?:auth|password)[ \t]{0,4}=[ \t]{0,4}["']?(?=(?<npmAuth>[A-Za-z0-9+/]{8,400}={0,2}))\k<npmAuth>(?![A-Za-z0-9+/=])/,
    // Base64 of readable text: `user:password` for _auth, the password for _password.
    validate: (v) => {
      const t = b64Text(v);
      return t !== undefined && t.length >= 6 && !/\s/.test(t);
    },
    generic: true,
  }),
  custom({
    id: 'yarnrc-npm-auth-token',
    description: 'Registry token in a Yarn (berry) `.yarnrc.yml` (npmAuthToken, npmAuthIdent)',
    provider: 'Yarn',
    severity: 'high',
    keywords: ['npmauthtoken', 'npmauthident'],
    pattern: /npmAuth(?:Token|Ident)["']?[ \t]{0,4}:[ \t]{0,4}["']?([A-Za-z0-9_+/=.:-]{16,400})(?![A-Za-z0-9_+/=.:-])/,
    generic: true,
  }),
  custom({
    id: 'nuget-config-password',
    description: 'Password in a NuGet.Config package source (ClearTextPassword or Password)',
    provider: 'NuGet',
    severity: 'high',
    keywords: ['cleartextpassword', 'key="password"', "key='password'"],
    pattern: /<add[ \t]{1,8}key=["'](?:ClearText)?Password["'][ \t]{1,8}value=["']([^"'\s<>]{8,400})["']/i,
    generic: true,
  }),
  custom({
    id: 'maven-settings-password',
    description: 'Server password in a Maven settings.xml',
    provider: 'Maven',
    severity: 'high',
    keywords: ['<password>'],
    pattern: /<password>([^<>\s]{6,200})<\/password>/,
    path: /(?:^|\/)settings(?:-security)?\.xml$/,
    generic: true,
  }),
  prefixed({
    id: 'crates-io-api-token',
    description: 'crates.io API token',
    provider: 'crates.io',
    severity: 'high',
    prefix: 'cio',
    body: `${ALNUM}{32}`,
    validate: (t) => mixedCase(t.slice(3)),
    minEntropy: 4,
  }),
  custom({
    id: 'docker-config-json-base64',
    description: 'Base64-encoded Docker config.json with registry credentials (Kubernetes `.dockerconfigjson`)',
    provider: 'Docker',
    severity: 'high',
    keywords: ['eyjhdxrocyi6', 'ewogicjhdxrocyi6'],
    pattern: /(?<![A-Za-z0-9+/])((?:eyJhdXRocyI6|ewogICJhdXRocyI6)[A-Za-z0-9+/]{20,8000}={0,2})(?![A-Za-z0-9+/=])/,
    validate: (data) => {
      const auths = b64Json(data)?.auths;
      if (typeof auths !== 'object' || auths === null) return false;
      return Object.values(auths as Record<string, unknown>).some((entry) => {
        const e = entry as Record<string, unknown> | null;
        if (!e) return false;
        if (typeof e.password === 'string' && e.password.length >= 4) return true;
        return typeof e.auth === 'string' && /^[^:\s]{1,100}:\S{4,}$/.test(b64Text(e.auth) ?? '');
      });
    },
  }),
];
