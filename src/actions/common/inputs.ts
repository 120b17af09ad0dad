/** Reading action inputs, the same way in every action. */
import { z } from 'zod';
import { isLoopbackHost } from '../../core/net.js';

const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];

/**
 * Parses a boolean input spelled as the YAML 1.2 core schema spells booleans, the set
 * `core.getBooleanInput` accepts too: `true`, `True`, `TRUE`, `false`, `False`, `FALSE`. An empty
 * value (the input left out and no default in action.yml) gives `fallback`.
 *
 * @throws Error naming the input, when the value is anything else (`yes`, `1`, `on`...)
 */
export function parseBooleanInput(name: string, value: string, fallback: boolean): boolean {
  const text = value.trim();
  if (text === '') return fallback;
  if (TRUE.includes(text)) return true;
  if (FALSE.includes(text)) return false;
  throw new Error(`Input "${name}" must be true or false, not ${JSON.stringify(text.slice(0, 40))}.`);
}

/**
 * A zod field for the input `name` that runs `parse` on its text. An error thrown by `parse`
 * becomes an issue on that input whose message names it, so one failed parse can report every
 * bad input at once.
 */
export function inputField<T>(name: string, parse: (value: string) => T) {
  return z.string().transform((value, ctx): T => {
    try {
      return parse(value);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      ctx.addIssue({ code: 'custom', message: message.startsWith('Input ') ? message : `Input "${name}": ${message}`, path: [name] });
      return z.NEVER;
    }
  });
}

/** The zod field of a boolean input; see parseBooleanInput. */
export const booleanField = (name: string, fallback: boolean) => inputField(name, (value) => parseBooleanInput(name, value, fallback));

/**
 * The vault's URL from the `url` input: required, https (plain http only to a loopback address, since
 * a credential travels over it), no credentials, query or fragment; without a trailing slash.
 */
export function parseVaultUrl(value: string): string {
  const text = value.trim();
  if (text === '') throw new Error('Input "url" is required: the vault URL, such as https://vault.example.com.');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(
      `Input "url" ${JSON.stringify(text.slice(0, 100))} is not a URL: give the vault's address, such as https://vault.example.com.`,
    );
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new Error(
      'Input "url" must use https (plain http is accepted only for a vault on a loopback address): the credentials and secrets travel over this connection.',
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new Error('Input "url" must not contain credentials, a query string or a fragment.');
  }
  return url.toString().replace(/\/+$/, '');
}
