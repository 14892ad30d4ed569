/**
 * Host path arithmetic for the hostPath controls. Paths are compared after normalisation
 * (`//`, `.`, `..` and trailing slashes removed) and with /var/run folded onto /run, because
 * /var/run is a symlink to /run on every current distribution: spelling a socket path one way
 * or the other, or mounting a parent directory, must not slip past an exact-string compare.
 */
import * as posix from "node:path/posix";

const PIPE = /^(\\\\|\/\/)\.(\\|\/)pipe(\\|\/)/i;

/** The canonical form of a host path; Windows named pipes are lower-cased with backslashes. */
export function canonicalHostPath(path: string): string {
  if (PIPE.test(path)) return path.replace(/\//g, "\\").toLowerCase();
  let p = posix.normalize(path.trim());
  if (p.length > 1) p = p.replace(/\/+$/, "");
  if (p === "/var/run" || p.startsWith("/var/run/")) p = `/run${p.slice("/var/run".length)}`;
  return p;
}

/** True when `dir` is `path` itself or one of its ancestors (both canonical). */
export function containsPath(dir: string, path: string): boolean {
  if (dir === path) return true;
  if (!dir.startsWith("/") || !path.startsWith("/")) return false;
  return dir === "/" || path.startsWith(`${dir}/`);
}
