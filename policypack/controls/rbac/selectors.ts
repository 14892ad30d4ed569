/**
 * Label selection for ClusterRole aggregation: metav1.LabelSelector semantics and the
 * aggregationRule's selectors.
 */
import { arr, dig, isRecord, rec, str, strings } from "../../engine/access";
import type { KubeObject } from "../../engine/types";

/** metav1.LabelSelector semantics; an empty selector selects everything. Unknown operators select nothing. */
export function selectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (!isRecord(selector)) return false;
  const matchLabels = rec(selector["matchLabels"]) ?? {};
  for (const [k, v] of Object.entries(matchLabels)) if (labels[k] !== v) return false;
  for (const e of arr(selector["matchExpressions"])) {
    const key = str(dig(e, "key"));
    const operator = str(dig(e, "operator"));
    const values = strings(dig(e, "values"));
    if (key === undefined) return false;
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    const value = labels[key];
    switch (operator) {
      case "In":
        if (!has || value === undefined || !values.includes(value)) return false;
        break;
      case "NotIn":
        if (has && value !== undefined && values.includes(value)) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** The clusterRoleSelectors of a ClusterRole's aggregationRule (undefined when it has none). */
export function aggregationSelectors(object: KubeObject): readonly unknown[] | undefined {
  const rule = object["aggregationRule"];
  if (!isRecord(rule)) return undefined;
  return arr(rule["clusterRoleSelectors"]);
}
