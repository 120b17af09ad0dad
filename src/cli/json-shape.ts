/**
 * What `--json` prints, described from the route's response schema rather than by hand, so a
 * command's help cannot drift from the API it prints.
 */
import { z } from 'zod';
import type { RouteDef } from '../api/define.js';
import { API, type RouteName } from '../api/routes.js';

type Js = { type?: string; properties?: Record<string, Js>; required?: string[]; items?: Js; anyOf?: Js[]; oneOf?: Js[] };

/** `{users: [{id, name, role, createdAt, revokedAt}]}`: keys only, nested objects and lists kept. */
function shape(js: Js): string {
  const options = js.anyOf ?? js.oneOf;
  if (options) {
    const shown = options.map(shape).filter((s) => s !== '');
    return shown.join(' | ');
  }
  if (js.type === 'array' && js.items) {
    const inner = shape(js.items);
    return inner ? `[${inner}]` : '';
  }
  if (js.type === 'object' && js.properties) {
    const required = new Set(js.required ?? []);
    const keys = Object.entries(js.properties).map(([k, v]) => {
      const inner = shape(v);
      return `${k}${required.has(k) ? '' : '?'}${inner ? `: ${inner}` : ''}`;
    });
    return `{${keys.join(', ')}}`;
  }
  return '';
}

/** The `--json` line of a command's help: the route's answer, by its schema. */
export function jsonHelp(route: RouteName): string {
  const def = API[route] as RouteDef;
  const js = z.toJSONSchema(def.response, { io: 'output', unrepresentable: 'any' }) as Js;
  return `  --json   print the answer of ${def.method} ${def.path} (docs/api.md): ${shape(js)}`;
}
