/**
 * Pulumi Kubernetes type tokens ⇄ apiVersion/kind: `kubernetes:apps/v1:Deployment`,
 * `kubernetes:core/v1:Pod` (group "core" is the core group), and the `*Patch` variants
 * (`kubernetes:core/v1:NamespacePatch`), which must be checked too or labels can be patched away.
 */
export interface KubeType {
  readonly apiVersion: string;
  readonly kind: string;
  readonly patch: boolean;
}

const TOKEN = /^kubernetes:([^/:]+)\/([^:]+):([A-Za-z0-9]+)$/;

export function parseTypeToken(token: string): KubeType | undefined {
  const m = TOKEN.exec(token);
  if (!m) return undefined;
  const [, group, version, rawKind] = m as unknown as [string, string, string, string];
  // Component resources and other non-object tokens of the provider (helm, yaml, kustomize).
  if (["helm.sh", "yaml", "kustomize"].includes(group)) return undefined;
  const patch = rawKind.endsWith("Patch");
  const kind = patch ? rawKind.slice(0, -"Patch".length) : rawKind;
  if (kind.endsWith("List")) return undefined;
  return { apiVersion: group === "core" ? version : `${group}/${version}`, kind, patch };
}

/** Every type token (object and patch) under which a kind can reach a policy. */
export function typeTokens(apiVersions: readonly string[], kind: string): string[] {
  return apiVersions.flatMap((av) => {
    const [group, version] = av.includes("/") ? (av.split("/") as [string, string]) : ["core", av];
    const base = `kubernetes:${group}/${version}:${kind}`;
    return [base, `${base}Patch`];
  });
}
