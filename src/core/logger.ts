/**
 * The small logging surface that domain code receives, so the same scanner, rotation or fetch
 * logic runs in an action (toolkit logger), the CLI (stderr) and the server (JSON lines).
 */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
}

/** A logger that drops everything (tests and library callers that want silence). */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warning() {},
  error() {},
};

/** A logger that writes human-readable lines to a stream (stderr for the CLI). */
export function streamLogger(write: (line: string) => void, options: { debug?: boolean } = {}): Logger {
  return {
    debug: (m) => {
      if (options.debug) write(`debug: ${m}\n`);
    },
    info: (m) => write(`${m}\n`),
    warning: (m) => write(`warning: ${m}\n`),
    error: (m) => write(`error: ${m}\n`),
  };
}
