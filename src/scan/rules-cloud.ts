/**
 * Cloud and infrastructure providers: Microsoft Azure, AWS, Google Cloud and the smaller clouds,
 * CDNs and hosting platforms. Formats are the providers' own (Microsoft's identifiable keys carry a
 * signature and a Marvin32 checksum, verified offline); see docs/scan.md.
 */
import { decodeBase64, validAzureIdentifiableKey, validSasSignature } from './checksum.js';
import type { Rule } from './rules.js';
import {
  ALNUM,
  assigned,
  B64,
  b64Json,
  b64Text,
  custom,
  HEX,
  jwtClaims,
  mixed,
  mixedCase,
  prefixed,
  twoClasses,
  UUID,
} from './rules-helpers.js';

const AZURE = 'Microsoft Azure';
const B64C = 'A-Za-z0-9+/';

// Checksum seeds per key kind (microsoft/security-utilities, IdentifiableMetadata).
const SEED = {
  storage: [0x44656661756c7430n],
  cosmos: [
    0x537973416c6c3030n,
    0x5265736f75723030n,
    0x4d617374524f3030n,
    0x53797374524f3030n,
    0x456e637279703030n,
    0x4d61737452573030n,
    0x5379737452573030n,
  ],
  batch: [0x4162416363743030n],
  mlClassic: [0x436c617373696330n],
  apim: [0x54656e616e743030n, 0x496f544875623030n, 0x4761746577793030n, 0x4769744b65793030n],
  function: [0x46756e6374693030n, 0x53797374656d3030n, 0x4d61737465723030n],
  search: [0x5175657279303030n, 0x5041646d696e3030n],
  acr: [0x41435244666c7430n],
  messaging: [0x53656e6430303030n, 0x4c697374656e3030n, 0x4d616e6167653030n, 0x53797374656d3030n, 0x556e6b6e6f776e30n],
  iot: [0x496f544875623030n, 0x4470734b65793030n, 0x4465766963653030n],
  redis: [0x4163636573733030n],
  eventGrid: [0x53656e6452656376n],
} as const;

/** A 64-byte identifiable key: 76 base64 characters, the signature, the checksum, `==`. */
function azure64(id: string, what: string, signature: string, seeds: readonly bigint[], severity: Rule['severity'] = 'critical'): Rule {
  return custom({
    id,
    description: `Azure ${what} (identifiable key, checksum verified)`,
    provider: AZURE,
    severity,
    keywords: [signature.toLowerCase()],
    pattern: new RegExp(`(?<![${B64C}_-])([${B64C}]{76}${signature.replace('+', '\\+')}[${B64C}]{5}[AQgw]==)(?![${B64C}=_-])`),
    validate: (key) => validAzureIdentifiableKey(key, seeds),
    checksum: true,
  });
}

/** A 32-byte identifiable key: 33 base64 characters, the signature, the checksum, `=`. */
function azure32(id: string, what: string, signature: string, seeds: readonly bigint[], severity: Rule['severity'] = 'critical'): Rule {
  return custom({
    id,
    description: `Azure ${what} (identifiable key, checksum verified)`,
    provider: AZURE,
    severity,
    keywords: [signature.toLowerCase()],
    pattern: new RegExp(`(?<![${B64C}_-])([${B64C}]{33}${signature.replace('+', '\\+')}[A-P][${B64C}]{5}=)(?![${B64C}=_-])`),
    validate: (key) => validAzureIdentifiableKey(key, seeds),
    checksum: true,
  });
}

/**
 * A common annotated security key (Azure AI services, Azure OpenAI, Maps, DevOps, ...): 52
 * base62 characters, `JQQJ9` and a kind, a year and a month (`A-L`), reserved characters, the
 * provider's four-character signature at offset 76, and the checksum.
 */
function cask(id: string, what: string, signature: string, severity: Rule['severity'] = 'critical'): Rule {
  return custom({
    id,
    description: `${what} (common annotated security key)`,
    provider: AZURE,
    severity,
    keywords: ['jqqj9'],
    pattern: new RegExp(
      `(?<![A-Za-z0-9+/_-])([A-Za-z0-9]{52}JQQJ9[9DH][A-Za-z0-9][A-L][A-Za-z0-9]{16}${signature}[A-Za-z0-9]{4}(?:[A-Za-z0-9]{2}==)?)(?![A-Za-z0-9+/=_-])`,
    ),
    // The reserved characters are often a run of `A`s; only the random part can be a placeholder.
    placeholderPart: (key) => key.slice(0, 52),
    minEntropy: 3,
  });
}

export const AZURE_RULES: readonly Rule[] = [
  azure64('azure-storage-identifiable-key', 'Storage account key', '+ASt', SEED.storage),
  azure64('azure-cosmosdb-key', 'Cosmos DB key', 'ACDb', SEED.cosmos),
  azure64('azure-batch-key', 'Batch account key', '+ABa', SEED.batch),
  azure64('azure-ml-classic-key', 'Machine Learning (classic) web service key', '+AMC', SEED.mlClassic, 'high'),
  azure64('azure-apim-key', 'API Management key (direct management, subscription, gateway or repository)', 'APIM', SEED.apim),
  custom({
    id: 'azure-function-key',
    description: 'Azure Functions key (identifiable key, checksum verified)',
    provider: AZURE,
    severity: 'critical',
    keywords: ['azfu'],
    pattern: /(?<![A-Za-z0-9_+/-])([A-Za-z0-9_-]{44}AzFu[A-Za-z0-9_-]{5}[AQgw](?:==|%3[dD]%3[dD])?)(?![A-Za-z0-9_+/=-])/,
    validate: (key) => validAzureIdentifiableKey(key, SEED.function),
    checksum: true,
  }),
  custom({
    id: 'azure-search-key',
    description: 'Azure AI Search admin or query key (identifiable key, checksum verified)',
    provider: AZURE,
    severity: 'high',
    keywords: ['azse'],
    pattern: /(?<![A-Za-z0-9+/_-])([A-Za-z0-9]{42}AzSe[A-D][A-Za-z0-9]{5})(?![A-Za-z0-9+/=_-])/,
    validate: (key) => validAzureIdentifiableKey(key, SEED.search),
    checksum: true,
  }),
  custom({
    id: 'azure-container-registry-key',
    description: 'Azure Container Registry access key or token password (identifiable key, checksum verified)',
    provider: AZURE,
    severity: 'critical',
    keywords: ['+acr'],
    pattern: /(?<![A-Za-z0-9+/_-])([A-Za-z0-9+/]{42}\+ACR[A-D][A-Za-z0-9+/]{5})(?![A-Za-z0-9+/=_-])/,
    validate: (key) => validAzureIdentifiableKey(key, SEED.acr),
    checksum: true,
  }),
  azure32('azure-service-bus-key', 'Service Bus shared access key', '+ASb', SEED.messaging),
  azure32('azure-event-hubs-key', 'Event Hubs shared access key', '+AEh', SEED.messaging),
  azure32('azure-relay-key', 'Relay shared access key', '+ARm', SEED.messaging),
  azure32('azure-iot-key', 'IoT Hub, device or provisioning service key', 'AIoT', SEED.iot),
  azure32('azure-cache-redis-key', 'Cache for Redis access key', 'AzCa', SEED.redis),
  azure32('azure-event-grid-key', 'Event Grid access key', 'AZEG', SEED.eventGrid),
  cask('azure-devops-pat', 'Azure DevOps personal access token', 'AZDO'),
  cask('azure-ai-services-key', 'Azure AI services / Azure OpenAI key', 'ACOG'),
  cask('azure-maps-key', 'Azure Maps key', 'AZMP', 'high'),
  cask('azure-communication-services-key', 'Azure Communication Services key', 'AZCS'),
  cask('azure-app-configuration-key', 'Azure App Configuration access key', 'AZAC'),
  custom({
    id: 'azure-sas-token',
    description: 'Azure shared access signature (SAS) in a URL or connection string',
    provider: AZURE,
    severity: 'high',
    keywords: ['sig='],
    pattern: /(?<![A-Za-z0-9])sv=20\d\d-\d\d-\d\d&[^\s"'<>`]{0,400}?\bsig=([A-Za-z0-9%+/]{43,70}(?:=|%3[dD]))(?![A-Za-z0-9%+/=])/,
    validate: validSasSignature,
  }),
  custom({
    id: 'azure-shared-access-key',
    description: 'Azure Service Bus, Event Hubs, Relay or IoT Hub connection string with a shared access key',
    provider: AZURE,
    severity: 'critical',
    keywords: ['sharedaccesskey='],
    pattern: /[sS]hared[aA]ccess[kK]ey=([A-Za-z0-9+/]{42,43}=)(?![A-Za-z0-9+/=])/,
    validate: (key) => decodeBase64(key)?.length === 32,
    minEntropy: 3.5,
  }),
  custom({
    id: 'azure-app-configuration-connection-string',
    description: 'Azure App Configuration connection string with its secret',
    provider: AZURE,
    severity: 'critical',
    keywords: ['.azconfig.io'],
    pattern:
      /Endpoint=https:\/\/[A-Za-z0-9-]{1,63}\.azconfig\.io\/?;Id=[A-Za-z0-9+/=_:.-]{1,64};Secret=([A-Za-z0-9+/]{40,90}={0,2})(?![A-Za-z0-9+/=])/,
    minEntropy: 3.5,
  }),
  custom({
    id: 'azure-communication-connection-string',
    description: 'Azure Communication Services connection string with its access key',
    provider: AZURE,
    severity: 'critical',
    keywords: ['.communication.azure.com'],
    pattern: /endpoint=https:\/\/[A-Za-z0-9-]{1,63}\.(?:[a-z]{2,20}\.)?communication\.azure\.com\/?;accesskey=([A-Za-z0-9+/]{86}==)/i,
    minEntropy: 3.5,
  }),
  assigned({
    id: 'azure-storage-key-setting',
    description: 'Azure Storage account key assigned to a storage-key setting',
    provider: AZURE,
    severity: 'critical',
    names: ['storage_account_key', 'storage_key', 'account_key'],
    value: `${B64}{86}==`,
    minEntropy: 4,
    validate: (key) => !key.startsWith('Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq'),
  }),
  custom({
    id: 'azure-function-url-key',
    description: 'Azure Functions key in a function URL (`?code=`)',
    provider: AZURE,
    severity: 'high',
    keywords: ['.azurewebsites.net/api/'],
    pattern:
      /https:\/\/[A-Za-z0-9-]{1,60}\.azurewebsites\.net\/api\/[^\s"'#?]{1,100}\?[^\s"'#]{0,300}?(?<=[?&])code=([A-Za-z0-9_/+-]{40,90}(?:==|%3[dD]%3[dD])?)(?![A-Za-z0-9_/+=%-])/,
    minEntropy: 3.5,
  }),
  custom({
    id: 'azure-apim-subscription-key',
    description: 'Azure API Management subscription key in an Ocp-Apim-Subscription-Key header or parameter',
    provider: AZURE,
    severity: 'high',
    keywords: ['ocp-apim-subscription-key', 'subscription-key='],
    pattern:
      /(?:[oO]cp-[aA]pim-[sS]ubscription-[kK]ey["']?[ \t]{0,4}[:=,][ \t]{0,4}["']?|[?&]subscription-key=)([a-f0-9]{32}|[A-Za-z0-9+/]{76}APIM[A-Za-z0-9+/]{5}[AQgw]==)(?![A-Za-z0-9+/=])/,
  }),
  assigned({
    id: 'azure-devops-legacy-pat',
    description: 'Azure DevOps personal access token (52-character form) assigned to a DevOps-named setting',
    provider: AZURE,
    severity: 'critical',
    keywords: ['devops', 'azdo', 'vsts', 'system_accesstoken', 'system.accesstoken'],
    names: ['azure_devops', 'azdo', 'vsts', 'system_accesstoken', 'devops_pat', 'devops_token'],
    value: '[a-z2-7]{52}',
    minEntropy: 3.8,
  }),
];

export const AWS_RULES: readonly Rule[] = [
  prefixed({
    id: 'aws-bedrock-api-key',
    description: 'Amazon Bedrock API key (long-term)',
    provider: 'AWS',
    severity: 'critical',
    prefix: 'ABSK',
    body: `${B64}{109,269}={0,2}`,
    edge: 'A-Za-z0-9+/=_-',
    minEntropy: 4,
  }),
  custom({
    id: 'aws-bedrock-short-term-api-key',
    description: 'Amazon Bedrock API key (short-term, a presigned token)',
    provider: 'AWS',
    severity: 'high',
    keywords: ['bedrock-api-key-ymvkcm9jay5hbwf6b25hd3muy29t'],
    // The body is taken whole (a lookahead capture and its backreference are an atomic group): a run
    // longer than a token fails at once instead of being backtracked over.
    pattern:
      /(?<![A-Za-z0-9+/=%&_.-])(bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t(?=(?<bedrockBody>[A-Za-z0-9+/=%&_.-]{40,3000}))\k<bedrockBody>)(?![A-Za-z0-9+/=%&_.-])/,
  }),
  prefixed({
    id: 'aws-session-token',
    description: 'AWS temporary session token (STS)',
    provider: 'AWS',
    severity: 'high',
    prefix: ['IQoJb3JpZ2luX2Vj', 'FwoGZXIvYXdzE'],
    body: `${B64}{100,2000}={0,2}`,
    edge: 'A-Za-z0-9+/=',
    minEntropy: 4,
  }),
  prefixed({
    id: 'aws-mws-auth-token',
    description: 'Amazon Marketplace Web Service (MWS) auth token',
    provider: 'AWS',
    severity: 'high',
    prefix: 'amzn.mws.',
    body: '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
  }),
  prefixed({
    id: 'aws-appsync-api-key',
    description: 'AWS AppSync API key',
    provider: 'AWS',
    severity: 'medium',
    prefix: 'da2-',
    body: '[a-z0-9]{26}',
    validate: mixed,
    minEntropy: 3.5,
  }),
];

export const GOOGLE_RULES: readonly Rule[] = [
  prefixed({
    id: 'google-oauth-access-token',
    description: 'Google OAuth 2.0 access token',
    provider: 'Google',
    severity: 'high',
    prefix: 'ya29.',
    body: '[A-Za-z0-9_-]{30,2000}',
    minEntropy: 4,
  }),
  prefixed({
    id: 'google-oauth-refresh-token',
    description: 'Google OAuth 2.0 refresh token',
    provider: 'Google',
    severity: 'critical',
    prefix: '1//0',
    body: '[A-Za-z0-9_-]{40,300}',
    edge: 'A-Za-z0-9_/-',
    minEntropy: 4,
  }),
  custom({
    id: 'firebase-cloud-messaging-server-key',
    description: 'Firebase Cloud Messaging (legacy) server key',
    provider: 'Google',
    severity: 'high',
    keywords: [':apa91b'],
    pattern: /(?<![A-Za-z0-9_-])(AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{134})(?![A-Za-z0-9_-])/,
    minEntropy: 4,
  }),
];

export const OTHER_CLOUD_RULES: readonly Rule[] = [
  assigned({
    id: 'alibaba-access-key-secret',
    description: 'Alibaba Cloud AccessKey secret assigned to an Alibaba-named setting',
    provider: 'Alibaba Cloud',
    severity: 'critical',
    names: ['alibaba', 'aliyun', 'alicloud', 'accesskeysecret', 'access_key_secret'],
    value: `${ALNUM}{30}`,
    validate: mixedCase,
    minEntropy: 4,
  }),
  prefixed({
    id: 'tencent-cloud-secret-id',
    description: 'Tencent Cloud SecretId (its SecretKey is usually nearby)',
    provider: 'Tencent Cloud',
    severity: 'high',
    prefix: 'AKID',
    body: `${ALNUM}{32}`,
    validate: twoClasses,
    minEntropy: 4,
  }),
  assigned({
    id: 'ibm-cloud-api-key',
    description: 'IBM Cloud API key assigned to an IBM-named setting',
    provider: 'IBM Cloud',
    severity: 'critical',
    names: ['ibm_cloud', 'ibmcloud', 'ibm-cloud', 'ibm_api', 'ibmapi', 'ibm_iam'],
    value: '[A-Za-z0-9_-]{44}',
    validate: mixedCase,
    minEntropy: 4,
  }),
  prefixed({
    id: 'yandex-cloud-api-key',
    description: 'Yandex Cloud API key',
    provider: 'Yandex Cloud',
    severity: 'high',
    prefix: 'AQVN',
    body: '[A-Za-z0-9_-]{35,38}',
    validate: mixedCase,
    minEntropy: 4,
  }),
  assigned({
    id: 'scaleway-secret-key',
    description: 'Scaleway secret key assigned to a Scaleway-named setting',
    provider: 'Scaleway',
    severity: 'critical',
    names: ['scw_secret', 'scaleway'],
    value: UUID,
  }),
  assigned({
    id: 'linode-token',
    description: 'Linode (Akamai Cloud) API token assigned to a Linode-named setting',
    provider: 'Linode',
    severity: 'critical',
    names: ['linode'],
    value: `${HEX}{64}`,
  }),
  assigned({
    id: 'vultr-api-key',
    description: 'Vultr API key assigned to a Vultr-named setting',
    provider: 'Vultr',
    severity: 'critical',
    names: ['vultr'],
    value: '[A-Z0-9]{36}',
    validate: mixed,
    minEntropy: 3.6,
  }),
  assigned({
    id: 'hetzner-cloud-token',
    description: 'Hetzner Cloud API token assigned to a Hetzner-named setting',
    provider: 'Hetzner',
    severity: 'critical',
    names: ['hetzner', 'hcloud'],
    value: `${ALNUM}{64}`,
    validate: mixedCase,
    minEntropy: 4,
  }),
  prefixed({
    id: 'digitalocean-spaces-access-key',
    description: 'DigitalOcean Spaces access key ID (its secret is usually nearby)',
    provider: 'DigitalOcean',
    severity: 'medium',
    prefix: 'DO00',
    body: '[A-Z0-9]{16}',
    validate: mixed,
    minEntropy: 3,
  }),
  prefixed({
    id: 'netlify-access-token',
    description: 'Netlify personal access token',
    provider: 'Netlify',
    severity: 'critical',
    prefix: 'nfp_',
    body: `${ALNUM}{36}`,
    validate: mixed,
    minEntropy: 3.5,
  }),
  assigned({
    id: 'vercel-token',
    description: 'Vercel access token assigned to a Vercel-named setting',
    provider: 'Vercel',
    severity: 'critical',
    names: ['vercel'],
    value: `${ALNUM}{24}`,
    validate: mixedCase,
    minEntropy: 3.5,
  }),
  prefixed({
    id: 'render-api-key',
    description: 'Render API key',
    provider: 'Render',
    severity: 'critical',
    prefix: 'rnd_',
    body: `${ALNUM}{32}`,
    validate: mixedCase,
    minEntropy: 4,
  }),
  prefixed({
    id: 'fly-io-macaroon',
    description: 'Fly.io token without the FlyV1 scheme (fo1_, fm1a_, fm1r_, fm2_)',
    provider: 'Fly.io',
    severity: 'high',
    prefix: ['fo1_', 'fm1a_', 'fm1r_', 'fm2_'],
    body: `(?:${B64}{100,1000}={0,3}|[A-Za-z0-9_-]{43})`,
    edge: 'A-Za-z0-9+/=_-',
    minEntropy: 4,
  }),
  prefixed({
    id: 'cloudflare-origin-ca-key',
    description: 'Cloudflare Origin CA key',
    provider: 'Cloudflare',
    severity: 'critical',
    prefix: 'v1.0-',
    body: `${HEX}{24}-${HEX}{146}`,
  }),
  custom({
    id: 'cloudflare-tunnel-token',
    description: 'Cloudflare Tunnel token (account, tunnel and tunnel secret)',
    provider: 'Cloudflare',
    severity: 'critical',
    keywords: ['eyjhijoi'],
    pattern: /(?<![A-Za-z0-9+/_-])(eyJhIjoi[A-Za-z0-9+/_-]{100,400}={0,2})(?![A-Za-z0-9+/=_-])/,
    validate: (token) => {
      const v = b64Json(token);
      return v !== undefined && typeof v.a === 'string' && typeof v.t === 'string' && typeof v.s === 'string';
    },
  }),
  assigned({
    id: 'fastly-api-token',
    description: 'Fastly API token assigned to a Fastly-named setting',
    provider: 'Fastly',
    severity: 'critical',
    names: ['fastly'],
    value: '[A-Za-z0-9_-]{32}',
    validate: mixedCase,
    minEntropy: 4,
  }),
  prefixed({
    id: 'akamai-edgegrid-token',
    description: 'Akamai EdgeGrid client or access token (the client secret is usually nearby)',
    provider: 'Akamai',
    severity: 'high',
    prefix: 'akab-',
    body: '[a-z0-9]{16}-[a-z0-9]{16}',
    validate: mixed,
    minEntropy: 3.5,
  }),
  custom({
    id: 'kubeconfig-client-key',
    description: 'Private key embedded in a kubeconfig (`client-key-data`)',
    provider: 'Kubernetes',
    severity: 'critical',
    keywords: ['client-key-data'],
    pattern: /client-key-data["']?[ \t]{0,4}:[ \t]{0,4}["']?(LS0tLS1CRUdJTi[A-Za-z0-9+/]{100,12000}={0,2})/,
    validate: (data) => /PRIVATE KEY-----/.test(b64Text(data) ?? ''),
  }),
  custom({
    id: 'supabase-service-role-key',
    description: 'Supabase service_role key (a JWT that bypasses row-level security)',
    provider: 'Supabase',
    severity: 'critical',
    keywords: ['eyj'],
    pattern: /(?<![A-Za-z0-9_.-])(eyJ[A-Za-z0-9_-]{10,500}\.ey[IJ][A-Za-z0-9_-]{10,2000}\.[A-Za-z0-9_-]{20,200})(?![A-Za-z0-9_.-])/,
    // The published demo key of `supabase start` (issuer supabase-demo) is not a secret.
    validate: (jwt) => {
      const claims = jwtClaims(jwt);
      return claims?.role === 'service_role' && claims.iss === 'supabase';
    },
  }),
  prefixed({
    id: 'supabase-secret-key',
    description: 'Supabase secret API key',
    provider: 'Supabase',
    severity: 'critical',
    prefix: 'sb_secret_',
    body: '[A-Za-z0-9_-]{20,80}',
    validate: (k) => mixedCase(k.slice(10)),
    minEntropy: 3.8,
  }),
  assigned({
    id: 'confluent-api-secret',
    description: 'Confluent Cloud API secret assigned to a Confluent-named setting',
    provider: 'Confluent',
    severity: 'critical',
    names: ['confluent'],
    value: `${B64}{64}`,
    validate: mixedCase,
    minEntropy: 4,
  }),
  prefixed({
    id: 'clickhouse-cloud-api-secret',
    description: 'ClickHouse Cloud API secret key',
    provider: 'ClickHouse',
    severity: 'critical',
    prefix: '4b1d',
    body: `${ALNUM}{38}`,
    validate: mixedCase,
    minEntropy: 4,
  }),
  prefixed({
    id: 'aiven-service-password',
    description: 'Aiven service password',
    provider: 'Aiven',
    severity: 'high',
    prefix: 'AVNS_',
    body: '[A-Za-z0-9_-]{16,64}',
    validate: mixedCase,
    minEntropy: 3.5,
  }),
  assigned({
    id: 'algolia-admin-api-key',
    description: 'Algolia admin or write API key assigned to an Algolia-named setting',
    provider: 'Algolia',
    severity: 'high',
    names: ['algolia_admin', 'algoliaadmin', 'algolia-admin', 'algolia_write', 'algolia_api_key', 'algoliaapikey'],
    value: `${HEX}{32}`,
  }),
];

export const CLOUD_RULES: readonly Rule[] = [...AZURE_RULES, ...AWS_RULES, ...GOOGLE_RULES, ...OTHER_CLOUD_RULES];
