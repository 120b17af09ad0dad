/**
 * The rules, as data. Each rule names a credential type: its provider, severity, the literal
 * keywords that must occur near a match (the prefilter runs the expression only around them) and
 * the expression. `secretGroup` picks the secret out of the match (default: group 1 when present).
 *
 * Formats come from the providers' published token formats (see docs/scan.md); expressions are
 * bounded (no nested unbounded quantifiers) because V8's engine backtracks.
 */
import { validAssCredential, validCloudflareToken, validPrefixedCrc62 } from './checksum.js';
import { PROVIDER_RULES } from './rules-providers.js';

export type Severity = 'critical' | 'high' | 'medium' | 'low';

/** A capture group, or the text from the start of the first group of a pair to the end of the second. */
export type GroupRef = number | readonly [number, number];

export interface Rule {
  id: string;
  description: string;
  provider: string;
  severity: Severity;
  /** Lower-case literals; the expression runs only in a window around one of them. */
  keywords: readonly string[];
  /** Flags other than `g` are kept (`i`, `m`). */
  pattern: RegExp;
  /**
   * Capture group holding the secret; default 1 when the expression has groups, else 0. A pair
   * `[a, b]` takes the text from the start of group `a` to the end of group `b`: an expression that
   * starts its match at a rare inner literal and looks back for the token's start (so it is not
   * tried at every character of a long run) captures the part before the literal in its lookbehind.
   */
  secretGroup?: GroupRef;
  /** Capture group holding the assigned name (generic rules); a pair as for `secretGroup`. */
  nameGroup?: GroupRef;
  /** Minimum Shannon entropy (bits/char) of the secret. */
  minEntropy?: number;
  /** Structure check (checksum, magic bytes); a secret that fails it is not a finding. */
  validate?: (secret: string) => boolean;
  /** Generic rules: name = value with entropy; get every false-positive filter. */
  generic?: boolean;
  /** The match may span lines (PEM blocks). */
  multiline?: boolean;
  /** The match must start at the beginning of a line. */
  lineAnchored?: boolean;
  /** Only files whose path matches (e.g. `.npmrc`). */
  path?: RegExp;
  /** The format carries a checksum that `validate` verifies. */
  checksum?: boolean;
  /** The part of the secret the placeholder check reads (formats with fixed runs such as `AAAAAAAA`). */
  placeholderPart?: (secret: string) => string;
}

const B62 = '[0-9A-Za-z]';

/** `name = "value"`-style context for providers whose keys have no distinctive prefix. */
function named(nameRe: string, valueRe: string): RegExp {
  return new RegExp(
    String.raw`(?<![A-Za-z0-9])(?:${nameRe})[A-Za-z0-9_.-]{0,24}["']?\s*(?::=|=>|:|=)\s*["'\x60]?(${valueRe})(?![A-Za-z0-9_+/=-])`,
    'i',
  );
}

function githubRule(prefix: string, id: string, what: string): Rule {
  return {
    id,
    description: `GitHub ${what}`,
    provider: 'GitHub',
    severity: 'critical',
    keywords: [prefix],
    pattern: new RegExp(String.raw`\b(${prefix}${B62}{36})\b`),
    validate: validPrefixedCrc62,
    checksum: true,
  };
}

/**
 * `(?=(?<name>x))\k<name>`: `x` matched once, as long as it goes, and never given back (an atomic
 * group, which JavaScript lacks). Where what follows could also take some of `x`'s characters,
 * backtracking would otherwise try every split between the two: quadratic in their length.
 */
function atomic(name: string, x: string): string {
  return String.raw`(?=(?<${name}>${x}))\k<${name}>`;
}

/**
 * Key block lines (base64, 16 or more characters) with their line breaks: real ones, escaped ones
 * (`\n` in a JSON or code string) or blanks (a key pasted on one line). A line break is taken whole:
 * a run of blanks after a line is either its break or, after the last line, the blanks before
 * `-----END`, never split between the two, so blanks cost once whatever follows them.
 */
const PEM_BODY = String.raw`((?:[A-Za-z0-9+/=]{16,}(?:\\r)?${atomic('pemBreak', String.raw`\\n|[ \t]*\r?\n|[ \t]+`)}){2,}[A-Za-z0-9+/=]{0,120})`;

/** The words that make a name secret-sounding, for the generic assignment rule. */
const SECRET_WORD = '(?:passw(?:or)?d|pwd|secret|token|api[_.-]?key|access[_.-]?key|private[_.-]?key|auth[_.-]?key|credentials?)';

export const RULES: readonly Rule[] = [
  // ---- This product's own credentials ----
  {
    id: 'ass-credential',
    description: 'Agent Secret Store credential (user, agent, scoped or pipeline token)',
    provider: 'Agent Secret Store',
    severity: 'critical',
    keywords: ['ass_u_', 'ass_a_', 'ass_t_', 'ass_p_'],
    pattern: new RegExp(String.raw`\b(ass_[uatp]_${B62}{65})\b`),
    validate: validAssCredential,
    checksum: true,
  },
  // ---- GitHub ----
  githubRule('ghp_', 'github-pat', 'personal access token (classic)'),
  githubRule('gho_', 'github-oauth-token', 'OAuth access token'),
  githubRule('ghu_', 'github-app-user-token', 'App user-to-server token'),
  githubRule('ghs_', 'github-app-server-token', 'App installation (server-to-server) token'),
  githubRule('ghr_', 'github-refresh-token', 'refresh token'),
  {
    id: 'github-fine-grained-pat',
    description: 'GitHub fine-grained personal access token',
    provider: 'GitHub',
    severity: 'critical',
    keywords: ['github_pat_'],
    pattern: new RegExp(String.raw`\b(github_pat_${B62}{22}_${B62}{59})\b`),
    minEntropy: 3.5,
  },
  // ---- npm, PyPI, package registries ----
  {
    id: 'npm-token',
    description: 'npm access token',
    provider: 'npm',
    severity: 'critical',
    keywords: ['npm_'],
    pattern: new RegExp(String.raw`\b(npm_${B62}{36})\b`),
    validate: validPrefixedCrc62,
    checksum: true,
  },
  {
    id: 'npmrc-auth-token',
    description: 'Registry auth token in an .npmrc file',
    provider: 'npm',
    severity: 'high',
    keywords: ['_authtoken'],
    pattern: /_authToken\s*=\s*["']?([A-Za-z0-9_+/=.-]{20,200})/,
    path: /(?:^|\/)\.npmrc$/,
  },
  {
    id: 'pypi-token',
    description: 'PyPI upload token',
    provider: 'PyPI',
    severity: 'critical',
    keywords: ['pypi-ageichlwas5vcmc', 'pypi-agendgvzdc5wexbplm9yzw'],
    pattern: /\b(pypi-AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,})/,
  },
  {
    id: 'rubygems-api-key',
    description: 'RubyGems API key',
    provider: 'RubyGems',
    severity: 'high',
    keywords: ['rubygems_'],
    pattern: /\b(rubygems_[a-f0-9]{48})\b/,
  },
  {
    id: 'nuget-api-key',
    description: 'NuGet API key',
    provider: 'NuGet',
    severity: 'high',
    keywords: ['oy2'],
    pattern: /\b(oy2[a-z0-9]{43})\b/,
    minEntropy: 3.5,
  },
  {
    id: 'clojars-token',
    description: 'Clojars deploy token',
    provider: 'Clojars',
    severity: 'high',
    keywords: ['clojars_'],
    pattern: /\b(CLOJARS_[a-z0-9]{60})\b/i,
  },
  // ---- AI providers ----
  {
    id: 'openai-api-key',
    description: 'OpenAI API key',
    provider: 'OpenAI',
    severity: 'critical',
    keywords: ['t3blbkfj'],
    // Matched from the `T3BlbkFJ` in the middle, looking back for `sk-` (see the JWT rule).
    pattern: new RegExp(
      String.raw`(?=T3BlbkFJ)(?<=\b(sk-(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{20,150}))(T3BlbkFJ${atomic('openaiTail', '[A-Za-z0-9_-]{20,150}')})(?![A-Za-z0-9_-])`,
    ),
    secretGroup: [1, 2],
  },
  {
    id: 'anthropic-api-key',
    description: 'Anthropic API key',
    provider: 'Anthropic',
    severity: 'critical',
    keywords: ['sk-ant-'],
    pattern: /\b(sk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{80,110}AA)(?![A-Za-z0-9_-])/,
  },
  {
    id: 'google-api-key',
    description: 'Google API key (Gemini, Maps, Firebase and other Google Cloud APIs)',
    provider: 'Google',
    severity: 'high',
    keywords: ['aiza'],
    pattern: /\b(AIza[0-9A-Za-z_-]{35})(?![A-Za-z0-9_-])/,
    minEntropy: 3.5,
  },
  {
    id: 'google-oauth-client-secret',
    description: 'Google OAuth client secret',
    provider: 'Google',
    severity: 'high',
    keywords: ['gocspx-'],
    pattern: /\b(GOCSPX-[A-Za-z0-9_-]{28})(?![A-Za-z0-9_-])/,
  },
  {
    id: 'gcp-service-account-key',
    description: 'Private key inside a Google Cloud service-account JSON file',
    provider: 'Google',
    severity: 'critical',
    keywords: ['"private_key"'],
    pattern:
      /"private_key"\s*:\s*"-----BEGIN (?:RSA )?PRIVATE KEY-----(?:\\n|\s)+((?:[A-Za-z0-9+/=]{16,}(?:\\n|\s)+){2,}[A-Za-z0-9+/=]{0,120})/,
    multiline: true,
    validate: (body) => body.startsWith('MI'),
  },
  {
    id: 'groq-api-key',
    description: 'Groq API key',
    provider: 'Groq',
    severity: 'high',
    keywords: ['gsk_'],
    pattern: /\b(gsk_[A-Za-z0-9]{52})\b/,
  },
  {
    id: 'xai-api-key',
    description: 'xAI API key',
    provider: 'xAI',
    severity: 'high',
    keywords: ['xai-'],
    pattern: /\b(xai-[A-Za-z0-9]{80})\b/,
  },
  {
    id: 'huggingface-token',
    description: 'Hugging Face access token',
    provider: 'Hugging Face',
    severity: 'high',
    keywords: ['hf_'],
    pattern: /\b(hf_[A-Za-z]{34})\b/,
    minEntropy: 3.5,
  },
  {
    id: 'replicate-api-token',
    description: 'Replicate API token',
    provider: 'Replicate',
    severity: 'high',
    keywords: ['r8_'],
    pattern: /\b(r8_[A-Za-z0-9]{37})\b/,
    minEntropy: 3.5,
  },
  {
    id: 'perplexity-api-key',
    description: 'Perplexity API key',
    provider: 'Perplexity',
    severity: 'high',
    keywords: ['pplx-'],
    pattern: /\b(pplx-[A-Za-z0-9]{48})\b/,
  },
  {
    id: 'langsmith-api-key',
    description: 'LangSmith API key',
    provider: 'LangChain',
    severity: 'high',
    keywords: ['lsv2_'],
    pattern: /\b(lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10})\b/,
  },
  {
    id: 'pinecone-api-key',
    description: 'Pinecone API key',
    provider: 'Pinecone',
    severity: 'high',
    keywords: ['pcsk_'],
    pattern: /\b(pcsk_[A-Za-z0-9_]{50,90})\b/,
  },
  // ---- Cloud ----
  {
    id: 'aws-access-key-id',
    description: 'AWS access key ID (a secret access key is usually nearby)',
    provider: 'AWS',
    severity: 'high',
    keywords: ['akia', 'asia', 'abia', 'acca'],
    pattern: /\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b/,
    minEntropy: 3.0,
  },
  {
    id: 'aws-secret-access-key',
    description: 'AWS secret access key assigned to an AWS-named setting',
    provider: 'AWS',
    severity: 'critical',
    keywords: ['aws'],
    pattern:
      /(?<![A-Za-z0-9])aws[A-Za-z0-9_.-]{0,20}(?:secret|private)[A-Za-z0-9_.-]{0,20}["']?\s*(?::=|=>|:|=)\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/i,
    minEntropy: 4.0,
  },
  {
    id: 'azure-storage-account-key',
    description: 'Azure Storage account key in a connection string',
    provider: 'Microsoft Azure',
    severity: 'critical',
    keywords: ['accountkey='],
    pattern: /AccountKey=([A-Za-z0-9+/]{86}==)/i,
    // The storage emulator's (Azurite) key is published in Microsoft's documentation.
    validate: (key) => !key.startsWith('Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq'),
  },
  {
    id: 'azure-ad-client-secret',
    description: 'Microsoft Entra ID (Azure AD) application client secret',
    provider: 'Microsoft Azure',
    severity: 'high',
    keywords: ['q~'],
    pattern: /(?<![A-Za-z0-9_~.-])([A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-])/,
    minEntropy: 3.5,
  },
  {
    id: 'alibaba-access-key-id',
    description: 'Alibaba Cloud AccessKey ID',
    provider: 'Alibaba Cloud',
    severity: 'high',
    keywords: ['ltai'],
    pattern: /\b(LTAI[A-Za-z0-9]{20})\b/,
    minEntropy: 3.5,
  },
  {
    id: 'digitalocean-token',
    description: 'DigitalOcean personal access, OAuth or refresh token',
    provider: 'DigitalOcean',
    severity: 'critical',
    keywords: ['dop_v1_', 'doo_v1_', 'dor_v1_'],
    pattern: /\b(do[opr]_v1_[a-f0-9]{64})\b/,
  },
  {
    id: 'heroku-api-key-v2',
    description: 'Heroku API key',
    provider: 'Heroku',
    severity: 'high',
    keywords: ['hrku-'],
    pattern: /\b(HRKU-[A-Za-z0-9_-]{60})(?![A-Za-z0-9_-])/,
  },
  {
    id: 'heroku-api-key',
    description: 'Heroku API key assigned to a Heroku-named setting',
    provider: 'Heroku',
    severity: 'high',
    keywords: ['heroku'],
    pattern: named('heroku', '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'),
  },
  {
    id: 'cloudflare-api-token',
    description: 'Cloudflare API token (prefixed, with checksum)',
    provider: 'Cloudflare',
    severity: 'critical',
    keywords: ['cfk_', 'cfut_', 'cfat_'],
    pattern: /\b((?:cfk|cfut|cfat)_[A-Za-z0-9]{40}[a-f0-9]{8})\b/,
    validate: validCloudflareToken,
    checksum: true,
  },
  {
    id: 'cloudflare-api-key',
    description: 'Cloudflare global API key assigned to a Cloudflare-named setting',
    provider: 'Cloudflare',
    severity: 'high',
    keywords: ['cloudflare', 'cf_api'],
    pattern: named('cloudflare|cf_api', '[a-f0-9]{37}'),
  },
  {
    id: 'fly-io-token',
    description: 'Fly.io access token',
    provider: 'Fly.io',
    severity: 'high',
    keywords: ['flyv1 fm'],
    pattern: /\b(FlyV1 fm\d_[A-Za-z0-9+/=_-]{100,800})/,
  },
  {
    id: 'vault-service-token',
    description: 'HashiCorp Vault service or batch token',
    provider: 'HashiCorp',
    severity: 'critical',
    keywords: ['hvs.', 'hvb.'],
    pattern: /\b(hv[sb]\.[A-Za-z0-9_-]{90,200})(?![A-Za-z0-9_-])/,
  },
  {
    id: 'terraform-cloud-token',
    description: 'Terraform Cloud / HCP Terraform API token',
    provider: 'HashiCorp',
    severity: 'critical',
    keywords: ['.atlasv1.'],
    pattern: /\b([A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70})(?![A-Za-z0-9_=-])/,
  },
  {
    id: 'supabase-access-token',
    description: 'Supabase personal access token',
    provider: 'Supabase',
    severity: 'high',
    keywords: ['sbp_'],
    pattern: /\b(sbp_[a-f0-9]{40})\b/,
  },
  {
    id: 'planetscale-token',
    description: 'PlanetScale password or API token',
    provider: 'PlanetScale',
    severity: 'high',
    keywords: ['pscale_'],
    pattern: /\b(pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_.-]{32,64})\b/,
  },
  {
    id: 'databricks-token',
    description: 'Databricks personal access token',
    provider: 'Databricks',
    severity: 'high',
    keywords: ['dapi'],
    pattern: /\b(dapi[a-f0-9]{32}(?:-\d)?)\b/,
    minEntropy: 3.0,
  },
  {
    id: 'doppler-token',
    description: 'Doppler token',
    provider: 'Doppler',
    severity: 'high',
    keywords: ['dp.pt.', 'dp.st.', 'dp.sa.', 'dp.ct.'],
    pattern: /\b(dp\.(?:pt|st|sa|ct)\.[A-Za-z0-9]{40,44})\b/,
  },
  {
    id: 'onepassword-service-account-token',
    description: '1Password service account token',
    provider: '1Password',
    severity: 'critical',
    keywords: ['ops_eyj'],
    pattern: /\b(ops_eyJ[A-Za-z0-9+/=]{250,})/,
  },
  {
    id: 'pulumi-access-token',
    description: 'Pulumi access token',
    provider: 'Pulumi',
    severity: 'high',
    keywords: ['pul-'],
    pattern: /\b(pul-[a-f0-9]{40})\b/,
  },
  {
    id: 'buildkite-token',
    description: 'Buildkite user access token',
    provider: 'Buildkite',
    severity: 'high',
    keywords: ['bkua_'],
    pattern: /\b(bkua_[a-f0-9]{40})\b/,
  },
  {
    id: 'infracost-api-key',
    description: 'Infracost API key',
    provider: 'Infracost',
    severity: 'medium',
    keywords: ['ico-'],
    pattern: /\b(ico-[A-Za-z0-9]{32})\b/,
    minEntropy: 3.5,
  },
  {
    id: 'prefect-api-key',
    description: 'Prefect API key',
    provider: 'Prefect',
    severity: 'high',
    keywords: ['pnu_'],
    pattern: /\b(pnu_[A-Za-z0-9]{36})\b/,
    minEntropy: 3.5,
  },
  // ---- Source hosting, CI ----
  {
    id: 'gitlab-pat',
    description: 'GitLab personal access token',
    provider: 'GitLab',
    severity: 'critical',
    keywords: ['glpat-'],
    pattern: /\b(glpat-[A-Za-z0-9_-]{20,})(?![A-Za-z0-9_-])/,
    minEntropy: 3.0,
  },
  {
    id: 'gitlab-deploy-token',
    description: 'GitLab deploy token',
    provider: 'GitLab',
    severity: 'high',
    keywords: ['gldt-'],
    pattern: /\b(gldt-[A-Za-z0-9_-]{20,})(?![A-Za-z0-9_-])/,
    minEntropy: 3.0,
  },
  {
    id: 'gitlab-runner-token',
    description: 'GitLab runner authentication token',
    provider: 'GitLab',
    severity: 'high',
    keywords: ['glrt-'],
    pattern: /\b(glrt-[A-Za-z0-9_-]{20,})(?![A-Za-z0-9_-])/,
    minEntropy: 3.0,
  },
  {
    id: 'gitlab-pipeline-trigger-token',
    description: 'GitLab pipeline trigger token',
    provider: 'GitLab',
    severity: 'high',
    keywords: ['glptt-'],
    pattern: /\b(glptt-[a-f0-9]{40})\b/,
  },
  {
    id: 'gitlab-oauth-app-secret',
    description: 'GitLab OAuth application secret',
    provider: 'GitLab',
    severity: 'high',
    keywords: ['gloas-'],
    pattern: /\b(gloas-[a-f0-9]{64})\b/,
  },
  {
    id: 'bitbucket-app-password',
    description: 'Bitbucket app password',
    provider: 'Atlassian',
    severity: 'high',
    keywords: ['atbb'],
    pattern: /\b(ATBB[A-Za-z0-9_=.-]{32,})(?![A-Za-z0-9_=.-])/,
    minEntropy: 3.5,
  },
  {
    id: 'atlassian-api-token',
    description: 'Atlassian API token',
    provider: 'Atlassian',
    severity: 'high',
    keywords: ['atatt'],
    // `-` and `=` are in the alphabet, so `ATATT=ATATT=...` offers a start every 6 characters; the
    // body is taken whole (atomic) so a start in such a run fails after one scan, not 100 retries.
    pattern: new RegExp(String.raw`\b(ATATT${atomic('atlassianBody', '[A-Za-z0-9_=-]{150,250}')})(?![A-Za-z0-9_=-])`),
  },
  // ---- Payments, commerce ----
  {
    id: 'stripe-secret-key',
    description: 'Stripe live secret key',
    provider: 'Stripe',
    severity: 'critical',
    keywords: ['sk_live_'],
    pattern: /\b(sk_live_[A-Za-z0-9]{24,99})\b/,
  },
  {
    id: 'stripe-restricted-key',
    description: 'Stripe live restricted key',
    provider: 'Stripe',
    severity: 'critical',
    keywords: ['rk_live_'],
    pattern: /\b(rk_live_[A-Za-z0-9]{24,99})\b/,
  },
  {
    id: 'stripe-test-secret-key',
    description: 'Stripe test-mode secret key',
    provider: 'Stripe',
    severity: 'low',
    keywords: ['sk_test_', 'rk_test_'],
    pattern: /\b([sr]k_test_[A-Za-z0-9]{24,99})\b/,
  },
  {
    id: 'stripe-webhook-secret',
    description: 'Stripe webhook signing secret',
    provider: 'Stripe',
    severity: 'high',
    keywords: ['whsec_'],
    pattern: /\b(whsec_[A-Za-z0-9+/]{32,64}={0,2})/,
    minEntropy: 3.5,
  },
  {
    id: 'square-access-token',
    description: 'Square access token',
    provider: 'Square',
    severity: 'critical',
    keywords: ['sq0atp-', 'eaaa'],
    pattern: /\b(sq0atp-[A-Za-z0-9_-]{22}|EAAA[A-Za-z0-9_-]{60})(?![A-Za-z0-9_-])/,
    minEntropy: 3.5,
  },
  {
    id: 'square-oauth-secret',
    description: 'Square OAuth secret',
    provider: 'Square',
    severity: 'high',
    keywords: ['sq0csp-'],
    pattern: /\b(sq0csp-[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/,
  },
  {
    id: 'shopify-access-token',
    description: 'Shopify Admin API access token',
    provider: 'Shopify',
    severity: 'critical',
    keywords: ['shpat_'],
    pattern: /\b(shpat_[a-fA-F0-9]{32})\b/,
  },
  {
    id: 'shopify-custom-app-token',
    description: 'Shopify custom app access token',
    provider: 'Shopify',
    severity: 'critical',
    keywords: ['shpca_'],
    pattern: /\b(shpca_[a-fA-F0-9]{32})\b/,
  },
  {
    id: 'shopify-private-app-token',
    description: 'Shopify private app access token',
    provider: 'Shopify',
    severity: 'critical',
    keywords: ['shppa_'],
    pattern: /\b(shppa_[a-fA-F0-9]{32})\b/,
  },
  {
    id: 'shopify-shared-secret',
    description: 'Shopify app shared secret',
    provider: 'Shopify',
    severity: 'high',
    keywords: ['shpss_'],
    pattern: /\b(shpss_[a-fA-F0-9]{32})\b/,
  },
  {
    id: 'flutterwave-secret-key',
    description: 'Flutterwave secret key',
    provider: 'Flutterwave',
    severity: 'high',
    keywords: ['flwseck'],
    pattern: /\b(FLWSECK(?:_TEST)?-[a-h0-9]{32}-X)\b/,
  },
  {
    id: 'duffel-api-token',
    description: 'Duffel API token',
    provider: 'Duffel',
    severity: 'high',
    keywords: ['duffel_'],
    pattern: /\b(duffel_(?:test|live)_[A-Za-z0-9_=-]{43})(?![A-Za-z0-9_=-])/,
  },
  {
    id: 'easypost-api-key',
    description: 'EasyPost API key',
    provider: 'EasyPost',
    severity: 'high',
    keywords: ['ezak'],
    pattern: /\b(EZ[AT]K[a-zA-Z0-9]{54})\b/,
  },
  {
    id: 'shippo-api-token',
    description: 'Shippo API token',
    provider: 'Shippo',
    severity: 'high',
    keywords: ['shippo_'],
    pattern: /\b(shippo_(?:live|test)_[a-f0-9]{40})\b/,
  },
  // ---- Messaging, e-mail ----
  {
    id: 'slack-bot-token',
    description: 'Slack bot token',
    provider: 'Slack',
    severity: 'critical',
    keywords: ['xoxb-'],
    pattern: /\b(xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{24,34})\b/,
  },
  {
    id: 'slack-user-token',
    description: 'Slack user or workspace token',
    provider: 'Slack',
    severity: 'critical',
    keywords: ['xoxp-', 'xoxe-', 'xoxa-', 'xoxr-', 'xoxs-'],
    pattern: /\b(xox[pears]-[0-9]{10,13}-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{28,34})\b/,
  },
  {
    id: 'slack-app-token',
    description: 'Slack app-level token',
    provider: 'Slack',
    severity: 'high',
    keywords: ['xapp-'],
    pattern: /\b(xapp-\d-[A-Z0-9]{9,12}-\d{10,14}-[a-f0-9]{64})\b/,
  },
  {
    id: 'slack-webhook-url',
    description: 'Slack incoming webhook URL',
    provider: 'Slack',
    severity: 'high',
    keywords: ['hooks.slack.com'],
    pattern: /(https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/T[A-Z0-9]{8,12}\/[A-Z0-9]{8,12}\/[A-Za-z0-9]{20,40})/,
  },
  {
    id: 'discord-webhook-url',
    description: 'Discord webhook URL',
    provider: 'Discord',
    severity: 'high',
    keywords: ['discord.com/api/webhooks', 'discordapp.com/api/webhooks'],
    pattern: /(https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d{15,20}\/[A-Za-z0-9_-]{60,70})/,
  },
  {
    id: 'telegram-bot-token',
    description: 'Telegram bot token',
    provider: 'Telegram',
    severity: 'high',
    keywords: [':aa'],
    pattern: /\b(\d{8,10}:AA[A-Za-z0-9_-]{33})(?![A-Za-z0-9_-])/,
    minEntropy: 3.5,
  },
  {
    id: 'sendgrid-api-key',
    description: 'SendGrid API key',
    provider: 'Twilio SendGrid',
    severity: 'critical',
    keywords: ['sg.'],
    pattern: /\b(SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/,
  },
  {
    id: 'twilio-api-key',
    description: 'Twilio API key SID with a Twilio-named setting',
    provider: 'Twilio',
    severity: 'high',
    keywords: ['twilio'],
    pattern: named('twilio', 'SK[0-9a-fA-F]{32}'),
  },
  {
    id: 'twilio-auth-token',
    description: 'Twilio auth token',
    provider: 'Twilio',
    severity: 'critical',
    keywords: ['twilio'],
    pattern: named('twilio[A-Za-z0-9_.-]{0,12}(?:auth|token|secret)', '[a-f0-9]{32}'),
  },
  {
    id: 'mailgun-api-key',
    description: 'Mailgun API key',
    provider: 'Mailgun',
    severity: 'high',
    keywords: ['mailgun'],
    pattern: named('mailgun', 'key-[a-f0-9]{32}|[a-f0-9]{32}-[a-f0-9]{8}-[a-f0-9]{8}'),
  },
  {
    id: 'mailchimp-api-key',
    description: 'Mailchimp API key',
    provider: 'Mailchimp',
    severity: 'high',
    keywords: ['-us'],
    pattern: /\b([a-f0-9]{32}-us\d{1,2})\b/,
    minEntropy: 3.0,
  },
  {
    id: 'brevo-api-key',
    description: 'Brevo (Sendinblue) API key',
    provider: 'Brevo',
    severity: 'high',
    keywords: ['xkeysib-'],
    pattern: /\b(xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16})\b/,
  },
  {
    id: 'postmark-server-token',
    description: 'Postmark server token',
    provider: 'Postmark',
    severity: 'high',
    keywords: ['postmark'],
    pattern: named('postmark', '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'),
  },
  // ---- Observability, SaaS ----
  {
    id: 'sentry-auth-token',
    description: 'Sentry auth token',
    provider: 'Sentry',
    severity: 'high',
    keywords: ['sntrys_', 'sntryu_'],
    // As for Atlassian: `+`, `/`, `=` and `-` let a run offer a start every 11 characters.
    pattern: new RegExp(
      String.raw`\b(sntrys_eyJ${atomic('sentryBody', '[A-Za-z0-9+/=_-]{50,400}')}|sntryu_[a-f0-9]{64})(?![A-Za-z0-9+/=_-])`,
    ),
  },
  {
    id: 'new-relic-user-api-key',
    description: 'New Relic user API key',
    provider: 'New Relic',
    severity: 'high',
    keywords: ['nrak-'],
    pattern: /\b(NRAK-[A-Z0-9]{27})\b/,
  },
  {
    id: 'dynatrace-api-token',
    description: 'Dynatrace API token',
    provider: 'Dynatrace',
    severity: 'high',
    keywords: ['dt0c01.'],
    pattern: /\b(dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64})\b/,
  },
  {
    id: 'datadog-api-key',
    description: 'Datadog API or application key with a Datadog-named setting',
    provider: 'Datadog',
    severity: 'high',
    keywords: ['datadog', 'dd_api', 'dd_app'],
    pattern: named('datadog|dd_api|dd_app', '[a-f0-9]{40}|[a-f0-9]{32}'),
  },
  {
    id: 'grafana-service-account-token',
    description: 'Grafana service account token',
    provider: 'Grafana',
    severity: 'high',
    keywords: ['glsa_'],
    pattern: /\b(glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})\b/,
  },
  {
    id: 'grafana-cloud-token',
    description: 'Grafana Cloud access policy token',
    provider: 'Grafana',
    severity: 'high',
    keywords: ['glc_'],
    pattern: /\b(glc_[A-Za-z0-9+/]{32,400}={0,2})/,
    minEntropy: 3.5,
  },
  {
    id: 'postman-api-key',
    description: 'Postman API key',
    provider: 'Postman',
    severity: 'high',
    keywords: ['pmak-'],
    pattern: /\b(PMAK-[a-f0-9]{24}-[a-f0-9]{34})\b/,
  },
  {
    id: 'linear-api-key',
    description: 'Linear API key',
    provider: 'Linear',
    severity: 'high',
    keywords: ['lin_api_'],
    pattern: /\b(lin_api_[A-Za-z0-9]{40})\b/,
  },
  {
    id: 'notion-integration-token',
    description: 'Notion integration token',
    provider: 'Notion',
    severity: 'high',
    keywords: ['ntn_'],
    pattern: /\b(ntn_[0-9]{11}[A-Za-z0-9]{35})\b/,
  },
  {
    id: 'figma-pat',
    description: 'Figma personal access token',
    provider: 'Figma',
    severity: 'high',
    keywords: ['figd_'],
    pattern: /\b(figd_[A-Za-z0-9_-]{40})(?![A-Za-z0-9_-])/,
  },
  {
    id: 'mapbox-secret-token',
    description: 'Mapbox secret access token',
    provider: 'Mapbox',
    severity: 'high',
    keywords: ['sk.eyj'],
    pattern: /\b(sk\.eyJ[A-Za-z0-9_-]{50,400}\.[A-Za-z0-9_-]{20,60})(?![A-Za-z0-9_-])/,
  },
  {
    id: 'typeform-pat',
    description: 'Typeform personal access token',
    provider: 'Typeform',
    severity: 'high',
    keywords: ['tfp_'],
    pattern: /\b(tfp_[A-Za-z0-9_.=-]{59})(?![A-Za-z0-9_.=-])/,
  },
  {
    id: 'readme-api-key',
    description: 'ReadMe API key',
    provider: 'ReadMe',
    severity: 'high',
    keywords: ['rdme_'],
    pattern: /\b(rdme_[a-z0-9]{70})\b/,
  },
  {
    id: 'age-secret-key',
    description: 'age encryption secret key',
    provider: 'age',
    severity: 'critical',
    keywords: ['age-secret-key-1'],
    pattern: /\b(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})\b/,
  },
  {
    id: 'cloudinary-url',
    description: 'Cloudinary URL with API secret',
    provider: 'Cloudinary',
    severity: 'high',
    keywords: ['cloudinary://'],
    pattern: /cloudinary:\/\/\d{10,20}:([A-Za-z0-9_-]{25,30})@/,
  },
  ...PROVIDER_RULES, // rules-providers.ts: the long tail, ahead of the JWT, key and generic rules
  {
    id: 'jwt',
    description: 'JSON Web Token (signed)',
    provider: 'JWT',
    severity: 'medium',
    keywords: ['eyj'],
    // Matched from the dot after the header, looking back for `eyJ`: tried from every `eyJ`, a
    // run like `eyJ-eyJ-eyJ-...` would cost each start a scan of up to 1000 characters for a dot.
    // The furthest `eyJ` back is the one a left-to-right search would have started at.
    pattern: new RegExp(
      String.raw`(?=\.eyJ)(?<=\b(eyJ[A-Za-z0-9_-]{10,1000}))\.(eyJ${atomic('jwtPayload', '[A-Za-z0-9_-]{10,4000}')}\.${atomic('jwtSignature', '[A-Za-z0-9_-]{20,800}')})(?![A-Za-z0-9_-])`,
    ),
    secretGroup: [1, 2],
    validate: (jwt) => {
      const text = Buffer.from(jwt.slice(0, jwt.indexOf('.')), 'base64url').toString('utf8');
      // Only an object can have an alg: anything else is refused without the thrown SyntaxError
      // (a few microseconds each, on a line crafted to be nothing but near-JWTs).
      if (!/^[ \t\n\r]*\{[\s\S]*\}[ \t\n\r]*$/.test(text)) return false;
      try {
        const header = JSON.parse(text);
        return typeof header === 'object' && header !== null && typeof header.alg === 'string' && header.alg !== 'none';
      } catch {
        return false;
      }
    },
  },
  // ---- Private keys ----
  {
    id: 'private-key',
    description: 'Private key (PEM: PKCS#1, PKCS#8, SEC1, encrypted PKCS#8)',
    provider: 'PEM',
    severity: 'critical',
    keywords: ['-----begin'],
    pattern: new RegExp(
      String.raw`-----BEGIN (?:RSA |EC |DSA |ENCRYPTED )?PRIVATE KEY-----(?:\\r)?(?:\\n|\s)+${PEM_BODY}(?:\\n|\s)*-----END`,
    ),
    multiline: true,
    validate: (body) => body.startsWith('MI'),
  },
  {
    id: 'openssh-private-key',
    description: 'OpenSSH private key',
    provider: 'OpenSSH',
    severity: 'critical',
    keywords: ['-----begin openssh'],
    pattern: new RegExp(String.raw`-----BEGIN OPENSSH PRIVATE KEY-----(?:\\r)?(?:\\n|\s)+${PEM_BODY}(?:\\n|\s)*-----END`),
    multiline: true,
    validate: (body) => body.startsWith('b3BlbnNzaC1rZXktdjE'),
  },
  {
    id: 'pgp-private-key',
    description: 'PGP private key block',
    provider: 'PGP',
    severity: 'critical',
    keywords: ['-----begin pgp private'],
    // Armor headers (`Version: ...`) are optional; the blanks before them and those after them are
    // separate runs, so no run of blanks can be split two ways.
    pattern: new RegExp(String.raw`-----BEGIN PGP PRIVATE KEY BLOCK-----(?:\\n|\s)+(?:(?:[A-Za-z-]+: [^\n]*\n)+(?:\\n|\s)*)?${PEM_BODY}`),
    multiline: true,
    validate: (body) => body.replace(/\s|\\n/g, '').length >= 200,
  },
  {
    id: 'putty-private-key',
    description: 'PuTTY private key',
    provider: 'PuTTY',
    severity: 'critical',
    keywords: ['putty-user-key-file-'],
    pattern: /PuTTY-User-Key-File-\d: [\w-]+\r?\n[\s\S]{0,400}?Private-Lines: \d+\r?\n([A-Za-z0-9+/=\r\n]{40,4000})/,
    multiline: true,
  },
  // ---- Connection strings, URLs with credentials ----
  {
    id: 'database-connection-string',
    description: 'Database connection string with a password',
    provider: 'Database',
    severity: 'critical',
    keywords: [
      'postgres://',
      'postgresql://',
      'mysql://',
      'mariadb://',
      'mongodb://',
      'mongodb+srv://',
      'redis://',
      'rediss://',
      'amqp://',
      'amqps://',
      'mssql://',
      'sqlserver://',
      'clickhouse://',
      'cockroachdb://',
    ],
    pattern:
      /\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|clickhouse|cockroachdb):\/\/[^:@/\s'"`]{0,64}:([^@/\s'"`]{4,128})@[A-Za-z0-9._\-[\]]{1,255}/i,
    generic: true,
  },
  {
    id: 'docker-config-auth',
    description: 'Registry credentials in a Docker config.json `auth` field',
    provider: 'Docker',
    severity: 'high',
    keywords: ['"auth"'],
    pattern: /"auth"\s*:\s*"([A-Za-z0-9+/]{16,400}={0,2})"/,
    validate: (b64) => /^[^:\s]{1,100}:\S{4,}$/.test(Buffer.from(b64, 'base64').toString('utf8')),
  },
  {
    id: 'url-credentials',
    description: 'Password embedded in an http(s) URL',
    provider: 'Generic',
    severity: 'medium',
    keywords: ['http://', 'https://'],
    pattern: /\bhttps?:\/\/[A-Za-z0-9._~%-]{1,64}:([^@/\s'"`<>]{6,128})@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,}/,
    generic: true,
  },
  // ---- Generic assignments ----
  {
    id: 'generic-secret-assignment',
    description: 'High-entropy value assigned to a secret-sounding name (password, secret, token, api_key, ...)',
    provider: 'Generic',
    severity: 'medium',
    keywords: [
      'passw',
      'pwd',
      'secret',
      'token',
      'apikey',
      'api_key',
      'api-key',
      'api.key',
      'accesskey',
      'access_key',
      'access-key',
      'privatekey',
      'private_key',
      'authkey',
      'auth_key',
      'credential',
    ],
    // The name is up to 40 characters, the secret-sounding word, then up to 20 more to the end of
    // the name. Matched from the word, looking back for the name's start: tried from every place a
    // name could start, each would scan up to 40 characters for the word (`pwd-pwd-pwd-...`). The
    // furthest start back is the one a left-to-right search would have found.
    pattern: new RegExp(
      String.raw`(?=${SECRET_WORD})(?<=(?<![A-Za-z0-9_$])([A-Za-z0-9_.$-]{0,40}))(${SECRET_WORD}${atomic('nameEnd', '[A-Za-z0-9_.$-]{0,20}')})(?![A-Za-z0-9_.$-])["']?\s*(?::=|=>|:|=(?!=))\s*(["'\x60])([^"'\x60\s\\]{8,200})\4`,
      'i',
    ),
    nameGroup: [1, 2],
    secretGroup: 5,
    generic: true,
    minEntropy: 3.0,
  },
  {
    id: 'generic-secret-config',
    description: 'High-entropy unquoted value assigned to a secret-sounding name in a config or .env file',
    provider: 'Generic',
    severity: 'medium',
    keywords: [
      'passw',
      'pwd',
      'secret',
      'token',
      'apikey',
      'api_key',
      'api-key',
      'accesskey',
      'access_key',
      'authkey',
      'auth_key',
      'credential',
    ],
    pattern:
      /^[ \t]*(?:export[ \t]+)?([A-Za-z0-9_.-]{0,40}?(?:passw(?:or)?d|pwd|secret|token|api[_.-]?key|access[_.-]?key|auth[_.-]?key|credentials?)[A-Za-z0-9_.-]{0,20})[ \t]*[=:][ \t]*(?!["'`])([^\s"'`#;,()]{8,200})[ \t]*(?:#.*)?$/im,
    nameGroup: 1,
    secretGroup: 2,
    generic: true,
    minEntropy: 3.0,
    lineAnchored: true,
  },
];

/** Rules by id. */
export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.id, r]));
