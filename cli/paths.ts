import * as fs from "node:fs";
import * as path from "node:path";

/** The package's name on the registry (the bin stays `palisade`). */
export const PACKAGE_NAME = "palisade-k8s";

/** The repository root: the nearest folder above this module whose package.json is Palisade's (works from src and dist). */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg)) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, "utf8")) as { name?: string }).name === PACKAGE_NAME) return dir;
      } catch {
        // keep looking upwards
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(__dirname, "..");
    dir = parent;
  }
}
