/**
 * The server package as the CLI uses it (`ass init`, `ass server`), loaded lazily so that commands
 * talking to a remote vault do not load the server code.
 */
import type { Logger } from '../core/logger.js';

export interface StartServerOptions {
  dataDir?: string;
  dev?: boolean;
  listen?: string;
  publicUrl?: string;
  trustedProxies?: string[];
  maxTokenTtlSeconds?: number;
  logger?: Logger;
  /** Where the server reads ASS_MASTER_KEY from. */
  env?: NodeJS.ProcessEnv;
  /** PostgreSQL connection string: the store lives there instead of DIR/vault.db. */
  databaseUrl?: string;
  databaseSchema?: string;
}

export interface RunningServer {
  url: string;
  adminToken?: string;
  close(): Promise<void>;
}

export interface ServerModule {
  initDataDir(
    dir: string,
    opts?: { masterKey?: string; env?: NodeJS.ProcessEnv; databaseUrl?: string; databaseSchema?: string },
  ): Promise<{ adminToken: string; dataDir: string }>;
  startServer(opts: StartServerOptions): Promise<RunningServer>;
}

export async function loadServer(): Promise<ServerModule> {
  return (await import('../server/index.js')) as ServerModule;
}
