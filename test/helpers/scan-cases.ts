/**
 * Labelled scanner cases: for every rule, lines that must be reported by exactly that rule, and
 * near-misses that must not be reported at all. Secrets are generated from a seeded PRNG.
 */
import { crc32 } from '../../src/scan/checksum.js';
import { providerNearMisses, providerPositives } from './provider-cases.js';
import {
  ALNUM,
  assCredential,
  cloudflareToken,
  githubToken,
  HEX,
  npmToken,
  openSshPrivateKey,
  pemPrivateKey,
  randomString,
  rng,
} from './scan-tokens.js';

export interface PositiveCase {
  ruleId: string;
  /** The text to scan (may span lines). */
  text: string;
  /** The secret, to prove it never appears in any output. */
  secret: string;
  /** The path to scan it as (default `case.txt`). */
  path?: string;
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const UPPER_DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const B64 = `${ALNUM}+/`;
const URLSAFE = `${ALNUM}_-`;

export function positiveCases(seed = 42): PositiveCase[] {
  const n = rng(seed);
  const r = (len: number, alphabet = ALNUM) => randomString(n, len, alphabet);
  const cases: PositiveCase[] = [];
  const add = (ruleId: string, secret: string, text = `const value = "${secret}";`) => cases.push({ ruleId, text, secret });
  const uuid = () => `${r(8, HEX)}-${r(4, HEX)}-4${r(3, HEX)}-a${r(3, HEX)}-${r(12, HEX)}`;

  add('ass-credential', assCredential(n, 'u'));
  {
    const t = assCredential(n, 't');
    add('ass-credential', t, `ASS_TOKEN=${t}`);
  }
  add('github-pat', githubToken(n, 'ghp_'));
  add('github-oauth-token', githubToken(n, 'gho_'));
  add('github-app-user-token', githubToken(n, 'ghu_'));
  add('github-app-server-token', githubToken(n, 'ghs_'));
  add('github-refresh-token', githubToken(n, 'ghr_'));
  add('github-fine-grained-pat', `github_pat_${r(22)}_${r(59)}`);
  add('npm-token', npmToken(n));
  {
    const t = r(36, URLSAFE);
    cases.push({ ruleId: 'npmrc-auth-token', text: `//registry.npmjs.org/:_authToken=${t}`, secret: t, path: '.npmrc' });
  }
  add('pypi-token', `pypi-AgEIcHlwaS5vcmc${r(70, URLSAFE)}`);
  add('rubygems-api-key', `rubygems_${r(48, HEX)}`);
  add('nuget-api-key', `oy2${r(43, `${LOWER}0123456789`)}`);
  add('clojars-token', `CLOJARS_${r(60, `${LOWER}0123456789`)}`);
  add('openai-api-key', `sk-proj-${r(40)}T3BlbkFJ${r(40)}`);
  add('anthropic-api-key', `sk-ant-api03-${r(93, URLSAFE)}AA`);
  add('google-api-key', `AIza${r(35, URLSAFE)}`);
  add('google-oauth-client-secret', `GOCSPX-${r(28, URLSAFE)}`);
  {
    const body = `MIIEvQIBADANBgkqhkiG9w0BAQEFAASC${r(200, B64)}`;
    const lines = body.match(/.{1,64}/g)!.join('\\n');
    const text = `{\n  "type": "service_account",\n  "private_key_id": "${r(40, HEX)}",\n  "private_key": "-----BEGIN PRIVATE KEY-----\\n${lines}\\n-----END PRIVATE KEY-----\\n",\n  "client_email": "x@y.iam.gserviceaccount.com"\n}`;
    cases.push({ ruleId: 'gcp-service-account-key', text, secret: body.slice(0, 64) });
  }
  add('groq-api-key', `gsk_${r(52)}`);
  add('xai-api-key', `xai-${r(80)}`);
  add('huggingface-token', `hf_${r(34, LOWER + UPPER)}`);
  add('replicate-api-token', `r8_${r(37)}`);
  add('perplexity-api-key', `pplx-${r(48)}`);
  add('langsmith-api-key', `lsv2_pt_${r(32, HEX)}_${r(10, HEX)}`);
  add('pinecone-api-key', `pcsk_${r(70, `${ALNUM}_`)}`);
  add('aws-access-key-id', `AKIA${r(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`);
  {
    const s = r(40, B64);
    add('aws-secret-access-key', s, `aws_secret_access_key = ${s}`);
  }
  {
    const k = `${r(86, B64)}==`;
    add('azure-storage-account-key', k, `DefaultEndpointsProtocol=https;AccountName=prod;AccountKey=${k};EndpointSuffix=core.windows.net`);
  }
  add('azure-ad-client-secret', `${r(3)}8Q~${r(34, `${ALNUM}_~.`)}`.replace(/[~.]$/, 'x'));
  add('alibaba-access-key-id', `LTAI${r(20)}`);
  add('digitalocean-token', `dop_v1_${r(64, HEX)}`);
  add('heroku-api-key-v2', `HRKU-${r(60, URLSAFE)}`);
  {
    const k = uuid();
    add('heroku-api-key', k, `HEROKU_API_KEY=${k}`);
  }
  add('cloudflare-api-token', cloudflareToken(n));
  {
    const k = r(37, HEX);
    add('cloudflare-api-key', k, `CLOUDFLARE_API_KEY: "${k}"`);
  }
  add('fly-io-token', `FlyV1 fm2_${r(200, B64)}`);
  add('vault-service-token', `hvs.${r(95, URLSAFE)}`);
  add('terraform-cloud-token', `${r(14)}.atlasv1.${r(67, URLSAFE)}`);
  add('supabase-access-token', `sbp_${r(40, HEX)}`);
  add('planetscale-token', `pscale_tkn_${r(43)}`);
  add('databricks-token', `dapi${r(32, HEX)}`);
  add('doppler-token', `dp.pt.${r(43)}`);
  add('onepassword-service-account-token', `ops_eyJ${r(300, B64)}`);
  add('pulumi-access-token', `pul-${r(40, HEX)}`);
  add('buildkite-token', `bkua_${r(40, HEX)}`);
  add('infracost-api-key', `ico-${r(32)}`);
  add('prefect-api-key', `pnu_${r(36)}`);
  add('gitlab-pat', `glpat-${r(20, URLSAFE)}`.replace(/-$/, 'x'));
  add('gitlab-deploy-token', `gldt-${r(20)}`);
  add('gitlab-runner-token', `glrt-${r(20)}`);
  add('gitlab-pipeline-trigger-token', `glptt-${r(40, HEX)}`);
  add('gitlab-oauth-app-secret', `gloas-${r(64, HEX)}`);
  add('bitbucket-app-password', `ATBB${r(32)}`);
  add('atlassian-api-token', `ATATT3xFfGF0${r(180, URLSAFE)}`.replace(/[-_]$/, 'x'));
  add('stripe-secret-key', `sk_live_${r(24)}`);
  add('stripe-restricted-key', `rk_live_${r(24)}`);
  add('stripe-test-secret-key', `sk_test_${r(24)}`);
  add('stripe-webhook-secret', `whsec_${r(32)}`);
  add('square-access-token', `sq0atp-${r(22, URLSAFE)}`.replace(/[-_]$/, 'x'));
  add('square-oauth-secret', `sq0csp-${r(43, URLSAFE)}`.replace(/[-_]$/, 'x'));
  add('shopify-access-token', `shpat_${r(32, HEX)}`);
  add('shopify-custom-app-token', `shpca_${r(32, HEX)}`);
  add('shopify-private-app-token', `shppa_${r(32, HEX)}`);
  add('shopify-shared-secret', `shpss_${r(32, HEX)}`);
  add('flutterwave-secret-key', `FLWSECK-${r(32, 'abcdefgh0123456789')}-X`);
  add('duffel-api-token', `duffel_live_${r(43)}`);
  add('easypost-api-key', `EZAK${r(54, `${LOWER}0123456789`)}`);
  add('shippo-api-token', `shippo_live_${r(40, HEX)}`);
  add('slack-bot-token', `xoxb-${r(12, '0123456789')}-${r(13, '0123456789')}-${r(24)}`);
  add('slack-user-token', `xoxp-${r(12, '0123456789')}-${r(12, '0123456789')}-${r(13, '0123456789')}-${r(32, HEX)}`);
  add('slack-app-token', `xapp-1-A${r(10, UPPER_DIGITS)}-${r(13, '0123456789')}-${r(64, HEX)}`);
  add('slack-webhook-url', `https://hooks.slack.com/services/T${r(10, UPPER_DIGITS)}/B${r(10, UPPER_DIGITS)}/${r(24)}`);
  add('discord-webhook-url', `https://discord.com/api/webhooks/${r(18, '0123456789')}/${r(68, ALNUM)}`);
  add('telegram-bot-token', `${r(9, '123456789')}:AA${r(33)}`);
  add('sendgrid-api-key', `SG.${r(22)}.${r(43)}`);
  {
    const k = `SK${r(32, HEX)}`;
    add('twilio-api-key', k, `TWILIO_API_KEY=${k}`);
  }
  {
    const k = r(32, HEX);
    add('twilio-auth-token', k, `twilio_auth_token: "${k}"`);
  }
  {
    const k = `key-${r(32, HEX)}`;
    add('mailgun-api-key', k, `MAILGUN_API_KEY=${k}`);
  }
  add('mailchimp-api-key', `${r(32, HEX)}-us14`);
  add('brevo-api-key', `xkeysib-${r(64, HEX)}-${r(16)}`);
  {
    const k = uuid();
    add('postmark-server-token', k, `POSTMARK_SERVER_TOKEN="${k}"`);
  }
  add('sentry-auth-token', `sntryu_${r(64, HEX)}`);
  add('new-relic-user-api-key', `NRAK-${r(27, UPPER_DIGITS)}`);
  add('dynatrace-api-token', `dt0c01.${r(24, UPPER_DIGITS)}.${r(64, UPPER_DIGITS)}`);
  {
    const k = r(32, HEX);
    add('datadog-api-key', k, `DD_API_KEY=${k}`);
  }
  add('grafana-service-account-token', `glsa_${r(32)}_${r(8, HEX)}`);
  add('grafana-cloud-token', `glc_${r(80)}`);
  add('postman-api-key', `PMAK-${r(24, HEX)}-${r(34, HEX)}`);
  add('linear-api-key', `lin_api_${r(40)}`);
  add('notion-integration-token', `ntn_${r(11, '0123456789')}${r(35)}`);
  add('figma-pat', `figd_${r(40)}`);
  add('mapbox-secret-token', `sk.eyJ${r(60, URLSAFE)}.${r(22)}`);
  add('typeform-pat', `tfp_${r(59)}`);
  add('readme-api-key', `rdme_${r(70, `${LOWER}0123456789`)}`);
  add('age-secret-key', `AGE-SECRET-KEY-1${r(58, 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L')}`);
  {
    const k = r(27);
    add('cloudinary-url', k, `CLOUDINARY_URL=cloudinary://${r(15, '0123456789')}:${k}@my-cloud`);
  }
  {
    const header = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url');
    const payload = Buffer.from(`{"sub":"${r(12)}","iat":1700000000}`).toString('base64url');
    add('jwt', `${header}.${payload}.${r(43, URLSAFE)}`.replace(/[-_]$/, 'x'));
  }
  {
    const k = pemPrivateKey(n, 'RSA PRIVATE KEY');
    cases.push({ ruleId: 'private-key', text: k, secret: k.split('\n')[1]! });
  }
  {
    const k = pemPrivateKey(n);
    cases.push({ ruleId: 'private-key', text: `key = """\n${k}"""`, secret: k.split('\n')[2]! });
  }
  {
    const k = openSshPrivateKey(n);
    cases.push({ ruleId: 'openssh-private-key', text: k, secret: k.split('\n')[2]! });
  }
  {
    const body = r(400, B64)
      .match(/.{1,64}/g)!
      .join('\n');
    const text = `-----BEGIN PGP PRIVATE KEY BLOCK-----\nComment: test\n\n${body}\n-----END PGP PRIVATE KEY BLOCK-----`;
    cases.push({ ruleId: 'pgp-private-key', text, secret: body.split('\n')[1]! });
  }
  {
    const body = r(256, B64)
      .match(/.{1,64}/g)!
      .join('\n');
    const text = `PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: me\nPublic-Lines: 2\n${r(64, B64)}\n${r(20, B64)}\nPrivate-Lines: 4\n${body}\nPrivate-MAC: ${r(64, HEX)}`;
    cases.push({ ruleId: 'putty-private-key', text, secret: body.split('\n')[1]! });
  }
  {
    const p = r(20);
    add('database-connection-string', p, `DATABASE_URL=postgres://app:${p}@db.internal:5432/app`);
  }
  {
    const p = r(18);
    add('database-connection-string', p, `mongodb+srv://admin:${p}@cluster0.example-host.net/db`);
  }
  {
    const auth = Buffer.from(`deploy:${r(24)}`).toString('base64');
    add('docker-config-auth', auth, `{"auths":{"ghcr.io":{"auth":"${auth}"}}}`);
  }
  {
    const p = r(16);
    add('url-credentials', p, `git clone https://bot:${p}@git.internal.net/repo.git`);
  }
  {
    const p = `${r(6)}!${r(8)}`;
    add('generic-secret-assignment', p, `const dbPassword = "${p}";`);
  }
  {
    const p = r(24);
    add('generic-secret-assignment', p, `  "client_secret": "${p}",`);
  }
  {
    const p = r(32, URLSAFE);
    add('generic-secret-assignment', p, `api_key := \`${p}\``);
  }
  {
    const p = r(20);
    add('generic-secret-config', p, `SERVICE_SECRET=${p}`);
  }
  {
    const p = r(20);
    add('generic-secret-config', p, `  password: ${p}`);
  }
  {
    const p = r(20);
    add('generic-secret-config', p, `export AUTH_TOKEN=${p}  # prod`);
  }
  // The provider rules' own labelled set (provider-cases.ts).
  cases.push(...providerPositives(seed + 1000));
  return cases;
}

/** Near-misses and look-alikes: none of these is a finding. */
export function negativeCases(seed = 7): Array<{ name: string; text: string }> {
  const n = rng(seed);
  const r = (len: number, alphabet = ALNUM) => randomString(n, len, alphabet);
  const gh = githubToken(n);
  const wrongCrc = gh.slice(0, -1) + (gh.endsWith('A') ? 'B' : 'A');
  const npm = npmToken(n);
  const ass = assCredential(n);
  const cf = cloudflareToken(n);
  const body = `MIIEvQIBADANBgkqhkiG9w0BAQEFAASC${r(300, B64)}`.match(/.{1,64}/g)!.join('\n');
  return [
    { name: 'GitHub token with a wrong checksum', text: `token = "${wrongCrc}"` },
    { name: 'GitHub token with a wrong checksum in a config line', text: `GITHUB_TOKEN=${wrongCrc}` },
    {
      name: 'npm token with a wrong checksum',
      text: `//registry.npmjs.org/:_authToken=${npm.slice(0, -1)}${npm.endsWith('z') ? 'y' : 'z'}`,
    },
    { name: 'own credential with a wrong checksum', text: `ASS_TOKEN="${ass.slice(0, -2)}${ass.endsWith('00') ? '11' : '00'}"` },
    { name: 'Cloudflare token with a wrong checksum', text: `cf = "${cf.slice(0, -8)}${(crc32('x') ^ 1).toString(16).padStart(8, '0')}"` },
    { name: 'GitHub expression reference', text: 'api_key: ${{ secrets.OPENAI_API_KEY }}' },
    { name: 'GitHub expression reference, quoted', text: 'token: "${{ secrets.GITHUB_TOKEN }}"' },
    { name: 'shell variable', text: 'export API_TOKEN="${API_TOKEN_FROM_VAULT}"' },
    { name: 'process.env', text: 'const apiKey = process.env.STRIPE_SECRET_KEY;' },
    { name: 'process.env in a config line', text: 'password: process.env.DB_PASSWORD' },
    { name: 'os.environ', text: 'password = os.environ["DB_PASSWORD"]' },
    { name: 'os.getenv', text: 'SECRET_KEY = os.getenv("SECRET_KEY", "")' },
    { name: 'AWS documentation key id', text: 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE' },
    { name: 'AWS documentation secret key', text: 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    { name: 'UUID as a token', text: 'const token = "6f1c2a3b-9d4e-4f5a-8b7c-1d2e3f4a5b6c";' },
    { name: 'sha256 hash as a secret', text: `secret_hash = "${r(64, HEX)}"` },
    { name: 'sha1 commit', text: `token_commit: "${r(40, HEX)}"` },
    { name: 'Stripe publishable key', text: `const stripeKey = "pk_live_${r(24)}";` },
    { name: 'Stripe publishable key under a secret-sounding name', text: `STRIPE_API_KEY="pk_live_${r(24)}"` },
    { name: 'publishable key name', text: `publishable_key: "${r(30)}"` },
    { name: 'lockfile integrity (package-lock)', text: `"integrity": "sha512-${r(86, B64)}=="` },
    { name: 'integrity under a token name', text: `token: "sha512-${r(86, B64)}=="` },
    { name: 'placeholder xxxx', text: 'OPENAI_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' },
    { name: 'placeholder <YOUR_KEY>', text: 'api_key = "<YOUR_API_KEY>"' },
    { name: 'placeholder changeme', text: 'password: changeme123!' },
    { name: 'placeholder your-api-key-here', text: 'const apiKey = "your-api-key-here";' },
    { name: 'placeholder redacted', text: 'secret: "***REDACTED***"' },
    { name: 'placeholder ghp_ with x', text: 'token: ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' },
    { name: 'placeholder example in value', text: 'client_secret = "example-client-secret-123"' },
    { name: 'public key PEM', text: `public_key = "-----BEGIN PUBLIC KEY-----\\n${r(64, B64)}\\n-----END PUBLIC KEY-----"` },
    { name: 'certificate', text: `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----` },
    { name: 'SSH public key', text: `ssh_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${r(43, B64)} me@host"` },
    {
      name: 'PEM private key with a placeholder body',
      text: '-----BEGIN RSA PRIVATE KEY-----\n...\nyour key here\n-----END RSA PRIVATE KEY-----',
    },
    {
      name: 'PEM private key with a random (non-DER) body',
      text: `-----BEGIN PRIVATE KEY-----\n${r(64, B64)}\n${r(64, B64)}\n${r(20, B64)}\n-----END PRIVATE KEY-----`,
    },
    { name: 'comparison, not assignment', text: `if (token === "${r(20)}") {}` },
    { name: 'function call', text: 'const password = getPassword(user);' },
    { name: 'dotted identifier', text: 'password: config.database.password,' },
    { name: 'token type name', text: 'token_type = "Bearer_token_v2"' },
    { name: 'password field selector', text: 'passwordField: "input[type=password]"' },
    { name: 'file path under a secret name', text: 'private_key_path = "/etc/ssl/private/server.key"' },
    { name: 'short password', text: 'password = "abc123"' },
    { name: 'low-entropy password', text: 'password = "aaaabbbb1111"' },
    { name: 'prose', text: 'The token must be refreshed every hour; the secret is never logged.' },
    {
      name: 'Azure storage emulator key',
      text: 'AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
    },
    { name: 'connection string with a placeholder password', text: 'DATABASE_URL=postgres://user:password@localhost:5432/db' },
    { name: 'connection string with a variable', text: 'url: "postgres://app:${DB_PASSWORD}@db:5432/app"' },
    { name: 'JWT with alg none / garbage header', text: `eyJ${r(20, URLSAFE)}.eyJ${r(30, URLSAFE)}.${r(30, URLSAFE)}` },
    { name: 'npmrc with a variable', text: '//registry.npmjs.org/:_authToken=${NPM_TOKEN}' },
    { name: 'inline allow: ass:allow', text: `const t = "${gh}"; // ass:allow` },
    { name: 'inline allow: gitleaks:allow', text: `const t = "${gh}"; // gitleaks:allow` },
    { name: 'inline allow: secretlint-disable-line', text: `const t = "${gh}"; // secretlint-disable-line` },
    { name: 'inline allow: pragma: allowlist secret', text: `t = "${gh}"  # pragma: allowlist secret` },
    { name: 'inline allow: next line', text: `# pragma: allowlist nextline secret\nt = "${gh}"` },
    // The provider rules' near-misses that no rule reports (provider-cases.ts).
    ...providerNearMisses(seed + 1000)
      .filter((c) => !c.reportedBy && !c.path)
      .map((c) => ({ name: c.name, text: c.text })),
  ];
}
