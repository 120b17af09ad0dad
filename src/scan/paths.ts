/**
 * Path selection: default skips, user excludes (gitignore-like globs), binary detection.
 */

/** Directories never entered. */
export const DEFAULT_SKIP_DIRS: ReadonlySet<string> = new Set(['.git', 'node_modules', '.hg', '.svn']);

const BINARY_EXT =
  /\.(?:png|jpe?g|gif|bmp|ico|icns|webp|avif|tiff?|psd|heic|mp[34]|m4a|mov|avi|mkv|webm|wav|flac|ogg|pdf|zip|gz|tgz|bz2|xz|zst|7z|rar|jar|war|ear|class|dll|exe|so|dylib|a|o|obj|lib|node|wasm|woff2?|ttf|otf|eot|pyc|pyo|bin|dat|db|sqlite3?|parquet|avro|pb|onnx|pt|safetensors|glb|gltf|fbx|blend)$/i;

export function hasBinaryExtension(path: string): boolean {
  return BINARY_EXT.test(path);
}

/** A NUL byte in the first 8 KiB means binary (what git does). */
export function looksBinary(head: Uint8Array): boolean {
  const n = Math.min(head.length, 8192);
  for (let i = 0; i < n; i++) if (head[i] === 0) return true;
  return false;
}

/**
 * Compiles a gitignore-like glob: `*` within a segment, `**` across segments, `?` one character;
 * a pattern without `/` matches a file or directory name at any depth; a trailing `/` is allowed.
 */
export function globToRegExp(glob: string): RegExp {
  let g = glob.trim().replace(/\\/g, '/');
  if (g.startsWith('./')) g = g.slice(2);
  if (g.endsWith('/')) g = g.slice(0, -1);
  const anchored = g.includes('/');
  if (g.startsWith('/')) g = g.slice(1);
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i]!;
    if (c === '*') {
      if (g[i + 1] === '*') {
        const slash = g[i + 2] === '/';
        re += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // Matching a directory excludes everything below it.
  return new RegExp(`^${anchored ? '' : '(?:.*/)?'}${re}(?:/.*)?$`);
}

export class PathFilter {
  private readonly excludes: RegExp[];
  constructor(excludeGlobs: readonly string[] = []) {
    this.excludes = excludeGlobs.filter((g) => g.trim() !== '' && !g.trim().startsWith('#')).map(globToRegExp);
  }
  /** `rel` is `/`-separated and relative to the scanned directory. */
  excluded(rel: string): boolean {
    return this.excludes.some((re) => re.test(rel));
  }
}
