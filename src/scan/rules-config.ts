/**
 * Credentials in connection strings and configuration syntax (JDBC, ADO.NET / SQL Server, libpq,
 * service URLs, `.netrc`), and key files the PEM rules do not cover (WireGuard, OpenVPN static
 * keys, SSH2 private keys). Password-bearing syntaxes are `generic`: their values get the
 * placeholder, reference and entropy filters of the generic rules.
 */
import type { Rule } from './rules.js';
import { b64, custom } from './rules-helpers.js';

/** Schemes whose URLs carry `user:password@host` (http, https and database schemes have rules of their own). */
const URL_SCHEMES = [
  'ftp',
  'ftps',
  'sftp',
  'smtp',
  'smtps',
  'imap',
  'imaps',
  'pop3',
  'pop3s',
  'ssh',
  'ldap',
  'ldaps',
  'nats',
  'mqtt',
  'mqtts',
  'ws',
  'wss',
  'svn',
  'git',
  'rsync',
  'socks5',
  'socks5h',
  'influxdb',
  'neo4j',
  'bolt',
  'couchdb',
  'snowflake',
  'oracle',
  'db2',
  'kafka',
  'memcached',
  'cassandra',
] as const;

export const DATABASE_RULES: readonly Rule[] = [
  custom({
    id: 'jdbc-connection-string',
    description: 'JDBC URL with a password property (password=, pwd=)',
    provider: 'Database',
    severity: 'critical',
    keywords: ['jdbc:'],
    pattern: /jdbc:[^\s"'<>`]{0,300}?[;?&:](?:password|pwd)=([^\s;&"'<>`]{4,128})/i,
    generic: true,
  }),
  custom({
    id: 'oracle-jdbc-thin-credentials',
    description: 'Oracle JDBC thin or OCI URL with user/password@',
    provider: 'Database',
    severity: 'critical',
    keywords: ['jdbc:oracle:'],
    pattern: /jdbc:oracle:(?:thin|oci):[A-Za-z0-9_$#]{1,64}\/([^@\s"'<>`/]{4,128})@/,
    generic: true,
  }),
  custom({
    id: 'sqlserver-connection-string',
    description: 'SQL Server / ADO.NET / ODBC connection string with a password (Server=...;Password=...)',
    provider: 'Database',
    severity: 'critical',
    keywords: ['password', 'pwd'],
    pattern:
      /(?<![A-Za-z0-9_])(?:server|data source|address|addr|network address|host)[ \t]{0,4}=[^;"'\r\n]{1,200};[^"'\r\n]{0,400}?(?<=[;\s])(?:password|pwd)[ \t]{0,4}=([^;"'\s]{4,128})/i,
    generic: true,
  }),
  custom({
    id: 'postgres-dsn-password',
    description: 'libpq / keyword-value database DSN with a password (host=... password=...)',
    provider: 'Database',
    severity: 'critical',
    keywords: ['password='],
    pattern: /(?<![A-Za-z0-9_])(?:host|hostaddr|dbname)=[^\s'"]{1,255}[ \t][^'"\r\n]{0,300}?(?<=[ \t])password=([^\s'"]{4,128})/,
    generic: true,
  }),
  custom({
    id: 'service-url-credentials',
    description: 'Password in an ftp, sftp, smtp, imap, ssh, ldap, mqtt, git or other service URL',
    provider: 'Generic',
    severity: 'high',
    keywords: URL_SCHEMES.map((s) => `${s}://`),
    pattern: new RegExp(
      String.raw`(?<![A-Za-z0-9+.-])(?:${URL_SCHEMES.join('|')}):\/\/[^:@/\s'"\x60]{1,64}:([^@/\s'"\x60]{4,128})@[A-Za-z0-9._\-[\]]{1,255}`,
      'i',
    ),
    generic: true,
  }),
  custom({
    id: 'netrc-password',
    description: 'Password in .netrc syntax (machine ... login ... password ...)',
    provider: 'Generic',
    severity: 'high',
    keywords: ['machine'],
    pattern:
      /(?<![A-Za-z0-9_])machine[ \t]{1,8}[^\s]{1,255}[ \t\r\n]{1,8}login[ \t]{1,8}[^\s]{1,255}[ \t\r\n]{1,8}password[ \t]{1,8}([^\s]{4,255})/,
    multiline: true,
    generic: true,
  }),
];

export const PRIVATE_KEY_RULES: readonly Rule[] = [
  custom({
    id: 'wireguard-private-key',
    description: 'WireGuard private key in an interface configuration',
    provider: 'WireGuard',
    severity: 'critical',
    keywords: ['privatekey'],
    pattern: /(?<![A-Za-z0-9_])PrivateKey[ \t]{0,4}=[ \t]{0,4}([A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=)(?![A-Za-z0-9+/=])/,
    validate: (k) => b64(k)?.length === 32,
    minEntropy: 4,
  }),
  custom({
    id: 'openvpn-static-key',
    description: 'OpenVPN static key (tls-auth / tls-crypt)',
    provider: 'OpenVPN',
    severity: 'critical',
    keywords: ['-----begin openvpn static key'],
    pattern: /-----BEGIN OpenVPN Static key V1-----\r?\n([0-9a-f\r\n]{500,700})-----END OpenVPN Static key V1-----/,
    multiline: true,
    validate: (body) => body.replace(/\s/g, '').length === 512,
  }),
  custom({
    id: 'ssh2-private-key',
    description: 'SSH2 (ssh.com / Tectia) private key',
    provider: 'SSH',
    severity: 'critical',
    keywords: ['---- begin ssh2 encrypted private key ----'],
    // The header line, up to two "Name: value" lines, then the first two lines of the body: a
    // bounded match at each header, without searching ahead for the END line.
    pattern:
      /---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\r?\n(?:[A-Za-z-]{1,40}: [^\r\n]{0,200}\r?\n)?(?:[A-Za-z-]{1,40}: [^\r\n]{0,200}\r?\n)?([A-Za-z0-9+/]{60,80}\r?\n[A-Za-z0-9+/=]{20,80})/,
    multiline: true,
    minEntropy: 4,
  }),
];
