/**
 * The labelled set for the provider rules (src/scan/rules-*.ts): for every rule, credentials in
 * the provider's real format, made at test time from a seeded PRNG in the format's alphabet (with
 * its checksum computed, never copied), and near-misses a careful scanner must not report: wrong
 * length, wrong alphabet, bad checksum, placeholders, the right value under a name that labels
 * something else. Nothing key-shaped is committed: the repository does not trip scanners.
 *
 * Used by the rule tests (every rule has a true example and a near-miss) and by bench:scan, which
 * reports precision and recall by family on a larger draw of the same set.
 */
import { marvin32 } from '../../src/scan/checksum.js';
import { ALNUM, HEX, randomString, rng } from './scan-tokens.js';

export interface LabelledPositive {
  ruleId: string;
  text: string;
  secret: string;
  path?: string;
}

export interface LabelledNearMiss {
  /** The rule the text imitates. */
  ruleId: string;
  name: string;
  text: string;
  path?: string;
  /**
   * Broader rules that rightly report this text anyway (a Supabase anon key is still a signed JWT,
   * which the `jwt` rule reports). Anything else reported is a false positive.
   */
  reportedBy?: readonly string[];
}

type Miss = [name: string, text: string, extra?: { path?: string; reportedBy?: readonly string[] }];

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const UPPER_DIGITS = UPPER + DIGITS;
const LOWER_DIGITS = LOWER + DIGITS;
const B64 = `${ALNUM}+/`;
/** The base64 alphabet in its own order (for building bytes a character at a time). */
const B64_ORDER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URLSAFE = `${ALNUM}_-`;
/**
 * Passwords for the rules with generic filters: no vowels, so no draw spells a stop word (`test`,
 * `none`, `true`...) that would make the generic filters reject it.
 */
const PW = 'BCDFGHJKLMNPQRSTVWXZbcdfghjklmnpqrstvwxz0123456789';

type Make = {
  /** Random characters from an alphabet (default base62). */
  r: (len: number, alphabet?: string) => string;
  uuid: () => string;
};

interface Spec {
  id: string;
  /** One or more true examples: the secret and, optionally, the text around it (default: a JS string). */
  pos: (m: Make) => Array<{ secret: string; text?: string; path?: string }>;
  /** Near-misses: name and text. */
  miss: (m: Make) => Miss[];
}

const js = (s: string) => `const value = "${s}";`;

/** Replaces the character at `at` (negative: from the end) with `ch`. */
function swap(s: string, at: number, ch: string): string {
  const i = at < 0 ? s.length + at : at;
  return s.slice(0, i) + ch + s.slice(i + 1);
}

// ---- Azure identifiable keys: build bytes with the signature in place, then the checksum ----

function b64ToBytes(text: string): Buffer {
  return Buffer.from(text, 'base64');
}

/** 33 random base64 characters, the signature, checksum: a 44-character key. */
function azure32(m: Make, signature: string, seed: bigint): string {
  const head = b64ToBytes(m.r(33, B64) + signature.slice(0, 3));
  const sig4 = B64_ORDER.indexOf(signature[3]!);
  const body = Buffer.concat([head, Buffer.from([sig4 << 2])]);
  const sum = Buffer.alloc(4);
  sum.writeUInt32LE(marvin32(body, seed));
  return Buffer.concat([body, sum]).toString('base64');
}

/** 76 random base64 characters, the signature, checksum: an 88-character key. */
function azure64(m: Make, signature: string, seed: bigint): string {
  const body = b64ToBytes(m.r(76, B64) + signature);
  const sum = Buffer.alloc(4);
  sum.writeUInt32LE(marvin32(body, seed));
  return Buffer.concat([body, sum]).toString('base64');
}

/** 42 random characters, the signature: a 52-character key (container registry, search). */
function azure52(m: Make, signature: string, seed: bigint, alphabet = B64): string {
  for (;;) {
    const head = b64ToBytes(m.r(42, alphabet) + signature.slice(0, 2));
    const tail = (B64_ORDER.indexOf(signature[2]!) << 6) | B64_ORDER.indexOf(signature[3]!);
    const body = Buffer.concat([head, Buffer.from([tail >> 4, (tail & 0xf) << 4])]);
    // Byte 34 holds the signature's last bits and the top bits of the next character ([A-D]).
    const sum = Buffer.alloc(4);
    sum.writeUInt32LE(marvin32(body, seed));
    const key = Buffer.concat([body, sum]).toString('base64');
    if (alphabet === B64 || /^[A-Za-z0-9]+$/.test(key)) return key;
  }
}

/** 44 random URL-safe characters, `AzFu`, checksum: a 56-character function key. */
function azureFunction(m: Make, seed: bigint): string {
  const body = b64ToBytes(`${m.r(44, B64)}AzFu`);
  const sum = Buffer.alloc(4);
  sum.writeUInt32LE(marvin32(body, seed));
  return Buffer.concat([body, sum]).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

/** A common annotated security key with a provider signature (structure only). */
function cask(m: Make, signature: string): string {
  return `${m.r(52)}JQQJ99${m.r(1)}${'ABCDEFGHIJKL'[Math.floor(Number.parseInt(m.r(1, DIGITS), 10))]}${m.r(4)}AAAAAAAAAAAA${signature}${m.r(4)}`;
}

function badChecksum(key: string): string {
  // Flip a character of the random part: the checksum no longer matches.
  return swap(key, 5, key[5] === 'Q' ? 'R' : 'Q');
}

const SEED = {
  storage: 0x44656661756c7430n,
  cosmos: 0x4d61737452573030n,
  batch: 0x4162416363743030n,
  mlClassic: 0x436c617373696330n,
  apim: 0x496f544875623030n,
  function: 0x46756e6374693030n,
  search: 0x5041646d696e3030n,
  acr: 0x41435244666c7430n,
  send: 0x53656e6430303030n,
  manage: 0x4d616e6167653030n,
  iot: 0x4465766963653030n,
  redis: 0x4163636573733030n,
  eventGrid: 0x53656e6452656376n,
};

function jwt(header: object, claims: object, m: Make): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc(header)}.${enc(claims)}.${m.r(43, URLSAFE).replace(/[-_]$/, 'x')}`;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

// A prefixed token: the true example (in `text`, default a JS string), plus the usual near-misses
// in a neutral JS string (in a secret-named setting a generic rule would rightly report some): one
// character short, a character outside the alphabet right after the prefix, a run of x's.
function tokenSpec(
  id: string,
  make: (m: Make) => string,
  opts: {
    text?: (s: string) => string;
    bad?: string;
    /** Characters at the start that are the format's own (the prefix). */
    keep?: number;
    /** For formats with a length range: the shortest body; the near-miss is one shorter. */
    min?: number;
    extra?: (m: Make) => Miss[];
  } = {},
): Spec {
  const text = opts.text ?? js;
  return {
    id,
    pos: (m) => {
      const s = make(m);
      return [{ secret: s, text: text(s) }];
    },
    miss: (m) => {
      const s = make(m);
      const keep = opts.keep ?? 0;
      return [
        ['one character short', js(s.slice(0, opts.min !== undefined ? keep + opts.min - 1 : -1))],
        ['a character outside the alphabet', js(swap(s, keep + 2, opts.bad ?? '!'))],
        ['placeholder run of x', js(s.slice(0, keep) + 'x'.repeat(s.length - keep))],
        ...(opts.extra?.(m) ?? []),
      ];
    },
  };
}

/** A value that only counts under a provider-named setting: the true example and the look-alikes. */
function settingSpec(id: string, name: string, make: (m: Make) => string, opts: { other?: string } = {}): Spec {
  return {
    id,
    pos: (m) => {
      // An environment file, JavaScript with the name in camel case, JSON with it in lower case.
      const camel = name.toLowerCase().replace(/_([a-z0-9])/g, (_x, c: string) => c.toUpperCase());
      return [
        { secret: make(m), text: `${name}=#` },
        { secret: make(m), text: `const ${camel} = "#";` },
        { secret: make(m), text: `  "${name.toLowerCase()}": "#",` },
      ].map((p) => ({ secret: p.secret, text: p.text.replace('#', () => p.secret) }));
    },
    miss: (m) => {
      const v = make(m);
      return [
        ['the value under an unrelated name', `const checksum = "${v}";`],
        ['the provider named, but an id or address', `${opts.other ?? `${name.replace(/_[A-Z]+$/, '')}_CLIENT_ID`}=${v}`],
        ['placeholder', `${name}=${'x'.repeat(v.length)}`],
      ];
    },
  };
}

const HEXU = '0123456789ABCDEF';

/** Every provider rule's labelled cases. */
export const PROVIDER_SPECS: readonly Spec[] = [
  // ---- Azure identifiable keys ----
  ...(
    [
      ['azure-storage-identifiable-key', (m: Make) => azure64(m, '+ASt', SEED.storage)],
      ['azure-cosmosdb-key', (m: Make) => azure64(m, 'ACDb', SEED.cosmos)],
      ['azure-batch-key', (m: Make) => azure64(m, '+ABa', SEED.batch)],
      ['azure-ml-classic-key', (m: Make) => azure64(m, '+AMC', SEED.mlClassic)],
      ['azure-apim-key', (m: Make) => azure64(m, 'APIM', SEED.apim)],
      ['azure-service-bus-key', (m: Make) => azure32(m, '+ASb', SEED.send)],
      ['azure-event-hubs-key', (m: Make) => azure32(m, '+AEh', SEED.manage)],
      ['azure-relay-key', (m: Make) => azure32(m, '+ARm', SEED.send)],
      ['azure-iot-key', (m: Make) => azure32(m, 'AIoT', SEED.iot)],
      ['azure-cache-redis-key', (m: Make) => azure32(m, 'AzCa', SEED.redis)],
      ['azure-event-grid-key', (m: Make) => azure32(m, 'AZEG', SEED.eventGrid)],
      ['azure-container-registry-key', (m: Make) => azure52(m, '+ACR', SEED.acr)],
      ['azure-search-key', (m: Make) => azure52(m, 'AzSe', SEED.search, ALNUM)],
      ['azure-function-key', (m: Make) => azureFunction(m, SEED.function)],
    ] as const
  ).map(
    ([id, make]): Spec => ({
      id,
      pos: (m) => {
        const k = make(m);
        return [{ secret: k, text: `AZURE_KEY="${k}"` }];
      },
      miss: (m) => {
        const k = make(m);
        return [
          ['bad checksum', `AZURE_KEY="${badChecksum(k)}"`],
          ['bad checksum under a secret-sounding name', `const secretKey = "${badChecksum(k)}";`],
          ['one character short', `AZURE_KEY="${k.slice(1)}"`],
        ];
      },
    }),
  ),
  ...(
    [
      ['azure-devops-pat', 'AZDO'],
      ['azure-ai-services-key', 'ACOG'],
      ['azure-maps-key', 'AZMP'],
      ['azure-communication-services-key', 'AZCS'],
      ['azure-app-configuration-key', 'AZAC'],
    ] as const
  ).map(
    ([id, sig]): Spec => ({
      id,
      pos: (m) => {
        const k = cask(m, sig);
        return [{ secret: k, text: `key: ${k}` }];
      },
      miss: (m) => {
        const k = cask(m, sig);
        return [
          ['month outside A-L', `key: ${swap(k, 59, 'Z')}`],
          ['another provider signature', `key: ${k.slice(0, 76)}ZZZZ${k.slice(80)}`],
          ['placeholder random part', `key: ${'x'.repeat(52)}${k.slice(52)}`],
        ];
      },
    }),
  ),
  {
    id: 'azure-sas-token',
    pos: (m) => {
      const sig = encodeURIComponent(`${m.r(43, B64)}=`);
      return [
        {
          secret: sig,
          text: `https://acct.blob.core.windows.net/c/f.txt?sv=2022-11-02&ss=b&srt=o&sp=r&se=2030-01-01T00:00:00Z&spr=https&sig=${sig}`,
        },
      ];
    },
    miss: (m) => [
      [
        'signature too short to be an HMAC-SHA256',
        `https://acct.blob.core.windows.net/c?sv=2022-11-02&sp=r&sig=${encodeURIComponent(`${m.r(40, B64)}=`)}`,
      ],
      ['no SAS version', `https://example.net/x?sp=r&sig=${encodeURIComponent(`${m.r(43, B64)}=`)}`],
      [
        'placeholder signature',
        'https://acct.blob.core.windows.net/c?sv=2022-11-02&sp=r&sig=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx%3D',
      ],
    ],
  },
  {
    id: 'azure-shared-access-key',
    pos: (m) => {
      const k = `${m.r(43, B64)}=`;
      return [
        { secret: k, text: `Endpoint=sb://bus.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${k}` },
      ];
    },
    miss: (m) => [
      ['key one character short', `Endpoint=sb://bus.servicebus.windows.net/;SharedAccessKeyName=x;SharedAccessKey=${m.r(41, B64)}=`],
      ['a variable', 'Endpoint=sb://bus.servicebus.windows.net/;SharedAccessKeyName=x;SharedAccessKey=${SB_KEY}'],
      ['placeholder', `Endpoint=sb://bus.servicebus.windows.net/;SharedAccessKeyName=x;SharedAccessKey=${'x'.repeat(43)}=`],
    ],
  },
  {
    id: 'azure-app-configuration-connection-string',
    pos: (m) => {
      const k = `${m.r(43, B64)}=`;
      return [{ secret: k, text: `APPCONFIG=Endpoint=https://myconf.azconfig.io;Id=${m.r(4)}-l0-s0:${m.r(20)};Secret=${k}` }];
    },
    miss: (m) => [
      ['no secret', `Endpoint=https://myconf.azconfig.io;Id=${m.r(4)}-l0-s0:${m.r(20)}`],
      ['placeholder secret', `Endpoint=https://myconf.azconfig.io;Id=abc;Secret=${'x'.repeat(44)}`],
    ],
  },
  {
    id: 'azure-communication-connection-string',
    pos: (m) => {
      const k = `${m.r(86, B64)}==`;
      return [{ secret: k, text: `ACS="endpoint=https://mycomm.unitedstates.communication.azure.com/;accesskey=${k}"` }];
    },
    miss: (m) => [
      ['key too short', `endpoint=https://mycomm.communication.azure.com/;accesskey=${m.r(80, B64)}==`],
      ['placeholder key', `endpoint=https://mycomm.communication.azure.com/;accesskey=${'x'.repeat(86)}==`],
    ],
  },
  {
    id: 'azure-storage-key-setting',
    pos: (m) => {
      const k = `${m.r(86, B64)}==`;
      return [{ secret: k, text: `AZURE_STORAGE_KEY=${k}` }];
    },
    miss: (m) => [
      ['an unrelated name', `const digest = "${m.r(86, B64)}==";`],
      ['the emulator key', 'storage_key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="'],
      ['one character short', `AZURE_STORAGE_KEY=${m.r(85, B64)}==`],
    ],
  },
  {
    id: 'azure-function-url-key',
    pos: (m) => {
      const k = `${m.r(54, URLSAFE).replace(/^[-_]/, 'a')}==`;
      return [{ secret: k, text: `curl "https://myfunc.azurewebsites.net/api/HttpTrigger1?name=x&code=${k}"` }];
    },
    miss: (m) => [
      ['no code parameter', `https://myfunc.azurewebsites.net/api/HttpTrigger1?name=${m.r(54)}`],
      ['placeholder code', `https://myfunc.azurewebsites.net/api/HttpTrigger1?code=${'x'.repeat(54)}==`],
    ],
  },
  {
    id: 'azure-apim-subscription-key',
    pos: (m) => {
      const k = m.r(32, HEX);
      return [{ secret: k, text: `curl -H "Ocp-Apim-Subscription-Key: ${k}" https://api.contoso.com/v1` }];
    },
    miss: (m) => [
      ['31 hex digits', `-H "Ocp-Apim-Subscription-Key: ${m.r(31, HEX)}"`],
      ['a variable', '-H "Ocp-Apim-Subscription-Key: $APIM_KEY"'],
      ['placeholder', `-H "Ocp-Apim-Subscription-Key: ${'x'.repeat(32)}"`],
    ],
  },
  settingSpec('azure-devops-legacy-pat', 'AZURE_DEVOPS_PAT', (m) => m.r(52, 'abcdefghijklmnopqrstuvwxyz234567'), {
    other: 'AZURE_DEVOPS_ORG_URL',
  }),
  // ---- AWS, Google ----
  tokenSpec('aws-bedrock-api-key', (m) => `ABSK${m.r(132, B64)}`, {
    keep: 4,
    min: 109,
    bad: '#',
    text: (s) => `AWS_BEARER_TOKEN_BEDROCK=${s}`,
  }),
  tokenSpec('aws-bedrock-short-term-api-key', (m) => `bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t${m.r(300, B64)}`, {
    keep: 44,
    min: 40,
    bad: ' ',
    text: (s) => `token = "${s}"`,
  }),
  tokenSpec('aws-session-token', (m) => `IQoJb3JpZ2luX2Vj${m.r(300, B64)}`, {
    keep: 16,
    min: 100,
    bad: '#',
    text: (s) => `aws_session_token = ${s}`,
  }),
  tokenSpec('aws-mws-auth-token', (m) => `amzn.mws.${m.uuid()}`, { keep: 9, bad: 'g' }),
  tokenSpec('aws-appsync-api-key', (m) => `da2-${m.r(26, LOWER_DIGITS)}`, { keep: 4, bad: 'A' }),
  tokenSpec('google-oauth-access-token', (m) => `ya29.${m.r(150, URLSAFE).replace(/[-_]$/, 'x')}`, { keep: 5, min: 30, bad: '#' }),
  tokenSpec('google-oauth-refresh-token', (m) => `1//0${m.r(100, URLSAFE).replace(/[-_]$/, 'x')}`, { keep: 4, min: 40, bad: '#' }),
  tokenSpec('firebase-cloud-messaging-server-key', (m) => `AAAA${m.r(7, URLSAFE)}:APA91b${m.r(134, URLSAFE).replace(/[-_]$/, 'x')}`, {
    keep: 18,
    bad: '#',
  }),
  // ---- other clouds ----
  settingSpec('alibaba-access-key-secret', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', (m) => `${m.r(28)}a1`),
  tokenSpec('tencent-cloud-secret-id', (m) => `AKID${m.r(30)}aZ`, { keep: 4 }),
  settingSpec('ibm-cloud-api-key', 'IBM_CLOUD_API_KEY', (m) => `${m.r(41, URLSAFE)}aZ1`),
  tokenSpec('yandex-cloud-api-key', (m) => `AQVN${m.r(33, URLSAFE)}aZ1`, { keep: 4, min: 35, bad: '#' }),
  settingSpec('scaleway-secret-key', 'SCW_SECRET_KEY', (m) => m.uuid(), { other: 'SCW_DEFAULT_PROJECT_ID' }),
  settingSpec('linode-token', 'LINODE_TOKEN', (m) => m.r(64, HEX)),
  settingSpec('vultr-api-key', 'VULTR_API_KEY', (m) => `${m.r(34, UPPER_DIGITS)}A1`),
  settingSpec('hetzner-cloud-token', 'HCLOUD_TOKEN', (m) => `${m.r(61)}aZ1`),
  tokenSpec('digitalocean-spaces-access-key', (m) => `DO00${m.r(14, UPPER_DIGITS)}A1`, { keep: 4, bad: 'a' }),
  tokenSpec('netlify-access-token', (m) => `nfp_${m.r(34)}a1`, { keep: 4 }),
  settingSpec('vercel-token', 'VERCEL_TOKEN', (m) => `${m.r(21)}aZ1`),
  tokenSpec('render-api-key', (m) => `rnd_${m.r(29)}aZ1`, { keep: 4 }),
  tokenSpec('fly-io-macaroon', (m) => `fm2_${m.r(200, B64)}`, { keep: 4, min: 100, bad: '#', text: (s) => `FLY_API_TOKEN=${s}` }),
  tokenSpec('cloudflare-origin-ca-key', (m) => `v1.0-${m.r(24, HEX)}-${m.r(146, HEX)}`, { keep: 5, bad: 'g' }),
  {
    id: 'cloudflare-tunnel-token',
    pos: (m) => {
      const t = b64(JSON.stringify({ a: m.r(32, HEX), t: m.uuid(), s: b64(m.r(32)) }));
      return [{ secret: t, text: `cloudflared tunnel run --token ${t}` }];
    },
    miss: (m) => [
      ['base64 JSON without a tunnel secret', `--token ${b64(JSON.stringify({ a: m.r(32, HEX), t: m.uuid(), n: 'production-tunnel' }))}`],
      ['not JSON', `--token eyJhIjoi${m.r(120, B64)}`],
    ],
  },
  settingSpec('fastly-api-token', 'FASTLY_API_TOKEN', (m) => `${m.r(29, URLSAFE)}aZ1`),
  tokenSpec('akamai-edgegrid-token', (m) => `akab-${m.r(15, LOWER_DIGITS)}1-${m.r(15, LOWER_DIGITS)}a`, {
    keep: 5,
    bad: 'A',
    text: (s) => `client_token = ${s}`,
  }),
  {
    id: 'kubeconfig-client-key',
    pos: (m) => {
      const pem = `-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA${m.r(600, B64)}\n-----END RSA PRIVATE KEY-----\n`;
      const data = b64(pem);
      return [{ secret: data, text: `users:\n- name: admin\n  user:\n    client-key-data: ${data}\n` }];
    },
    miss: (m) => [
      [
        'a certificate, not a key',
        `    client-certificate-data: ${b64(`-----BEGIN CERTIFICATE-----\n${m.r(300, B64)}\n-----END CERTIFICATE-----\n`)}`,
      ],
      ['base64 of something else under the key name', `    client-key-data: LS0tLS1CRUdJTi${b64(m.r(200)).slice(0, 150)}`],
    ],
  },
  {
    id: 'supabase-service-role-key',
    pos: (m) => {
      const t = jwt(
        { alg: 'HS256', typ: 'JWT' },
        { iss: 'supabase', ref: m.r(20, LOWER), role: 'service_role', iat: 1700000000, exp: 2000000000 },
        m,
      );
      return [{ secret: t, text: `SUPABASE_SERVICE_ROLE_KEY=${t}` }];
    },
    miss: (m) => [
      [
        'anon key',
        `SUPABASE_ANON_KEY=${jwt({ alg: 'HS256', typ: 'JWT' }, { iss: 'supabase', ref: m.r(20, LOWER), role: 'anon', iat: 1700000000 }, m)}`,
        { reportedBy: ['jwt'] },
      ],
      [
        'the published demo service key',
        `service_role=${jwt({ alg: 'HS256', typ: 'JWT' }, { iss: 'supabase-demo', role: 'service_role', exp: 1983812996 }, m)}`,
        { reportedBy: ['jwt'] },
      ],
    ],
  },
  tokenSpec('supabase-secret-key', (m) => `sb_secret_${m.r(29, URLSAFE).replace(/[-_]$/, 'x')}aZ1`, { keep: 10, min: 20, bad: '#' }),
  settingSpec('confluent-api-secret', 'CONFLUENT_CLOUD_API_SECRET', (m) => `${m.r(61, B64)}aZ1`),
  tokenSpec('clickhouse-cloud-api-secret', (m) => `4b1d${m.r(35)}aZ1`, { keep: 4 }),
  tokenSpec('aiven-service-password', (m) => `AVNS_${m.r(16, URLSAFE).replace(/[-_]$/, 'x')}aZ1`, { keep: 5, min: 16, bad: '#' }),
  settingSpec('algolia-admin-api-key', 'ALGOLIA_ADMIN_KEY', (m) => m.r(32, HEX), { other: 'ALGOLIA_APP_ID' }),
  // ---- source hosting and CI/CD ----
  tokenSpec('gitlab-cicd-job-token', (m) => `glcbt-${m.r(2)}_${m.r(20, URLSAFE).replace(/[-_]$/, 'x')}`, { keep: 9, bad: '#' }),
  tokenSpec('gitlab-feed-token', (m) => `glft-${m.r(20, URLSAFE).replace(/[-_]$/, 'x')}`, { keep: 5, bad: '#' }),
  tokenSpec('gitlab-incoming-mail-token', (m) => `glimt-${m.r(25, URLSAFE).replace(/[-_]$/, 'x')}`, { keep: 6, bad: '#' }),
  tokenSpec('gitlab-kubernetes-agent-token', (m) => `glagent-${m.r(50, URLSAFE).replace(/[-_]$/, 'x')}`, { keep: 8, bad: '#' }),
  tokenSpec('gitlab-scim-token', (m) => `glsoat-${m.r(20, URLSAFE).replace(/[-_]$/, 'x')}`, { keep: 7, bad: '#' }),
  tokenSpec('gitlab-feature-flag-client-token', (m) => `glffct-${m.r(20, URLSAFE).replace(/[-_]$/, 'x')}`, { keep: 7, bad: '#' }),
  tokenSpec('gitlab-runner-registration-token', (m) => `GR1348941${m.r(20, URLSAFE).replace(/[-_]$/, 'x')}`, { keep: 9, bad: '#' }),
  {
    id: 'gitlab-session-cookie',
    pos: (m) => {
      const c = `${m.r(30, LOWER_DIGITS)}a1`;
      return [{ secret: c, text: `curl -b "_gitlab_session=${c}" https://gitlab.example.com` }];
    },
    miss: (m) => [
      ['31 characters', `Cookie: _gitlab_session=${m.r(31, LOWER_DIGITS)}`],
      ['placeholder', `Cookie: _gitlab_session=${'x'.repeat(32)}`],
    ],
  },
  tokenSpec('bitbucket-access-token', (m) => `ATCTT3xFfGN0${m.r(170, URLSAFE)}=${m.r(8, HEXU)}`, { keep: 12, bad: '#' }),
  tokenSpec('bitbucket-data-center-token', (m) => `BBDC-${m.r(41, B64)}aZ1`, { keep: 5, min: 40, bad: '#' }),
  settingSpec('atlassian-data-center-pat', 'JIRA_PAT', (m) => b64(`${m.r(12, DIGITS).replace(/^0/, '1')}:${m.r(20)}`), {
    other: 'JIRA_BASE_URL',
  }),
  tokenSpec('circleci-token', (m) => `CCIPAT_${m.r(22)}_${m.r(40, HEX)}`, { keep: 7 }),
  settingSpec('travis-ci-token', 'TRAVIS_API_TOKEN', (m) => `${m.r(19, URLSAFE)}aZ1`),
  settingSpec('drone-ci-token', 'DRONE_TOKEN', (m) => `${m.r(29)}aZ1`),
  settingSpec('jenkins-api-token', 'JENKINS_API_TOKEN', (m) => `11${m.r(32, HEX)}`),
  tokenSpec('teamcity-access-token', (m) => `eyJ0eXAiOiAiVENWMiJ9.${m.r(40, URLSAFE)}.${m.r(60, URLSAFE).replace(/[-_]$/, 'x')}`, {
    keep: 21,
    min: 41 + 20,
    bad: '#',
  }),
  tokenSpec('octopus-deploy-api-key', (m) => `API-${m.r(22, UPPER_DIGITS)}AB12`, {
    keep: 4,
    bad: 'a',
    extra: () => [['a word of capitals, not a key', js('API-ENVIRONMENTVARIABLENAMESXY')]],
  }),
  settingSpec('codecov-token', 'CODECOV_TOKEN', (m) => m.uuid()),
  tokenSpec('sonarqube-token', (m) => `sqp_${m.r(40, HEX)}`, { keep: 4, bad: 'g' }),
  tokenSpec('sonarcloud-token', (m) => `sqco_${m.r(57)}a1`, { keep: 5 }),
  settingSpec('snyk-api-token', 'SNYK_TOKEN', (m) => m.uuid(), { other: 'SNYK_ORG_ID' }),
  tokenSpec('harness-api-key', (m) => `pat.${m.r(22, URLSAFE)}.${m.r(24, HEX)}.${m.r(20)}`, { keep: 27, bad: 'z' }),
  tokenSpec('jfrog-api-key', (m) => `AKCp${m.r(66)}aZ1`, { keep: 4 }),
  tokenSpec('jfrog-reference-token', (m) => `cmVmdGtu${m.r(53)}aZ1`, { keep: 8 }),
  tokenSpec('docker-hub-token', (m) => `dckr_pat_${m.r(27, URLSAFE).replace(/[-_]$/, 'x')}`, { keep: 9, bad: '#' }),
  tokenSpec('sourcegraph-access-token', (m) => `sgp_${m.r(16, HEX)}_${m.r(40, HEX)}`, { keep: 21, bad: 'g' }),
  tokenSpec('sourcegraph-cody-gateway-key', (m) => `slk_${m.r(64, HEX)}`, { keep: 4, bad: 'g' }),
  tokenSpec('deno-deploy-token', (m) => `ddp_${m.r(33)}aZ1`, { keep: 4 }),
  tokenSpec('openshift-user-token', (m) => `sha256~${m.r(43, URLSAFE).replace(/[-_]$/, 'x')}`, { keep: 7, bad: '#' }),
  tokenSpec('tailscale-key', (m) => `tskey-auth-${m.r(12)}-${m.r(32)}`, { keep: 24, min: 20 }),
  settingSpec('ngrok-authtoken', 'NGROK_AUTHTOKEN', (m) => `${m.r(24)}_${m.r(19)}aZ1`),
  settingSpec('github-oauth-client-secret', 'GITHUB_CLIENT_SECRET', (m) => m.r(40, HEX), { other: 'GITHUB_CLIENT_ID' }),
  {
    id: 'sidekiq-enterprise-credentials',
    pos: (m) => {
      const c = `${m.r(8, HEX)}:${m.r(8, HEX)}`;
      return [{ secret: c, text: `BUNDLE_ENTERPRISE__CONTRIBSYS__COM=${c}` }];
    },
    miss: (m) => [
      ['7 hex digits', `BUNDLE_ENTERPRISE__CONTRIBSYS__COM=${m.r(7, HEX)}:${m.r(8, HEX)}`],
      ['a variable', 'BUNDLE_GEMS__CONTRIBSYS__COM=${SIDEKIQ_CREDS}'],
    ],
  },
  {
    id: 'sidekiq-enterprise-url',
    pos: (m) => {
      const c = `${m.r(8, HEX)}:${m.r(8, HEX)}`;
      return [{ secret: c, text: `source "https://${c}@enterprise.contribsys.com/"` }];
    },
    miss: (m) => [
      ['another host', `source "https://${m.r(8, HEX)}:${m.r(8, HEX)}@contribsys.example/"`, { reportedBy: ['url-credentials'] }],
    ],
  },
  // ---- secrets managers ----
  tokenSpec('vault-recovery-token', (m) => `hvr.${m.r(90, URLSAFE).replace(/[-_]$/, 'x')}`, { keep: 4, min: 24, bad: '#' }),
  settingSpec('vault-legacy-token', 'VAULT_TOKEN', (m) => `s.${m.r(21)}aZ1`, { other: 'VAULT_ADDR' }),
  settingSpec('consul-acl-token', 'CONSUL_HTTP_TOKEN', (m) => m.uuid(), { other: 'CONSUL_HTTP_ADDR' }),
  settingSpec('nomad-acl-token', 'NOMAD_TOKEN', (m) => m.uuid(), { other: 'NOMAD_ADDR' }),
  settingSpec('hcp-client-secret', 'HCP_CLIENT_SECRET', (m) => `${m.r(61, URLSAFE)}aZ1`, { other: 'HCP_CLIENT_ID' }),
  tokenSpec(
    'onepassword-secret-key',
    (m) => `A3-${m.r(6, UPPER_DIGITS)}-${m.r(11, UPPER_DIGITS)}-${m.r(5, UPPER_DIGITS)}-${m.r(5, UPPER_DIGITS)}-${m.r(4, UPPER_DIGITS)}1`,
    {
      keep: 3,
      bad: 'a',
    },
  ),
  {
    id: 'onepassword-connect-token',
    pos: (m) => {
      const t = jwt(
        { alg: 'ES256', kid: m.r(26, LOWER_DIGITS), typ: 'JWT' },
        {
          '1password.com/auuid': m.r(26, UPPER_DIGITS),
          aud: ['com.1password.connect'],
          iat: 1700000000,
          iss: 'com.1password.b5',
          sub: m.r(26, UPPER_DIGITS),
        },
        m,
      );
      return [{ secret: t, text: `OP_CONNECT_TOKEN=${t}` }];
    },
    miss: (m) => [
      [
        'a JWT for another audience',
        `TOKEN=${jwt({ alg: 'ES256', typ: 'JWT' }, { aud: ['api.example.com'], sub: m.r(10) }, m)}`,
        { reportedBy: ['jwt'] },
      ],
    ],
  },
  // ---- package registries ----
  {
    id: 'npmrc-auth-token-inline',
    pos: (m) => {
      const t = `${m.r(35, `${PW}_-`).replace(/^[-_]/, 'b')}7`;
      return [{ secret: t, text: `RUN echo "//npm.pkg.github.com/:_authToken=${t}" > .npmrc` }];
    },
    miss: () => [
      ['a variable', 'RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc'],
      ['placeholder', 'RUN echo "//registry.npmjs.org/:_authToken=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" > .npmrc'],
    ],
  },
  {
    id: 'npmrc-basic-auth',
    pos: (m) => {
      const v = b64(`deploy:${m.r(16, PW)}`);
      return [{ secret: v, text: `_auth=${v}` }];
    },
    miss: (m) => [
      ['a variable', '_auth=${NPM_AUTH}'],
      ['not base64 of text', `_auth = ${Buffer.from(m.r(12, HEX), 'hex').toString('base64').replace(/=+$/, '')}zz`],
    ],
  },
  {
    id: 'yarnrc-npm-auth-token',
    pos: (m) => {
      const t = `${m.r(39, `${PW}_-`).replace(/^[-_]/, 'b')}7`;
      return [{ secret: t, text: `npmRegistries:\n  "https://npm.pkg.example.com":\n    npmAuthToken: ${t}` }];
    },
    miss: () => [
      ['a variable', 'npmAuthToken: "${NPM_TOKEN}"'],
      ['placeholder', 'npmAuthToken: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
    ],
  },
  {
    id: 'nuget-config-password',
    pos: (m) => {
      const p = `${m.r(10, PW)}#${m.r(10, PW)}`;
      return [
        {
          secret: p,
          text: `<packageSourceCredentials><feed><add key="Username" value="ci" /><add key="ClearTextPassword" value="${p}" /></feed>`,
        },
      ];
    },
    miss: () => [
      ['a variable', '<add key="ClearTextPassword" value="%NUGET_PASSWORD%" />'],
      ['placeholder', '<add key="ClearTextPassword" value="your-password-here" />'],
    ],
  },
  {
    id: 'maven-settings-password',
    pos: (m) => {
      const p = `${m.r(8, PW)}!${m.r(8, PW)}`;
      return [
        {
          secret: p,
          text: `<server>\n  <id>releases</id>\n  <username>ci</username>\n  <password>${p}</password>\n</server>`,
          path: 'settings.xml',
        },
      ];
    },
    miss: () => [
      ['a property reference', '<server><password>${env.MAVEN_PASSWORD}</password></server>'],
      ['placeholder', '<server><password>changeme</password></server>'],
    ],
  },
  tokenSpec('crates-io-api-token', (m) => `cio${m.r(29)}aZ1`, { keep: 3, text: (s) => `[registry]\ntoken = "${s}"` }),
  {
    id: 'docker-config-json-base64',
    pos: (m) => {
      const cfg = b64(JSON.stringify({ auths: { 'registry.example.com': { auth: b64(`robot:${m.r(24)}`) } } }));
      return [{ secret: cfg, text: `data:\n  .dockerconfigjson: ${cfg}\ntype: kubernetes.io/dockerconfigjson` }];
    },
    miss: () => [
      ['auths without credentials', `  .dockerconfigjson: ${b64(JSON.stringify({ auths: { 'registry.example.com': {} } }))}`],
      [
        'auth that is not user:password',
        `  .dockerconfigjson: ${b64(JSON.stringify({ auths: { 'r.example.com': { auth: b64('nocolon') } } }))}`,
      ],
    ],
  },
  // ---- AI ----
  tokenSpec('openrouter-api-key', (m) => `sk-or-v1-${m.r(64, HEX)}`, { keep: 9, bad: 'g' }),
  settingSpec('cohere-api-key', 'COHERE_API_KEY', (m) => `${m.r(37)}aZ1`),
  settingSpec('mistral-api-key', 'MISTRAL_API_KEY', (m) => `${m.r(29)}aZ1`),
  settingSpec('deepseek-api-key', 'DEEPSEEK_API_KEY', (m) => `sk-${m.r(32, HEX)}`),
  settingSpec('together-ai-api-key', 'TOGETHER_API_KEY', (m) => m.r(64, HEX)),
  tokenSpec('nvidia-api-key', (m) => `nvapi-${m.r(64, URLSAFE).replace(/[-_]$/, 'x')}`, { keep: 6, bad: '#' }),
  settingSpec('elevenlabs-api-key', 'ELEVENLABS_API_KEY', (m) => `sk_${m.r(48, HEX)}`),
  settingSpec('assemblyai-api-key', 'ASSEMBLYAI_API_KEY', (m) => m.r(32, HEX)),
  settingSpec('deepgram-api-key', 'DEEPGRAM_API_KEY', (m) => m.r(40, HEX)),
  settingSpec('stability-ai-api-key', 'STABILITY_API_KEY', (m) => `sk-${m.r(45)}aZ1`),
  tokenSpec('huggingface-org-token', (m) => `api_org_${m.r(34, LOWER + UPPER)}`, { keep: 8, bad: '1' }),
  tokenSpec('langfuse-secret-key', (m) => `sk-lf-${m.uuid()}`, { keep: 6, bad: 'g' }),
  settingSpec('wandb-api-key', 'WANDB_API_KEY', (m) => m.r(40, HEX)),
  tokenSpec('tavily-api-key', (m) => `tvly-dev-${m.r(29)}aZ1`, { keep: 9 }),
  settingSpec('serpapi-api-key', 'SERPAPI_API_KEY', (m) => m.r(64, HEX)),
  tokenSpec('firecrawl-api-key', (m) => `fc-${m.r(31, HEX)}a`, { keep: 3, bad: 'g' }),
  tokenSpec('e2b-api-key', (m) => `e2b_${m.r(40, HEX)}`, { keep: 4, bad: 'g' }),
  // ---- payments ----
  tokenSpec('braintree-access-token', (m) => `access_token$production$${m.r(16, LOWER_DIGITS)}$${m.r(32, HEX)}`, { keep: 41, bad: 'g' }),
  tokenSpec('razorpay-live-key-id', (m) => `rzp_live_${m.r(12)}a1`, { keep: 9 }),
  settingSpec('razorpay-key-secret', 'RAZORPAY_KEY_SECRET', (m) => `${m.r(21)}aZ1`, { other: 'RAZORPAY_KEY_ID' }),
  tokenSpec('plaid-access-token', (m) => `access-production-${m.uuid()}`, { keep: 18, bad: 'g' }),
  settingSpec('plaid-secret', 'PLAID_SECRET', (m) => m.r(30, HEX), { other: 'PLAID_CLIENT_ID' }),
  settingSpec('gocardless-access-token', 'GOCARDLESS_ACCESS_TOKEN', (m) => `live_${m.r(40, URLSAFE)}`),
  tokenSpec('paddle-api-key', (m) => `pdl_live_apikey_${m.r(50, `${ALNUM}_`)}`, { keep: 16, min: 40, bad: '#' }),
  settingSpec('mollie-api-key', 'MOLLIE_API_KEY', (m) => `live_${m.r(30)}`),
  settingSpec('binance-api-secret', 'BINANCE_API_SECRET', (m) => `${m.r(61)}aZ1`),
  settingSpec('chargebee-api-key', 'CHARGEBEE_API_KEY', (m) => `live_${m.r(32)}`, { other: 'CHARGEBEE_SITE_URL' }),
  tokenSpec('ramp-api-secret', (m) => `ramp_sec_${m.r(45)}aZ1`, { keep: 9 }),
  tokenSpec('pagarme-api-key', (m) => `ak_live_${m.r(28)}a1`, { keep: 8 }),
  // ---- messaging ----
  tokenSpec('slack-legacy-bot-token', (m) => `xoxb-${m.r(11, DIGITS)}-${m.r(21)}aZ1`, { keep: 17, min: 18 }),
  tokenSpec('slack-legacy-token', (m) => `xoxs-${m.r(10, DIGITS)}-${m.r(10, DIGITS)}-${m.r(10, DIGITS)}-${m.r(40, HEX)}`, {
    keep: 38,
    min: 16,
    bad: 'g',
  }),
  tokenSpec('slack-legacy-workspace-token', (m) => `xoxa-${m.r(40)}`, { keep: 5, min: 8 }),
  tokenSpec('slack-config-access-token', (m) => `xoxe.xoxp-1-${m.r(164)}`, { keep: 12, min: 163 }),
  tokenSpec('slack-config-refresh-token', (m) => `xoxe-1-${m.r(146)}`, { keep: 7 }),
  {
    id: 'slack-legacy-webhook-url',
    pos: (m) => {
      const t = `${m.r(22)}a1`;
      return [{ secret: t, text: `https://myteam.slack.com/services/hooks/incoming-webhook?token=${t}` }];
    },
    miss: () => [['placeholder', 'https://myteam.slack.com/services/hooks/incoming-webhook?token=XXXXXXXXXXXXXXXXXXXXXXXX']],
  },
  {
    id: 'discord-bot-token',
    pos: (m) => {
      const id = `1${m.r(17, DIGITS)}`;
      const t = `${Buffer.from(id).toString('base64url')}.${m.r(6, URLSAFE)}.${m.r(38, URLSAFE).replace(/[-_]$/, 'x')}`;
      return [{ secret: t, text: `client.login("${t}");` }];
    },
    miss: (m) => [
      [
        'first part is not a numeric id',
        `client.login("${Buffer.from(`1${m.r(17)}`)
          .toString('base64url')
          .replace(/^./, 'M')}.${m.r(6)}.${m.r(38)}");`,
      ],
      ['placeholder', 'DISCORD_TOKEN=MTxxxxxxxxxxxxxxxxxxxxxxxxx.xxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
    ],
  },
  settingSpec('discord-client-secret', 'DISCORD_CLIENT_SECRET', (m) => `${m.r(29, URLSAFE)}aZ1`, { other: 'DISCORD_CLIENT_ID' }),
  {
    id: 'microsoft-teams-webhook-url',
    pos: (m) => {
      const u = `https://contoso.webhook.office.com/webhookb2/${m.uuid()}@${m.uuid()}/IncomingWebhook/${m.r(32, HEX)}/${m.uuid()}`;
      return [{ secret: u, text: `TEAMS_WEBHOOK="${u}"` }];
    },
    miss: (m) => [['the path without its keys', `https://contoso.webhook.office.com/webhookb2/${m.uuid()}/IncomingWebhook/`]],
  },
  settingSpec('mattermost-access-token', 'MATTERMOST_TOKEN', (m) => `${m.r(24, LOWER_DIGITS)}a1`, { other: 'MATTERMOST_URL' }),
  {
    id: 'mailgun-private-key',
    pos: (m) => {
      const k = `key-${m.r(32, HEX)}`;
      return [{ secret: k, text: `requests.post("https://api.mailgun.net/v3/mg.example.com/messages", auth=("api", "${k}"))` }];
    },
    miss: (m) => [
      ['no Mailgun on the line', `auth = ("api", "key-${m.r(32, HEX)}")`],
      ['31 hex digits', `mailgun.auth("key-${m.r(31, HEX)}")`],
    ],
  },
  settingSpec('mailgun-webhook-signing-key', 'MAILGUN_WEBHOOK_SIGNING_KEY', (m) => m.r(32, HEX), { other: 'MAILGUN_WEBHOOK_URL' }),
  settingSpec('mailjet-api-secret', 'MAILJET_API_SECRET', (m) => m.r(32, HEX)),
  settingSpec('mandrill-api-key', 'MANDRILL_API_KEY', (m) => `${m.r(19, URLSAFE)}aZ1`),
  settingSpec('sparkpost-api-key', 'SPARKPOST_API_KEY', (m) => m.r(40, HEX)),
  {
    id: 'resend-api-key',
    pos: (m) => {
      const k = `re_${m.r(8)}_${m.r(21)}aZ1`;
      return [{ secret: k, text: `const resend = new Resend("${k}");` }];
    },
    miss: (m) => [
      ['no Resend on the line', js(`re_${m.r(8)}_${m.r(21)}aZ1`)],
      ['one character short', `const resend = new Resend("re_${m.r(8)}_${m.r(20)}aZ");`],
    ],
  },
  tokenSpec('mailersend-api-token', (m) => `mlsn.${m.r(64, HEX)}`, { keep: 5, bad: 'g' }),
  settingSpec('pusher-app-secret', 'PUSHER_APP_SECRET', (m) => m.r(20, HEX), { other: 'PUSHER_APP_ID' }),
  tokenSpec('pubnub-secret-key', (m) => `sec-c-${m.r(45)}aZ1`, { keep: 6 }),
  settingSpec('vonage-api-secret', 'VONAGE_API_SECRET', (m) => `${m.r(13)}aZ1`),
  settingSpec('messagebird-api-key', 'MESSAGEBIRD_API_KEY', (m) => `${m.r(22)}aZ1`),
  settingSpec('plivo-auth-token', 'PLIVO_AUTH_TOKEN', (m) => `${m.r(37)}aZ1`, { other: 'PLIVO_AUTH_ID' }),
  {
    id: 'intercom-access-token',
    pos: (m) => {
      const t = b64(`tok:${m.r(8, HEX)}_${m.r(4, HEX)}_${m.r(4, HEX)}_${m.r(4, HEX)}_${m.r(12, HEX)}:1:0`).replace(/=+$/, '');
      return [{ secret: t, text: `INTERCOM_ACCESS_TOKEN=${t}` }];
    },
    miss: (m) => [['base64 that is not a token', `value = dG9rO${m.r(60, B64)}`]],
  },
  settingSpec('zendesk-api-token', 'ZENDESK_API_TOKEN', (m) => `${m.r(37)}aZ1`, { other: 'ZENDESK_SUBDOMAIN_URL' }),
  settingSpec('twitch-client-secret', 'TWITCH_CLIENT_SECRET', (m) => `${m.r(28, LOWER_DIGITS)}a1`, { other: 'TWITCH_CLIENT_ID' }),
  tokenSpec('twitter-bearer-token', (m) => `AAAAAAAAAAAAAAAAAAAAA${m.r(88)}aZ1`, {
    keep: 21,
    min: 80,
    bad: '#',
    extra: () => [['a run of A only', js('A'.repeat(110))]],
  }),
  tokenSpec('facebook-access-token', (m) => `EAAG${m.r(150)}aZ1`, { keep: 4, min: 100, bad: '#' }),
  settingSpec('facebook-app-secret', 'FACEBOOK_APP_SECRET', (m) => m.r(32, HEX), { other: 'FACEBOOK_APP_ID' }),
  tokenSpec('instagram-access-token', (m) => `IGQV${m.r(180, URLSAFE).replace(/[-_]$/, 'x')}aZ1`, { keep: 4, min: 100, bad: '#' }),
  {
    id: 'google-chat-webhook-url',
    pos: (m) => {
      const t = `${m.r(43, URLSAFE).replace(/^[-_]/, 'a')}%3D`;
      return [{ secret: t, text: `https://chat.googleapis.com/v1/spaces/AAAA${m.r(7)}/messages?key=${m.r(39, URLSAFE)}&token=${t}` }];
    },
    miss: (m) => [['no token', `https://chat.googleapis.com/v1/spaces/AAAA${m.r(7)}/messages`]],
  },
  {
    id: 'zapier-webhook-url',
    pos: (m) => {
      const u = `https://hooks.zapier.com/hooks/catch/${m.r(7, DIGITS)}/${m.r(5, LOWER_DIGITS)}a1`;
      return [{ secret: u, text: `ZAPIER_HOOK=${u}` }];
    },
    miss: () => [['no hook id', 'https://hooks.zapier.com/hooks/catch/']],
  },
  {
    id: 'ifttt-webhook-key',
    pos: (m) => {
      const k = `${m.r(19, URLSAFE)}aZ1`;
      return [{ secret: k, text: `https://maker.ifttt.com/trigger/door_open/with/key/${k}` }];
    },
    miss: () => [['placeholder', 'https://maker.ifttt.com/trigger/door_open/with/key/YOUR_KEY']],
  },
  {
    id: 'feishu-lark-webhook-url',
    pos: (m) => {
      const u = `https://open.feishu.cn/open-apis/bot/v2/hook/${m.uuid()}`;
      return [{ secret: u, text: `FEISHU_WEBHOOK=${u}` }];
    },
    miss: () => [['no hook id', 'https://open.feishu.cn/open-apis/bot/v2/hook/']],
  },
  {
    id: 'dingtalk-webhook-url',
    pos: (m) => {
      const t = m.r(64, HEX);
      return [{ secret: t, text: `https://oapi.dingtalk.com/robot/send?access_token=${t}` }];
    },
    miss: (m) => [['63 hex digits', `https://oapi.dingtalk.com/robot/send?access_token=${m.r(63, HEX)}`]],
  },
  {
    id: 'wecom-webhook-url',
    pos: (m) => {
      const k = m.uuid();
      return [{ secret: k, text: `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${k}` }];
    },
    miss: () => [['a variable', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${WECOM_KEY}']],
  },
  settingSpec('pagerduty-api-key', 'PAGERDUTY_API_KEY', (m) => `${m.r(17, `${ALNUM}+_-`)}aZ1`, { other: 'PAGERDUTY_SERVICE_ID' }),
  settingSpec('opsgenie-api-key', 'OPSGENIE_API_KEY', (m) => m.uuid()),
  // ---- observability ----
  tokenSpec('new-relic-license-key', (m) => `${m.r(35, HEX)}aNRAL`, { keep: 0, bad: 'g', text: (s) => `NEW_RELIC_LICENSE_KEY=${s}` }),
  tokenSpec('new-relic-insert-key', (m) => `NRII-${m.r(32, URLSAFE).replace(/[-_]$/, 'x')}`, { keep: 5, bad: '#' }),
  tokenSpec('new-relic-query-key', (m) => `NRIQ-${m.r(32, URLSAFE).replace(/[-_]$/, 'x')}`, { keep: 5, bad: '#' }),
  tokenSpec('new-relic-rest-api-key', (m) => `NRRA-${m.r(42, HEX)}`, { keep: 5, bad: 'g' }),
  tokenSpec('new-relic-browser-key', (m) => `NRJS-${m.r(19, HEX)}`, { keep: 5, bad: 'g' }),
  settingSpec('honeycomb-api-key', 'HONEYCOMB_API_KEY', (m) => `${m.r(19)}aZ1`, { other: 'HONEYCOMB_DATASET_NAME' }),
  settingSpec('splunk-hec-token', 'SPLUNK_HEC_TOKEN', (m) => m.uuid(), { other: 'SPLUNK_HEC_URL' }),
  {
    id: 'splunk-hec-authorization',
    pos: (m) => {
      const t = m.uuid();
      return [{ secret: t, text: `curl -H "Authorization: Splunk ${t}" https://hec.example.com:8088/services/collector` }];
    },
    miss: () => [['a variable', 'curl -H "Authorization: Splunk $HEC_TOKEN"']],
  },
  settingSpec('sumologic-access-key', 'SUMO_ACCESS_KEY', (m) => `${m.r(61)}aZ1`),
  settingSpec('rollbar-access-token', 'ROLLBAR_ACCESS_TOKEN', (m) => m.r(32, HEX)),
  settingSpec('bugsnag-api-key', 'BUGSNAG_API_KEY', (m) => m.r(32, HEX)),
  {
    id: 'grafana-legacy-api-key',
    pos: (m) => {
      const k = b64(JSON.stringify({ k: m.r(32), n: 'ci-deploy', id: 1 })).replace(/=+$/, '');
      return [{ secret: k, text: `GRAFANA_API_KEY=${k}` }];
    },
    miss: (m) => [['base64 JSON of something else', `value = ${b64(JSON.stringify({ k: 'short', x: m.r(60) }))}`]],
  },
  tokenSpec('posthog-personal-api-key', (m) => `phx_${m.r(40, `${ALNUM}_`)}aZ1`, { keep: 4, bad: '#' }),
  tokenSpec('axiom-token', (m) => `xaat-${m.uuid()}`, { keep: 5, bad: 'g' }),
  // ---- SaaS ----
  tokenSpec('notion-legacy-integration-token', (m) => `secret_${m.r(40)}aZ1`, { keep: 7 }),
  {
    id: 'airtable-personal-access-token',
    pos: (m) => {
      const t = `pat${m.r(14)}.${m.r(64, HEX)}`;
      return [{ secret: t, text: `const airtable = new Airtable({ apiKey: "${t}" });` }];
    },
    miss: (m) => [['no Airtable on the line', `const client = new Client({ token: "pat${m.r(14)}.${m.r(64, HEX)}" });`]],
  },
  settingSpec('asana-personal-access-token', 'ASANA_PAT', (m) => `2/${m.r(16, DIGITS)}/${m.r(16, DIGITS)}:${m.r(32)}`, {
    other: 'ASANA_WORKSPACE_ID',
  }),
  tokenSpec('clickup-api-token', (m) => `pk_${m.r(8, DIGITS)}_${m.r(30, UPPER_DIGITS)}A1`, { keep: 12, bad: 'a' }),
  settingSpec('trello-token', 'TRELLO_TOKEN', (m) => `ATTA${m.r(64, HEX)}`),
  settingSpec('dropbox-access-token', 'DROPBOX_ACCESS_TOKEN', (m) => `sl.${m.r(140, URLSAFE).replace(/[-_]$/, 'x')}`),
  tokenSpec('contentful-pat', (m) => `CFPAT-${m.r(43, URLSAFE).replace(/[-_]$/, 'x')}`, { keep: 6, bad: '#' }),
  tokenSpec('hubspot-private-app-token', (m) => `pat-na1-${m.uuid()}`, { keep: 8, bad: 'g' }),
  settingSpec('hubspot-api-key', 'HUBSPOT_API_KEY', (m) => m.uuid(), { other: 'HUBSPOT_PORTAL_ID' }),
  tokenSpec('salesforce-access-token', (m) => `00D${m.r(15)}!${m.r(90, `${ALNUM}.`).replace(/\.$/, 'x')}`, { keep: 19, min: 80, bad: '#' }),
  settingSpec('okta-api-token', 'OKTA_API_TOKEN', (m) => `00${m.r(37, URLSAFE)}aZ1`, { other: 'OKTA_ORG_URL' }),
  settingSpec('auth0-client-secret', 'AUTH0_CLIENT_SECRET', (m) => `${m.r(61, URLSAFE)}aZ1`, { other: 'AUTH0_CLIENT_ID' }),
  tokenSpec('stytch-secret', (m) => `secret-live-${m.r(33, URLSAFE).replace(/[-_]$/, 'x')}aZ1`, { keep: 12, bad: '#' }),
  settingSpec('ably-api-key', 'ABLY_API_KEY', (m) => `${m.r(6)}.${m.r(6)}:${m.r(43, URLSAFE)}`),
  tokenSpec('frameio-api-token', (m) => `fio-u-${m.r(64, URLSAFE).replace(/[-_]$/, 'x')}`, { keep: 6, bad: '#' }),
  tokenSpec('adobe-client-secret', (m) => `p8e-${m.r(30)}a1`, { keep: 4 }),
  tokenSpec('maxmind-license-key', (m) => `${m.r(6)}_${m.r(29)}_mmk`, { keep: 0, bad: '#' }),
  tokenSpec('scalingo-api-token', (m) => `tk-us-${m.r(48, URLSAFE).replace(/[-_]$/, 'x')}`, { keep: 6, bad: '#' }),
  tokenSpec('settlemint-token', (m) => `sm_pat_${m.r(14)}a1`, { keep: 7 }),
  tokenSpec('defined-networking-api-token', (m) => `dnkey-${m.r(26, LOWER_DIGITS)}-${m.r(52, LOWER_DIGITS)}`, { keep: 6, bad: '#' }),
  tokenSpec('intra42-client-secret', (m) => `s-s4t2ud-${m.r(64, HEX)}`, { keep: 9, bad: 'g' }),
  tokenSpec('ubidots-token', (m) => `BBFF-${m.r(28)}a1`, { keep: 5 }),
  tokenSpec('rootly-api-key', (m) => `rootly_${m.r(64, HEX)}`, { keep: 7, bad: 'g' }),
  tokenSpec('bannerbear-api-key', (m) => `bb_pr_${m.r(30, HEX)}`, { keep: 6, bad: 'g' }),
  tokenSpec('apify-api-token', (m) => `apify_api_${m.r(33)}aZ1`, { keep: 10 }),
  tokenSpec('adafruit-io-key', (m) => `aio_${m.r(25)}aZ1`, { keep: 4 }),
  tokenSpec('flexport-api-key', (m) => `shltm_${m.r(40, URLSAFE).replace(/[-_]$/, 'x')}`, { keep: 6, bad: '#' }),
  tokenSpec('robinhood-crypto-api-key', (m) => `rh-api-${m.uuid()}`, { keep: 7, bad: 'g' }),
  tokenSpec('zoho-refresh-token', (m) => `1000.${m.r(32, HEX)}.${m.r(32, HEX)}`, { keep: 5, bad: 'g' }),
  tokenSpec('postman-collection-access-key', (m) => `PMAT-${m.r(24, UPPER_DIGITS)}A1`, { keep: 5, bad: 'a' }),
  settingSpec('looker-client-secret', 'LOOKERSDK_CLIENT_SECRET', (m) => `${m.r(21)}aZ1`, { other: 'LOOKERSDK_CLIENT_ID' }),
  {
    id: 'rapidapi-key',
    pos: (m) => {
      const k = `${m.r(47)}aZ1`;
      return [{ secret: k, text: `headers: { 'X-RapidAPI-Key': '${k}' }` }];
    },
    miss: (m) => [
      ['one character short', js(`${m.r(46)}aZ1`)],
      ['the host header', `headers: { 'X-RapidAPI-Host': '${m.r(47)}aZ1' }`],
    ],
  },
  settingSpec('shodan-api-key', 'SHODAN_API_KEY', (m) => `${m.r(29)}aZ1`),
  settingSpec('virustotal-api-key', 'VIRUSTOTAL_API_KEY', (m) => m.r(64, HEX)),
  settingSpec('openweathermap-api-key', 'OPENWEATHER_API_KEY', (m) => m.r(32, HEX)),
  settingSpec('etherscan-api-key', 'ETHERSCAN_API_KEY', (m) => `${m.r(32, UPPER_DIGITS)}A1`),
  settingSpec('infura-api-key', 'INFURA_API_KEY', (m) => m.r(32, HEX), { other: 'INFURA_PROJECT_ID' }),
  settingSpec('alchemy-api-key', 'ALCHEMY_API_KEY', (m) => `${m.r(29, URLSAFE)}aZ1`),
  {
    id: 'laravel-app-key',
    pos: (m) => {
      const k = `base64:${m.r(43, B64)}=`;
      return [{ secret: k, text: `APP_KEY=${k}` }];
    },
    miss: () => [
      ['empty', 'APP_KEY='],
      ['placeholder', `APP_KEY=base64:${'x'.repeat(43)}=`],
    ],
  },
  // ---- databases and configuration ----
  {
    id: 'jdbc-connection-string',
    pos: (m) => {
      const p = `${m.r(10, PW)}-${m.r(6, PW)}7`;
      return [
        { secret: p, text: `spring.datasource.url=jdbc:sqlserver://db.internal:1433;databaseName=app;user=svc;password=${p};encrypt=true` },
      ];
    },
    miss: () => [
      ['a placeholder', 'url: jdbc:postgresql://db:5432/app?user=app&password=changeme'],
      ['a property reference', 'url=jdbc:mysql://db:3306/app?user=app&password=${DB_PASSWORD}'],
    ],
  },
  {
    id: 'oracle-jdbc-thin-credentials',
    pos: (m) => {
      const p = `${m.r(10, PW)}#${m.r(4, PW)}`;
      return [{ secret: p, text: `url = "jdbc:oracle:thin:scott/${p}@//db.internal:1521/ORCL"` }];
    },
    miss: () => [['a placeholder', 'url = "jdbc:oracle:thin:scott/tiger@//db.internal:1521/ORCL"']],
  },
  {
    id: 'sqlserver-connection-string',
    pos: (m) => {
      const p = `${m.r(12, PW)}!${m.r(4, PW)}`;
      return [
        {
          secret: p,
          text: `"DefaultConnection": "Server=tcp:app.database.windows.net,1433;Initial Catalog=app;User ID=svc;Password=${p};Encrypt=True;"`,
        },
      ];
    },
    miss: () => [
      ['integrated security, no password', '"Default": "Server=(localdb)\\\\mssqllocaldb;Database=app;Trusted_Connection=True;"'],
      ['a placeholder password', '"Default": "Server=db;Database=app;User Id=sa;Password=<YourStrong@Passw0rd>;"'],
    ],
  },
  {
    id: 'postgres-dsn-password',
    pos: (m) => {
      const p = `${m.r(12, PW)}%${m.r(4, PW)}`;
      return [
        { secret: p, text: `conn = psycopg2.connect("host=db.internal port=5432 dbname=app user=svc password=${p} sslmode=require")` },
      ];
    },
    miss: () => [['a placeholder', 'dsn = "host=localhost dbname=test user=postgres password=postgres"']],
  },
  {
    id: 'service-url-credentials',
    pos: (m) => {
      const p = `${m.r(10, PW)}-${m.r(6, PW)}7`;
      return [{ secret: p, text: `SMTP_URL=smtps://mailer:${p}@smtp.example.net:465` }];
    },
    miss: () => [
      ['a placeholder', 'ftp://user:password@ftp.example.com/'],
      ['a variable', 'SMTP_URL=smtp://mailer:${SMTP_PASSWORD}@smtp.example.net'],
    ],
  },
  {
    id: 'netrc-password',
    pos: (m) => {
      const p = `${m.r(16, PW)}-${m.r(4, PW)}7`;
      return [{ secret: p, text: `machine api.heroku.com\n  login ci@example.net\n  password ${p}\n` }];
    },
    miss: () => [['a placeholder', 'machine github.com login me password YOUR_TOKEN_HERE']],
  },
  {
    id: 'wireguard-private-key',
    pos: (m) => {
      const k = Buffer.from(m.r(64, HEX), 'hex').toString('base64');
      return [{ secret: k, text: `[Interface]\nAddress = 10.0.0.2/32\nPrivateKey = ${k}\nDNS = 1.1.1.1\n` }];
    },
    miss: (m) => [
      ['a public key', `[Peer]\nPublicKey = ${Buffer.from(m.r(64, HEX), 'hex').toString('base64')}`],
      ['placeholder', 'PrivateKey = <your-private-key>'],
    ],
  },
  {
    id: 'openvpn-static-key',
    pos: (m) => {
      const lines = Array.from({ length: 16 }, () => m.r(32, HEX));
      return [
        {
          secret: lines[0]!,
          text: `<tls-auth>\n-----BEGIN OpenVPN Static key V1-----\n${lines.join('\n')}\n-----END OpenVPN Static key V1-----\n</tls-auth>`,
        },
      ];
    },
    miss: (m) => [
      [
        'a truncated key',
        `-----BEGIN OpenVPN Static key V1-----\n${Array.from({ length: 15 }, () => m.r(32, HEX)).join('\n')}\n-----END OpenVPN Static key V1-----`,
      ],
    ],
  },
  {
    id: 'ssh2-private-key',
    pos: (m) => {
      const body = m
        .r(400, B64)
        .match(/.{1,70}/g)!
        .join('\n');
      return [
        {
          secret: body.split('\n')[1]!,
          text: `---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\nComment: "rsa-key-20240101"\n${body}\n---- END SSH2 ENCRYPTED PRIVATE KEY ----\n`,
        },
      ];
    },
    miss: () => [
      ['a header only', '---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\nComment: "x"\n...\n---- END SSH2 ENCRYPTED PRIVATE KEY ----'],
    ],
  },
];

function maker(seed: number): Make {
  const n = rng(seed);
  const r = (len: number, alphabet = ALNUM) => randomString(n, len, alphabet);
  return { r, uuid: () => `${r(8, HEX)}-${r(4, HEX)}-4${r(3, HEX)}-a${r(3, HEX)}-${r(12, HEX)}` };
}

/** True examples, one draw per rule (more with `draws`). */
export function providerPositives(seed = 1234, draws = 1): LabelledPositive[] {
  const m = maker(seed);
  const out: LabelledPositive[] = [];
  for (let d = 0; d < draws; d++) {
    for (const spec of PROVIDER_SPECS) {
      for (const p of spec.pos(m))
        out.push({ ruleId: spec.id, text: p.text ?? js(p.secret), secret: p.secret, ...(p.path ? { path: p.path } : {}) });
    }
  }
  return out;
}

/** Near-misses, one draw per rule (more with `draws`). */
export function providerNearMisses(seed = 4321, draws = 1): LabelledNearMiss[] {
  const m = maker(seed);
  const out: LabelledNearMiss[] = [];
  for (let d = 0; d < draws; d++) {
    for (const spec of PROVIDER_SPECS) {
      for (const [name, text, extra] of spec.miss(m)) out.push({ ruleId: spec.id, name: `${spec.id}: ${name}`, text, ...extra });
    }
  }
  return out;
}
