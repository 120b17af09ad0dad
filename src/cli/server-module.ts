/**
 * The server package as the CLI uses it (`ass init`, `ass server`, `ass rekey`), loaded lazily so
 * that commands talking to a remote vault do not load the server code.
 */
export type ServerModule = typeof import('../server/index.js');

export async function loadServer(): Promise<ServerModule> {
  return import('../server/index.js');
}
