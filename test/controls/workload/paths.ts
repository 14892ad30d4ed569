/** Violation paths relative to the pod spec, so one expectation covers every pod-bearing kind. */
import type { ResourceControl } from "../../../policypack/engine/control";
import { podView } from "../../../policypack/engine/pod";
import { inEveryKind, runControl } from "../../helpers/objects";

export function specRelativePaths(
  control: ResourceControl,
  spec: Record<string, unknown>,
  config?: Record<string, unknown>,
): string[] {
  const results = inEveryKind(spec).map((object) => {
    const specPath = podView(object)!.specPath;
    return runControl(control, object, { config }).map((v) => {
      const path = v.path ?? "";
      expect(path.startsWith(`${specPath}.`)).toBe(true);
      return path.slice(specPath.length + 1);
    });
  });
  for (const r of results) expect(r).toEqual(results[0]);
  return results[0] ?? [];
}
