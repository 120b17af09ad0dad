/**
 * False-positive filters. Provider rules (distinct prefixes, checksums) only pass the placeholder
 * check; generic rules (a secret-sounding name assigned a value) pass all of them.
 */

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** How many of: lower case, upper case, digits, other characters. */
export function characterClasses(value: string): number {
  let classes = 0;
  if (/[a-z]/.test(value)) classes++;
  if (/[A-Z]/.test(value)) classes++;
  if (/[0-9]/.test(value)) classes++;
  if (/[^A-Za-z0-9]/.test(value)) classes++;
  return classes;
}

const PLACEHOLDER_WORDS =
  /example|sample|dummy|placeholder|changeme|change[_-]me|replace[_-]?me|your[_-]?(?:own[_-]?)?(?:api[_-]?)?(?:key|token|secret|password|pass)|redacted|insert[_-]?(?:your|key|token)|fake[_-]?(?:key|token|secret)|not[_-]?a[_-]?(?:real[_-]?)?(?:secret|key|token)|xxxxx|\*\*\*|\.\.\.|<[a-z_ -]+>|(.)\1{7,}|0123456789|1234567890|abcdefghij|abc123|123abc|xyz123|xyz456|qwerty|letmein|p[a@]ssw[o0]rd|s3cr3t/i;

/** `xxxx`, `<YOUR_KEY>`, `changeme`, `your-api-key-here`, `***REDACTED***`, runs of one character. */
export function isPlaceholder(secret: string): boolean {
  return PLACEHOLDER_WORDS.test(secret);
}

const REFERENCE_PATTERNS: readonly RegExp[] = [
  /^\$\{\{.*\}\}?$/, // ${{ secrets.X }} (GitHub Actions expressions)
  /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/, // $VAR, ${VAR}
  /\$\{[^}]*\}/, // strings interpolating a variable
  /^\{\{.*\}\}$/, // templates
  /^%[({]?[A-Za-z_]/, // %(name)s, %{name}
  /^\$\(/, // $(command)
  /(?:^|\W)process\.env\b/,
  /(?:^|\W)os\.(?:environ|getenv)\b/,
  /(?:^|\W)(?:getenv|env|ENV|secrets|vars|inputs)[.[(]/,
  /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/, // dotted identifiers: config.apiKey, this.token
  /^[A-Za-z_$][\w$]*\(/, // function calls
];

/** A reference to where the value lives (`${{ secrets.X }}`, `${VAR}`, `process.env.X`), not a value. */
export function isReference(value: string): boolean {
  return REFERENCE_PATTERNS.some((re) => re.test(value));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Lockfile / SRI integrity strings (`sha512-...`). */
export function isIntegrity(value: string): boolean {
  return /^sha(?:1|224|256|384|512)-[A-Za-z0-9+/]{20,}={0,2}$/.test(value);
}

/** Hex digests: SHA-1, SHA-256, SHA-512 lengths always; 32-hex (MD5-sized) only under a hash-like name. */
export function isHash(value: string, name: string): boolean {
  if (/^[a-f0-9]{40}$|^[a-f0-9]{64}$|^[a-f0-9]{96}$|^[a-f0-9]{128}$/i.test(value)) return true;
  if (/^[a-f0-9]{32}$/i.test(value) && /hash|sum|digest|sha|md5|etag|commit|rev|integrity|checksum/i.test(name)) return true;
  return false;
}

/** Public material: public keys, certificates, publishable (client-side) keys. */
export function isPublicMaterial(value: string, name: string): boolean {
  if (/^-----BEGIN (?:RSA |EC |OPENSSH |PGP )?(?:PUBLIC KEY|CERTIFICATE)/.test(value)) return true;
  if (/^(?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-\S+|sk-ssh-ed25519@openssh\.com) AAAA/.test(value)) return true;
  if (/^pk_(?:live|test)_/.test(value)) return true;
  if (/public|publishable|pub[_-]?key|cert(?:ificate)?\b/i.test(name)) return true;
  return false;
}

/** Names that look secret but label something else (`token_type`, `password_field`, `secret_name`). */
const NAME_STOP_SUFFIX =
  /(?:^|[_.-]|[a-z])(?:path|file|filename|dir|name|url|uri|type|types|id|ids|length|len|count|field|label|header|prefix|suffix|regex|pattern|env|var|placeholder|hint|policy|rule|rules|ttl|expiry|expires|expiration|endpoint|format|mode|kind|index|size|min|max|version|schema|provider|validator|store|manager|service|helper|getter|setter)$/i;
const NAME_STOP_WORDS = /tokeni[sz]|tokens$|^token$|nextToken|pageToken|csrf|xsrf|cancel(?:lation)?Token|continuation/i;

export function isNonSecretName(name: string): boolean {
  return NAME_STOP_SUFFIX.test(name) || NAME_STOP_WORDS.test(name);
}

/** Words that show a value is prose or a label, not a credential. */
const VALUE_STOP_WORDS = /password|passwd|secret|token|apikey|api_key|credential|bearer|basic|null|undefined|none|true|false|test|todo/i;

/** Filters for generic (name = value) findings. Returns the reason when the value is not a secret. */
export function genericRejectReason(value: string, name: string, minEntropy: number): string | undefined {
  if (value.length < 8) return 'short';
  if (isPlaceholder(value)) return 'placeholder';
  if (isReference(value)) return 'reference';
  if (isUuid(value)) return 'uuid';
  if (isIntegrity(value)) return 'integrity';
  if (isHash(value, name)) return 'hash';
  if (isPublicMaterial(value, name)) return 'public';
  if (isNonSecretName(name)) return 'name';
  if (VALUE_STOP_WORDS.test(value)) return 'stopword';
  // Identifiers, labels and kebab/snake words, optionally wrapped in punctuation ("?NoLineTerminatorHere", "same-origin").
  if (/^[^A-Za-z0-9]?[A-Za-z]+(?:[-_.:/ ][A-Za-z]+)*[^A-Za-z0-9]?$/.test(value)) return 'word';
  if (/^[\d.:/-]+$/.test(value)) return 'numeric';
  if (/^(?:https?|file|wss?):\/\//.test(value)) return 'url';
  if (/^[./~]|\.(?:js|ts|json|ya?ml|txt|pem|key|crt|html?|css|png|svg)$/i.test(value)) return 'path';
  if (characterClasses(value) < 2) return 'classes';
  if (shannonEntropy(value) < minEntropy) return 'entropy';
  return undefined;
}
