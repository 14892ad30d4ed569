/**
 * The labels every emitted object carries: who manages it (`app.kubernetes.io/managed-by:
 * palisade`), which tenant it belongs to (`palisade.dev/tenant`) and the recommended
 * `app.kubernetes.io/*` labels, so the catalog's recommended-labels control passes when turned on.
 */

export const MANAGED_BY = "app.kubernetes.io/managed-by";
export const NAME = "app.kubernetes.io/name";
export const INSTANCE = "app.kubernetes.io/instance";
export const PART_OF = "app.kubernetes.io/part-of";
export const COMPONENT = "app.kubernetes.io/component";
export const VERSION = "app.kubernetes.io/version";
export const TENANT = "palisade.dev/tenant";
export const PALISADE = "palisade";

/** The immutable label the API server sets on every namespace: the one safe to select on. */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

export interface StandardLabels {
  readonly name: string;
  readonly instance: string;
  readonly partOf: string;
  readonly component?: string;
  readonly version?: string;
  readonly tenant?: string;
}

export function standardLabels(l: StandardLabels): Record<string, string> {
  const out: Record<string, string> = {
    [NAME]: l.name,
    [INSTANCE]: l.instance,
    [PART_OF]: l.partOf,
    [MANAGED_BY]: PALISADE,
  };
  if (l.component !== undefined) out[COMPONENT] = l.component;
  if (l.version !== undefined) out[VERSION] = l.version;
  if (l.tenant !== undefined) out[TENANT] = l.tenant;
  return out;
}

/** Label keys Palisade sets itself; user labels may not override them. */
export const RESERVED_LABELS: readonly string[] = [MANAGED_BY, NAME, INSTANCE, PART_OF, COMPONENT, VERSION, TENANT];
