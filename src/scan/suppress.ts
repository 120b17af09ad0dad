/**
 * Block suppression comments: `ass:disable` ... `ass:enable`, and secretlint's
 * `secretlint-disable` ... `secretlint-enable`, each optionally naming rules. Without names a block
 * switches off every rule; with names, only those. Our rule ids are taken as they are; secretlint's
 * (`@secretlint/secretlint-rule-aws`) are mapped to the rules for the same provider, so a file
 * written for secretlint keeps its meaning. A `disable` with no `enable` after it lasts to the end
 * of the text.
 *
 * The line forms (`ass:allow`, `gitleaks:allow`, `secretlint-disable-line`, `pragma: allowlist
 * secret`, `trufflehog:ignore`, and the next-line forms) are checked per finding in engine.ts.
 */

/** secretlint rule names whose rules do not share their prefix with ours. */
const SECRETLINT_ALIASES: Readonly<Record<string, RegExp>> = {
  privatekey:
    /^(?:private-key|openssh-private-key|pgp-private-key|putty-private-key|ssh2-private-key|kubeconfig-client-key|gcp-service-account-key)$/,
  'secp256k1-privatekey': /^(?:private-key)$/,
  basicauth: /^(?:url-credentials|service-url-credentials)$/,
  gcp: /^(?:gcp-|google-)/,
  '1password': /^onepassword-/,
  'database-connection-string':
    /^(?:database-connection-string|jdbc-connection-string|oracle-jdbc-thin-credentials|sqlserver-connection-string|postgres-dsn-password)$/,
  'hashicorp-vault': /^vault-/,
  npm: /^(?:npm-|npmrc-)/,
};

/** The rules a name in a directive covers: `true` for all of them. */
function covers(name: string): true | ((ruleId: string) => boolean) {
  const m = /^@secretlint\/secretlint-rule-(.+)$/.exec(name);
  if (!m) return (id) => id === name;
  const short = m[1]!;
  if (short.startsWith('preset-')) return true;
  const alias = SECRETLINT_ALIASES[short];
  if (alias) return (id) => alias.test(id);
  return (id) => id === short || id.startsWith(`${short}-`);
}

interface State {
  all: boolean;
  /** Names switched on again inside an all-rules block. */
  except: readonly string[];
  /** Names switched off outside an all-rules block. */
  only: readonly string[];
}

const DIRECTIVE = /(?:secretlint-|ass:)(disable|enable)(?![\w-])([^\r\n]*)/g;

/** Rule names after a directive, up to the end of the comment. */
function names(rest: string): string[] {
  const body = rest.split(/\*\/|-->|#}|%}/)[0]!;
  return body
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => /^(?:@secretlint\/[a-z0-9-]+|[a-z0-9]+(?:-[a-z0-9]+)*)$/.test(s));
}

function anyCovers(list: readonly string[], ruleId: string): boolean {
  return list.some((n) => {
    const c = covers(n);
    return c === true || c(ruleId);
  });
}

/**
 * For a text with block directives, a function that says whether a finding of `ruleId` starting at
 * `offset` is inside a block that switches its rule off; undefined when the text has none (cheap:
 * two substring searches).
 */
export function blockSuppression(text: string): ((offset: number, ruleId: string) => boolean) | undefined {
  if (!text.includes('secretlint-disable') && !text.includes('ass:disable')) return undefined;
  const changes: Array<{ at: number; state: State }> = [];
  let state: State = { all: false, except: [], only: [] };
  DIRECTIVE.lastIndex = 0;
  for (let m = DIRECTIVE.exec(text); m !== null; m = DIRECTIVE.exec(text)) {
    const listed = names(m[2]!);
    const everything = listed.length === 0 || listed.some((n) => covers(n) === true);
    if (m[1] === 'disable') {
      state = everything
        ? { all: true, except: [], only: [] }
        : { ...state, only: [...state.only, ...listed], except: state.except.filter((n) => !listed.includes(n)) };
    } else if (everything) state = { all: false, except: [], only: [] };
    else state = { ...state, except: state.all ? [...state.except, ...listed] : [], only: state.only.filter((n) => !listed.includes(n)) };
    changes.push({ at: m.index, state });
  }
  return (offset, ruleId) => {
    let s: State | undefined;
    for (const c of changes) {
      if (c.at > offset) break;
      s = c.state;
    }
    if (!s) return false;
    if (s.all) return !anyCovers(s.except, ruleId);
    return anyCovers(s.only, ruleId);
  };
}
