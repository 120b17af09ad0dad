/**
 * The HTTP API reference, rendered from the declarations: docs/api.md and the route table in the
 * README. Pure functions of src/api/routes.ts, src/core/errors.ts and src/core/model.ts, so the
 * reference cannot say what the server does not do. `npm run docs:api` (scripts/api-docs.mjs)
 * writes the files; test/api/docs.test.ts fails when a committed copy differs from a fresh render.
 *
 * Shapes come from zod's own JSON Schema export (`z.toJSONSchema`): request parts as the client
 * sends them (`io: 'input'`, so codecs and transforms show their wire form), responses as the
 * server sends them (`io: 'output'`). They are printed as compact TypeScript-like types, never as
 * raw JSON Schema. Object schemas exported from schemas.ts are named types, printed once.
 */
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode, EXIT } from '../core/errors.js';
import { AUDIT_EVENTS, type AuditEvent, ROLES } from '../core/model.js';
import type { Access, RouteDef } from './define.js';
import { API, type RouteName } from './routes.js';
import * as schemas from './schemas.js';

/** The README's generated route table sits between these lines. */
export const README_TABLE_BEGIN = '<!-- api-table:begin -->';
export const README_TABLE_END = '<!-- api-table:end -->';

/** What each error code means, for the error table. A code added to ERROR_CODES fails to compile until it is described here. */
const ERROR_MEANINGS: Record<ErrorCode, string> = {
  invalid_input: 'the request was malformed; the message names the field and the fix',
  invalid_path: 'a secret path breaks the path rules',
  invalid_scope: 'a scope does not parse',
  unauthenticated: 'no credential, or one the vault does not know',
  denied: 'this kind of credential or role may not do this, or an agent asked for scopes beyond its own',
  scope_missing:
    "the token's scopes do not cover the path (or, on an audit route, do not include `audit:read`); `details.missingScope` names the scope",
  ip_not_allowed: "the client address is outside the token's allowlist",
  token_exhausted: 'the token has no uses left',
  token_expired: 'the token has expired',
  token_revoked: 'the token was revoked',
  oidc_rejected: "the CI OIDC token failed a check of the agent's trust policy; the message names it",
  not_found: 'no such route, secret, version, agent, user or token',
  conflict:
    '`expectedVersion` did not match or another write won, the name is taken, the thing is already revoked, or the last active admin would be revoked',
  payload_too_large: 'the request body or the secret value is over its limit',
  approval_required:
    'not an error: the request touches a secret whose approval policy wants a human yes (HTTP 202). The body carries the pending request (`approvalId`, `paths`, `approvers`, `expiresAt`, `approveCommand`); collect what it asked for with `POST /v1/approvals/{id}/collect` once approved',
  approval_denied: 'an approver denied the approval request; the message carries their reason',
  approval_expired: 'the approval request reached its timeout before it was approved, or was approved but not collected in time',
  rate_limited:
    "the credential used up its reads or exchanges per minute (`--rate-reads`, `--rate-exchanges`); retry after `Retry-After` seconds (also the client's name for a bare `429`)",
  locked_out:
    'the credential failed, and its address or credential id is locked out after repeated failed checks; a valid credential is still served. `Retry-After` says when the lockout ends',
  audit_unavailable: 'the audit record could not be written, so nothing was changed or released',
  unavailable: "the vault, its store or the network cannot be reached (the client's name for a failed connection or a bare `503`)",
  key_unavailable: 'a master key the data needs is missing (see `ass rekey`)',
  integrity_failed: 'a stored record failed its integrity check (the database was changed outside the vault); it is not used',
  internal: 'a fault in the vault; the message has a request id to quote to the operator',
};

/**
 * Audit events that no route declares, and facts about declared ones that the declarations do not
 * carry. An event that is neither declared by a route nor described here stops the render.
 */
const EVENT_NOTES: Partial<Record<AuditEvent, string>> = {
  'vault.init': 'the operator created the vault (`ass init`)',
  'vault.rekey': 'the operator resealed every secret under a new master key (`ass rekey`)',
  'vault.migrate': 'the operator upgraded the store to a newer schema (`ass migrate`)',
  'secret.read': 'also one record per secret that a batch read releases',
  'approval.request':
    'a token request, an OIDC exchange or a read was held for approval: recorded with the held request (whose own record has status `pending`)',
  'approval.expire': 'an approval request reached its timeout (recorded by the vault when it notices, or by the request that found it)',
  'auth.lockout':
    'an address or credential id was locked out after repeated failed credential checks; recorded once, with the request that began it (any route)',
  'request.invalid': 'recorded by earlier versions for a request refused before its route was known; still queryable',
};

// ---------------------------------------------------------------------------------------------
// JSON Schema → TypeScript-like shapes

/** The subset of JSON Schema that zod emits for this API. */
interface Js {
  type?: string | string[];
  properties?: Record<string, Js>;
  required?: string[];
  additionalProperties?: boolean | Js;
  items?: Js;
  anyOf?: Js[];
  oneOf?: Js[];
  enum?: unknown[];
  const?: unknown;
  $ref?: string;
  $defs?: Record<string, Js>;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  description?: string;
}

/** A rendered type: `text` may span lines; `notes` are printed as a comment beside it. */
interface Shape {
  text: string;
  notes: string[];
}

/** Named types: the object schemas schemas.ts exports, by their export name. */
const NAMES = z.registry<{ id: string }>();
for (const [name, exported] of Object.entries(schemas)) {
  const value: unknown = typeof exported === 'function' && 'lazySchema' in exported ? (exported as () => unknown)() : exported;
  if (value instanceof z.ZodObject || value instanceof z.ZodDiscriminatedUnion) NAMES.add(value, { id: name });
}

type Io = 'input' | 'output';

/**
 * `z.toJSONSchema` with the named types as `$ref`s. A custom metadata registry hides the global
 * one, where `.describe()` puts descriptions, so they are copied back in.
 */
function toJson(schema: z.ZodType, io: Io, unrepresentable: 'throw' | 'any' = 'throw'): Js {
  return z.toJSONSchema(schema, {
    io,
    metadata: NAMES,
    unrepresentable,
    override: (ctx) => {
      const description = z.globalRegistry.get(ctx.zodSchema)?.description;
      if (description) ctx.jsonSchema.description = description;
    },
  }) as Js;
}

const literal = (v: unknown) => (typeof v === 'string' ? `'${v}'` : String(v));

function range(min: number | undefined, max: number | undefined, unit = ''): string | undefined {
  const u = unit ? ` ${unit}` : '';
  if (min !== undefined && max !== undefined) return min === max ? `${min}${u}` : `${min}–${max}${u}`;
  if (max !== undefined) return `≤ ${max}${u}`;
  if (min !== undefined) return `≥ ${min}${u}`;
  return undefined;
}

const isMultiline = (s: Shape) => s.text.includes('\n');

function union(parts: Shape[]): Shape {
  const notes = [...new Set(parts.flatMap((p) => p.notes))];
  const text = parts.some(isMultiline) ? parts.map((p) => p.text).join('\n| ') : parts.map((p) => p.text).join(' | ');
  return { text, notes };
}

function render(js: Js, refs: Set<string>): Shape {
  const described = (shape: Shape): Shape => (js.description ? { text: shape.text, notes: [js.description, ...shape.notes] } : shape);
  if (js.$ref) {
    const name = js.$ref.replace('#/$defs/', '');
    refs.add(name);
    return described({ text: name, notes: [] });
  }
  const alternatives = js.anyOf ?? js.oneOf;
  if (alternatives) return described(union(alternatives.map((a) => render(a, refs))));
  if (js.const !== undefined) return described({ text: literal(js.const), notes: [] });
  if (js.enum) return described({ text: js.enum.map(literal).join(' | '), notes: [] });
  if (Array.isArray(js.type)) return described(union(js.type.map((type) => render({ ...js, type, description: undefined }, refs))));
  switch (js.type) {
    case 'string': {
      const notes: string[] = [];
      if (js.format) notes.push(js.format === 'date-time' ? 'ISO 8601 time, UTC' : js.format);
      const length = js.minLength === 1 && js.maxLength === undefined ? 'not empty' : range(js.minLength, js.maxLength, 'chars');
      if (length) notes.push(length);
      // A description says in words what a pattern says in regex (and zod adds one to formats).
      if (js.pattern && !js.format && !js.description) notes.push(`matches /${js.pattern}/`);
      return described({ text: 'string', notes });
    }
    case 'integer':
    case 'number': {
      // zod bounds every int() by the safe-integer range; only real limits are worth printing.
      const min = js.minimum === Number.MIN_SAFE_INTEGER ? undefined : js.minimum;
      const max = js.maximum === Number.MAX_SAFE_INTEGER ? undefined : js.maximum;
      const r = range(min, max);
      return described({ text: js.type, notes: r ? [r] : [] });
    }
    case 'boolean':
    case 'null':
      return described({ text: js.type, notes: [] });
    case 'array': {
      const item = js.items ? render(js.items, refs) : { text: 'unknown', notes: [] };
      const text = item.text.includes(' | ') && !isMultiline(item) ? `(${item.text})[]` : `${item.text}[]`;
      const count = range(js.minItems, js.maxItems, 'items');
      const each = isMultiline(item) || item.notes.length === 0 ? [] : [`each ${item.notes.join(', ')}`];
      return described({ text, notes: [...(count ? [count] : []), ...each] });
    }
    case 'object': {
      if (!js.properties && typeof js.additionalProperties === 'object') {
        const value = render(js.additionalProperties, refs);
        return described({ text: `Record<string, ${value.text}>`, notes: value.notes.map((n) => `values ${n}`) });
      }
      return described(renderObject(js, refs));
    }
    default:
      return described({ text: 'unknown', notes: [] });
  }
}

const INLINE_WIDTH = 72;

/** An object on one line when it is short and nothing in it needs a note, otherwise one field per line with its notes as a trailing comment. */
function renderObject(js: Js, refs: Set<string>): Shape {
  const required = new Set(js.required ?? []);
  const fields = Object.entries(js.properties ?? {}).map(([key, value]) => ({
    key: required.has(key) ? key : `${key}?`,
    shape: render(value, refs),
  }));
  if (fields.length === 0) return { text: '{}', notes: [] };
  const inline = `{${fields.map((f) => `${f.key}: ${f.shape.text}`).join(', ')}}`;
  if (inline.length <= INLINE_WIDTH && fields.every((f) => f.shape.notes.length === 0 && !isMultiline(f.shape))) {
    return { text: inline, notes: [] };
  }
  const lines = ['{'];
  for (const { key, shape } of fields) {
    const comment = shape.notes.length ? `  // ${shape.notes.join('; ')}` : '';
    if (isMultiline(shape)) {
      if (comment) lines.push(`  //${comment.slice(4)}`);
      lines.push(`  ${key}: ${shape.text.replaceAll('\n', '\n  ')}`);
    } else {
      lines.push(`  ${key}: ${shape.text}${comment}`);
    }
  }
  lines.push('}');
  return { text: lines.join('\n'), notes: [] };
}

/** A shape as a fenced block, its own notes (a top-level description) as leading comments. */
function block(shape: Shape): string {
  const comments = shape.notes.map((n) => `// ${n}\n`).join('');
  return `\`\`\`ts\n${comments}${shape.text}\n\`\`\``;
}

// ---------------------------------------------------------------------------------------------
// Routes

/** Named types, as rendered, and the routes that use each. */
interface TypeTable {
  defs: Map<string, Js>;
  usedBy: Map<string, Set<RouteName>>;
}

function collectDefs(json: Js, types: TypeTable): void {
  for (const [name, def] of Object.entries(json.$defs ?? {})) {
    const known = types.defs.get(name);
    if (known && JSON.stringify(known) !== JSON.stringify(def)) {
      // One name, two shapes (a named schema with a codec, used in a request and a response): the reference would print one of them wrongly.
      throw new Error(`the named type ${name} renders differently in requests and responses; give one of them its own name`);
    }
    types.defs.set(name, def);
  }
}

function isEmpty(schema: z.ZodType): boolean {
  return schema instanceof z.ZodUndefined || (schema instanceof z.ZodObject && Object.keys(schema.shape).length === 0);
}

/**
 * Query values are text; where a parameter's schema decodes one to a number, its description
 * (unless it has one) becomes the number's range, in place of the digit pattern the text matches.
 */
function describeDecodedNumbers(schema: z.ZodType, input: Js): void {
  const out = toJson(schema, 'output', 'any');
  for (const [key, value] of Object.entries(out.properties ?? {})) {
    const field = input.properties?.[key];
    if (field?.type !== 'string' || field.description || (value.type !== 'integer' && value.type !== 'number')) continue;
    const limits = render(value, new Set()).notes;
    field.description = [value.type === 'integer' ? 'a whole number' : 'a number', ...limits].join(', ');
  }
}

interface RenderedPart {
  markdown: string;
  refs: Set<string>;
}

function renderPart(title: string, schema: z.ZodType, io: Io, types: TypeTable): RenderedPart | undefined {
  if (isEmpty(schema)) return undefined;
  let json: Js;
  let caveat = '';
  try {
    json = toJson(schema, io);
  } catch (err) {
    if (io === 'input') throw err;
    // A response transform has no JSON Schema; what the handler hands to it is the next best thing.
    json = toJson(schema, 'input', 'any');
    caveat = ' (as the server builds it, before a transform the reference cannot show)';
  }
  collectDefs(json, types);
  const refs = new Set<string>();
  if (json.$ref && !json.description) {
    const name = json.$ref.replace('#/$defs/', '');
    refs.add(name);
    return { markdown: `${title}${caveat}: ${typeLink(name)}.`, refs };
  }
  if (io === 'input') describeDecodedNumbers(schema, json);
  const shape = render(json, refs);
  const uses = refs.size ? `\n\n${[...refs].map(typeLink).join(', ')}: see [Types](#types).` : '';
  return { markdown: `${title}${caveat}:\n\n${block(shape)}${uses}`, refs };
}

/** One schema as the reference shows it (`title`, then its shape), for tests of the rendering rules. */
export function renderSchema(title: string, schema: z.ZodType, io: Io): string {
  return renderPart(title, schema, io, { defs: new Map(), usedBy: new Map() })?.markdown ?? '';
}

// ---------------------------------------------------------------------------------------------
// Access, derived from the declaration

const FIELD = Symbol('field');

/**
 * The access functions (which paths a request touches, how many uses it spends) are code, not
 * data. Rather than have each route repeat them in prose that could drift, the renderer runs them
 * on an input that records which fields they read.
 */
function recorder(path: string, reads: Set<string>): unknown {
  return new Proxy(Object.create(null), {
    get(_target, key) {
      if (key === FIELD) return path;
      if (key === Symbol.toPrimitive) return () => Number.NaN;
      if (typeof key === 'symbol') return undefined;
      const next = path ? `${path}.${key}` : key;
      reads.add(next);
      return recorder(next, reads);
    },
  });
}

type Probe = (input: never) => unknown;
/** A route's policy whatever its input type: the renderer calls its functions only with probes. */
type AnyAccess = Access<never>;

function probe(fn: Probe): { result: unknown; leaves: string[] } {
  const reads = new Set<string>();
  const result = fn(recorder('', reads) as never);
  const leaves = [...reads].filter((r) => ![...reads].some((o) => o.startsWith(`${r}.`)));
  return { result, leaves };
}

const fieldOf = (v: unknown): string | undefined =>
  v !== null && (typeof v === 'object' || typeof v === 'function') ? ((v as Record<symbol, unknown>)[FIELD] as string) : undefined;

const PART_NAMES: Record<string, string> = { params: 'path parameter', query: 'query parameter', body: 'body field' };

function fieldName(dotted: string): string {
  const [part = '', ...rest] = dotted.split('.');
  return `${PART_NAMES[part] ?? part} \`${rest.join('.')}\``;
}

/** What `paths` or `prefixes` names: "the path parameter `path`", "each entry of body field `paths`". */
function targets(fn: Probe): string[] {
  const { result } = probe(fn);
  const one = (v: unknown) => {
    const f = fieldOf(v);
    return f ? `the ${fieldName(f)}` : `\`${String(v)}\``;
  };
  if (Array.isArray(result)) return result.map(one);
  const f = fieldOf(result);
  return [f ? `each entry of the ${fieldName(f)}` : String(result)];
}

function setIn(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let cur = target;
  for (const k of keys.slice(0, -1)) {
    cur[k] ??= {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[keys.at(-1) as string] = value;
}

/** Token uses a request spends: a number, or "one per entry of …" when the function is exactly that. */
function usesText(uses: NonNullable<AnyAccess['uses']>): string {
  if (typeof uses === 'number') return `${uses} per request`;
  const { leaves } = probe(uses);
  const arrays = leaves.filter((l) => l.endsWith('.length')).map((l) => l.slice(0, -'.length'.length));
  if (arrays.length === leaves.length && arrays.length > 0) {
    // Check the claim on two inputs before printing it.
    const agrees = [1, 2].every((trial) => {
      const input: Record<string, unknown> = { params: {}, query: {}, body: {} };
      let total = 0;
      arrays.forEach((a, i) => {
        const n = trial * 3 + i;
        total += n;
        setIn(
          input,
          a,
          Array.from({ length: n }, () => 'x'),
        );
      });
      return uses(input as never) === total;
    });
    if (agrees) return `one per entry of the ${arrays.map(fieldName).join(' and the ')}`;
  }
  return `depends on the ${leaves.map(fieldName).join(', ')} (see src/api/routes.ts)`;
}

function roleList(roles: readonly string[]): string {
  const quoted = roles.map((r) => `\`${r}\``);
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}` : (quoted[0] ?? '');
}

function tokenClause(access: AnyAccess): string {
  if (access.audit) return 'scoped and pipeline tokens with the `audit:read` scope (no `secrets:…` scope opens the audit log)';
  const s = access.secret;
  if (!s) return 'scoped and pipeline tokens';
  const scope = `a \`secrets:${s.verb}:…\` scope`;
  if (s.filter) return `scoped and pipeline tokens with any \`secrets:${s.verb}:…\` scope; the answer shows only what its scopes cover`;
  const covers: string[] = [];
  if (s.paths) covers.push(`covering ${targets(s.paths).join(' and ')}`);
  if (s.prefixes) covers.push(`covering everything below ${targets(s.prefixes).join(' and ')}`);
  return `scoped and pipeline tokens with ${scope} ${covers.join(', and one ')}`;
}

/** Who may call the route, in full. */
function whoText(access: AnyAccess): string {
  if (access.anonymous) return 'anyone; no credential needed';
  const who: string[] = [];
  if (access.users)
    who.push(access.users.length === ROLES.length ? 'users of every role' : `users with the ${roleList(access.users)} role`);
  if (access.agent) who.push('agent keys');
  if (access.tokens) who.push(tokenClause(access));
  return who.join('; ');
}

/** Who may call the route, for the index table. */
function whoShort(access: AnyAccess): string {
  if (access.anonymous) return 'anyone';
  if (access.users?.length === ROLES.length && access.agent && access.tokens) return 'any credential';
  const who: string[] = [];
  if (access.users) who.push(...access.users);
  if (access.agent) who.push('agent key');
  if (access.tokens) {
    who.push(
      access.audit
        ? 'token with `audit:read`'
        : access.secret
          ? `token with \`secrets:${access.secret.verb}\``
          : 'scoped or pipeline token',
    );
  }
  return who.join(', ');
}

// ---------------------------------------------------------------------------------------------
// Markdown

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

const routeHeading = (def: RouteDef) => `\`${def.method} ${def.path}\``;
const typeLink = (name: string) => `[\`${name}\`](#${slug(name)})`;
const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

const ROUTES = Object.entries(API) as [RouteName, RouteDef][];

/**
 * The route table: method and path, who may call, summary. `base` prefixes the links
 * (`docs/api.md` from the README, nothing inside the reference).
 */
export function renderRouteTable(base = ''): string {
  const rows = ROUTES.map(
    ([, def]) => `| [${routeHeading(def)}](${base}#${slug(routeHeading(def))}) | ${cell(whoShort(def.access))} | ${cell(def.summary)} |`,
  );
  return ['| route | who | what |', '| --- | --- | --- |', ...rows].join('\n');
}

function renderRoute(def: RouteDef, types: TypeTable, name: RouteName): string {
  const access: AnyAccess = def.access;
  const facts = [`- **Who:** ${whoText(access)}.`];
  if (access.tokens && access.uses) facts.push(`- **Token uses:** ${usesText(access.uses)}.`);
  const event = def.event ? `\`${def.event}\`` : 'none (not audited)';
  const withoutAudit = def.answersWithoutAudit ? '; answers even when its audit record cannot be written' : '';
  const broken = def.servesBrokenLog ? '; served while the log is broken (every other route is refused then)' : '';
  facts.push(`- **Audit event:** ${event}${withoutAudit}${broken}.`);
  facts.push(`- **Success:** \`${def.status}\`, JSON${def.text ? ` (or \`${def.text}\`)` : ''}.`);

  const parts = [
    renderPart('Path parameters', def.params, 'input', types),
    renderPart('Query parameters', def.query, 'input', types),
    renderPart('Request body', def.body, 'input', types),
    renderPart('Response', def.response, 'output', types),
  ].filter((p): p is RenderedPart => p !== undefined);
  for (const p of parts) {
    for (const ref of p.refs) {
      const users = types.usedBy.get(ref) ?? new Set<RouteName>();
      users.add(name);
      types.usedBy.set(ref, users);
    }
  }
  return [`### ${routeHeading(def)}`, def.summary, facts.join('\n'), ...parts.map((p) => p.markdown)].join('\n\n');
}

function renderTypes(types: TypeTable): string {
  const sections: string[] = [];
  // Named types reached only through other named types get their own section too.
  for (const name of [...types.defs.keys()].sort()) {
    const def = types.defs.get(name) as Js;
    const refs = new Set<string>();
    const shape = render(def, refs);
    const routes = [...(types.usedBy.get(name) ?? [])].map((r) => `[${routeHeading(API[r])}](#${slug(routeHeading(API[r]))})`);
    const parents = [...types.defs.entries()]
      .filter(([other, d]) => other !== name && JSON.stringify(d).includes(`"#/$defs/${name}"`))
      .map(([other]) => typeLink(other));
    const usedBy = [...routes, ...parents];
    sections.push([`### ${`\`${name}\``}`, block(shape), ...(usedBy.length ? [`Used by ${usedBy.join(', ')}.`] : [])].join('\n\n'));
  }
  return sections.join('\n\n');
}

function renderErrors(): string {
  const exitNames = Object.fromEntries(Object.entries(EXIT).map(([k, v]) => [v, k]));
  const rows = (Object.entries(ERROR_CODES) as [ErrorCode, { status: number; exit: number }][]).map(
    ([code, { status, exit }]) => `| \`${code}\` | ${status} | ${exit} (${exitNames[exit] ?? ''}) | ${cell(ERROR_MEANINGS[code])} |`,
  );
  return ['| code | HTTP status | CLI exit code | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

function renderEvents(): string {
  const rows = AUDIT_EVENTS.map((event) => {
    const routes = ROUTES.filter(([, def]) => def.event === event).map(([, def]) => `[${routeHeading(def)}](#${slug(routeHeading(def))})`);
    const note = EVENT_NOTES[event];
    if (routes.length === 0 && !note) {
      throw new Error(`the audit event ${event} belongs to no route: describe it in EVENT_NOTES (src/api/docs.ts)`);
    }
    return `| \`${event}\` | ${[routes.join(', '), note].filter(Boolean).join('; ')} |`;
  });
  return ['| event | recorded by |', '| --- | --- |', ...rows].join('\n');
}

const CONVENTIONS = `## Conventions

- **Base:** every route is under \`/v1\`; requests and answers are JSON with camelCase fields.
- **Credentials:** \`Authorization: Bearer <credential>\`: a user's token, an agent key, or a scoped
  or pipeline token (see [Concepts](../README.md#concepts) for what each is and for the scope and
  path grammar).
- **Validation:** path parameters, the query string and the body are checked against the shapes
  below before anything else happens. Unknown body fields and unknown query parameters are refused;
  query flags are \`true\` or \`false\`. A \`GET\` or \`DELETE\` ignores any body; a \`POST\` or \`PUT\`
  with an empty body is read as \`{}\`. Secret paths are checked, never normalised.
- **Answers:** each route's response shape is an allowlist: a field it does not declare never
  leaves the server. \`?\` marks an optional field, \`integer\` a JSON number without a fraction.
- **Errors:** \`{"error": {"code", "message", "requestId", "details"?}}\` with the HTTP status from
  the [error table](#errors). A message states the fix for the caller's own mistakes (4xx); for
  everything else it carries the request id and no internals. \`429\` answers carry \`Retry-After\`.
- **Headers:** every answer carries \`x-request-id\` (the same id is in its audit records) and
  \`cache-control: no-store\`.
- **Order:** validation → authentication (a guessed credential counts toward lockouts) → the
  credential's rate limit → token uses spent → authorisation → the route's work → audit → answer.
  Uses are spent before authorisation, so a refused request spends them too.
- **Audit:** every request to a route is recorded, granted or refused. If its record cannot be
  written, nothing is changed or released and the answer is \`503 audit_unavailable\`.`;

/** docs/api.md. */
export function renderApiReference(): string {
  const types: TypeTable = { defs: new Map(), usedBy: new Map() };
  const routes = ROUTES.map(([name, def]) => renderRoute(def, types, name));
  const doc = [
    '# HTTP API reference',
    '<!-- Generated by `npm run docs:api` from src/api/routes.ts, src/api/schemas.ts, src/core/errors.ts and src/core/model.ts: edit those, not this file. -->',
    CONVENTIONS,
    '## Routes',
    renderRouteTable(),
    ...routes,
    '## Types',
    'The named objects of src/api/schemas.ts that requests and answers use.',
    renderTypes(types),
    '## Errors',
    `CLI exit codes: ${Object.entries(EXIT)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')}.`,
    renderErrors(),
    '## Audit events',
    'Each record has the shape [`AuditRecord`](#auditrecord).',
    renderEvents(),
  ].join('\n\n');
  const anchors = [...doc.matchAll(/^#+ (.*)$/gm)].map((m) => slug(m[1] as string));
  const twice = anchors.find((a, i) => anchors.indexOf(a) !== i);
  if (twice) throw new Error(`two headings share the anchor #${twice}`);
  return `${doc}\n`;
}

/** `text` with everything between the marker lines replaced by `content`. */
export function replaceBetween(text: string, begin: string, end: string, content: string): string {
  const start = text.indexOf(begin);
  const stop = text.indexOf(end, start + begin.length);
  if (start === -1 || stop === -1) throw new Error(`the markers ${begin} … ${end} are missing`);
  return `${text.slice(0, start + begin.length)}\n${content}\n${text.slice(stop)}`;
}

/** The README with its route table rendered afresh. */
export function renderReadme(readme: string): string {
  return replaceBetween(readme, README_TABLE_BEGIN, README_TABLE_END, renderRouteTable('docs/api.md'));
}
