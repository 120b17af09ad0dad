/**
 * The provider rules added to rules.ts's list, grouped by family, and the family of every rule
 * (the docs, the benchmark's precision and recall by family and `--list-rules` group by it).
 */
import type { Rule } from './rules.js';
import { CLOUD_RULES } from './rules-cloud.js';
import { DATABASE_RULES, PRIVATE_KEY_RULES } from './rules-config.js';
import { PACKAGE_REGISTRY_RULES, SECRETS_MANAGEMENT_RULES, SOURCE_CI_RULES } from './rules-devtools.js';
import { FAMILIES, type Family } from './rules-helpers.js';
import { AI_RULES, MESSAGING_RULES, OBSERVABILITY_RULES, PAYMENT_RULES, SAAS_RULES } from './rules-services.js';

export { FAMILIES, type Family } from './rules-helpers.js';

/** What each family covers, for reports. */
export const FAMILY_LABELS: Readonly<Record<Family, string>> = {
  cloud: 'Cloud and infrastructure',
  'source-ci': 'Source hosting and CI/CD',
  'secrets-management': 'Secrets managers and vaults',
  'package-registry': 'Package and container registries',
  ai: 'AI providers',
  payment: 'Payments and commerce',
  messaging: 'Messaging, e-mail and webhooks',
  observability: 'Observability and incident response',
  saas: 'SaaS and developer APIs',
  database: 'Databases and connection strings',
  'private-key': 'Private keys',
  generic: 'Generic (name = value, URLs)',
};

const NEW_RULES: Readonly<Record<Family, readonly Rule[]>> = {
  cloud: CLOUD_RULES,
  'source-ci': SOURCE_CI_RULES,
  'secrets-management': SECRETS_MANAGEMENT_RULES,
  'package-registry': PACKAGE_REGISTRY_RULES,
  ai: AI_RULES,
  payment: PAYMENT_RULES,
  messaging: MESSAGING_RULES,
  observability: OBSERVABILITY_RULES,
  saas: SAAS_RULES,
  database: DATABASE_RULES,
  'private-key': PRIVATE_KEY_RULES,
  generic: [],
};

/** The rules rules.ts inserts ahead of its generic ones (so they win when both match a value). */
export const PROVIDER_RULES: readonly Rule[] = FAMILIES.flatMap((f) => NEW_RULES[f]);

/** Families of the rules defined in rules.ts itself, by id prefix or id. */
const BUILT_IN: ReadonlyArray<readonly [RegExp, Family]> = [
  [/^ass-credential$/, 'secrets-management'],
  [/^(?:vault-|doppler-|onepassword-)/, 'secrets-management'],
  [/^(?:github-|gitlab-|bitbucket-|atlassian-|buildkite-)/, 'source-ci'],
  [/^(?:npm-|npmrc-|pypi-|rubygems-|nuget-|clojars-|docker-)/, 'package-registry'],
  [/^(?:openai-|anthropic-|groq-|xai-|huggingface-|replicate-|perplexity-|langsmith-|pinecone-)/, 'ai'],
  [
    /^(?:google-|gcp-|aws-|azure-|alibaba-|digitalocean-|heroku-|cloudflare-|fly-io-|terraform-|supabase-|planetscale-|databricks-|pulumi-|infracost-)/,
    'cloud',
  ],
  [/^(?:stripe-|square-|shopify-|flutterwave-)/, 'payment'],
  [/^(?:slack-|discord-|telegram-|sendgrid-|twilio-|mailgun-|mailchimp-|brevo-|postmark-)/, 'messaging'],
  [/^(?:sentry-|new-relic-|dynatrace-|datadog-|grafana-)/, 'observability'],
  [/^(?:prefect-|duffel-|easypost-|shippo-|postman-|linear-|notion-|figma-|mapbox-|typeform-|readme-|cloudinary-)/, 'saas'],
  [/^(?:age-secret-key|private-key|openssh-private-key|pgp-private-key|putty-private-key)$/, 'private-key'],
  [/^database-connection-string$/, 'database'],
];

const FAMILY_OF_NEW = new Map<string, Family>(FAMILIES.flatMap((f) => NEW_RULES[f].map((r) => [r.id, f] as const)));

/** The family a rule belongs to (custom rules from a config file, and anything unknown: generic). */
export function ruleFamily(rule: Pick<Rule, 'id'>): Family {
  const direct = FAMILY_OF_NEW.get(rule.id);
  if (direct) return direct;
  for (const [re, family] of BUILT_IN) if (re.test(rule.id)) return family;
  return 'generic';
}
