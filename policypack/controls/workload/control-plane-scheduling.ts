import { arr, dig, join, rec, str } from "../../engine/access";
import { POD_KINDS } from "../../engine/pod";
import type { Violation } from "../../engine/types";
import { resourceControl } from "../define";

/** The labels (and NoSchedule taint keys) kubeadm and most distributions put on control-plane nodes. */
export const CONTROL_PLANE_KEYS: readonly string[] = [
  "node-role.kubernetes.io/control-plane",
  "node-role.kubernetes.io/master",
];

/** An operator that selects nodes carrying the label (In, Exists); NotIn/DoesNotExist keep pods away. */
const SELECTING = new Set(["In", "Exists"]);

const CP_LIST = `[${CONTROL_PLANE_KEYS.map((k) => JSON.stringify(k)).join(", ")}]`;
const SELECTING_LIST = `[${[...SELECTING].map((k) => JSON.stringify(k)).join(", ")}]`;

/** CEL: no match expression of the node selector term `term` selects a control-plane label. */
function celTermClean(term: string): string {
  return `(!has(${term}.matchExpressions) || ${term}.matchExpressions.all(e, !((has(e.key) ? e.key : '') in ${CP_LIST} && (has(e.operator) ? e.operator : '') in ${SELECTING_LIST})))`;
}

function keyPath(base: string, key: string): string {
  return `${base}[${JSON.stringify(key)}]`;
}

/**
 * Workloads stay off control-plane nodes, where etcd, the API server's keys and kubelet
 * credentials with wide access live:
 * - no toleration of the control-plane taint: a toleration naming either key, or a toleration
 *   with no key and operator Exists (which tolerates every taint) whose effect can match the
 *   NoSchedule control-plane taint (unset or NoSchedule);
 * - no nodeSelector on either label;
 * - no node affinity term (required or preferred) selecting either label with In or Exists.
 * DaemonSets that tolerate everything are flagged on purpose: exempt them by name with a reason.
 */
export const podControlPlaneScheduling = resourceControl({
  id: "pod-control-plane-scheduling",
  title: "No scheduling onto control-plane nodes",
  family: "workload",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "POD-032",
    nsaCisa: "Network separation and hardening › Worker node segmentation",
  },
  remediation:
    "Remove tolerations of node-role.kubernetes.io/control-plane (and master), catch-all `operator: Exists` tolerations, and node selectors or affinities on those labels.",
  kinds: POD_KINDS,
  cel: {
    variables: [
      {
        name: "nodeAffinity",
        expression:
          "has(variables.podSpec.affinity) && has(variables.podSpec.affinity.nodeAffinity) ? variables.podSpec.affinity.nodeAffinity : {}",
      },
    ],
    validations: [
      {
        expression:
          "!has(variables.podSpec.tolerations) || variables.podSpec.tolerations.all(t, " +
          `!((has(t.key) ? t.key : '') in ${CP_LIST}) && ` +
          "!((has(t.key) ? t.key : '') == '' && (has(t.operator) ? t.operator : 'Equal') == 'Exists' && (has(t.effect) ? t.effect : '') in ['', 'NoSchedule']))",
        message: "pod must not tolerate the control-plane taint (nor every taint)",
      },
      {
        expression: `!has(variables.podSpec.nodeSelector) || !${CP_LIST}.exists(k, k in variables.podSpec.nodeSelector)`,
        message: "pod must not select control-plane nodes with nodeSelector",
      },
      {
        expression:
          "(!has(variables.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution) || !has(variables.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms) || " +
          `variables.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms.all(term, ${celTermClean("term")})) && ` +
          "(!has(variables.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution) || " +
          `variables.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution.all(p, !has(p.preference) || ${celTermClean("p.preference")}))`,
        message: "pod must not select control-plane nodes with node affinity",
      },
    ],
  },
  check(_object, ctx) {
    const pod = ctx.pod;
    if (pod === undefined) return [];
    const out: Violation[] = [];
    const spec = pod.spec;
    arr(spec["tolerations"]).forEach((t, i) => {
      const toleration = rec(t);
      if (toleration === undefined) return;
      const key = str(toleration["key"]) ?? "";
      const operator = str(toleration["operator"]) ?? "Equal";
      const effect = str(toleration["effect"]) ?? "";
      const path = join(join(pod.specPath, "tolerations"), i);
      if (CONTROL_PLANE_KEYS.includes(key)) {
        out.push({ message: `pod must not tolerate the control-plane taint ${key}`, path });
      } else if (key === "" && operator === "Exists" && (effect === "" || effect === "NoSchedule")) {
        out.push({
          message: `pod must not tolerate every taint (toleration without key, operator Exists): that includes ${CONTROL_PLANE_KEYS[0]}`,
          path,
        });
      }
    });
    const selector = rec(spec["nodeSelector"]) ?? {};
    for (const key of CONTROL_PLANE_KEYS) {
      if (!Object.prototype.hasOwnProperty.call(selector, key)) continue;
      out.push({
        message: `pod must not select control-plane nodes with nodeSelector ${key}`,
        path: keyPath(join(pod.specPath, "nodeSelector"), key),
      });
    }
    const affinityPath = join(join(pod.specPath, "affinity"), "nodeAffinity");
    const nodeAffinity = rec(dig(spec, "affinity", "nodeAffinity"));
    const checkTerm = (term: unknown, termPath: string, kind: string): void => {
      arr(rec(term)?.["matchExpressions"]).forEach((e, j) => {
        const expression = rec(e);
        const key = str(expression?.["key"]) ?? "";
        const operator = str(expression?.["operator"]) ?? "";
        if (!CONTROL_PLANE_KEYS.includes(key) || !SELECTING.has(operator)) return;
        out.push({
          message: `pod must not ${kind} control-plane nodes with node affinity on ${key} (operator ${operator})`,
          path: join(join(termPath, "matchExpressions"), j),
        });
      });
    };
    const requiredPath = join(
      join(affinityPath, "requiredDuringSchedulingIgnoredDuringExecution"),
      "nodeSelectorTerms",
    );
    arr(dig(nodeAffinity, "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms")).forEach((term, i) =>
      checkTerm(term, join(requiredPath, i), "require"),
    );
    const preferredPath = join(affinityPath, "preferredDuringSchedulingIgnoredDuringExecution");
    arr(nodeAffinity?.["preferredDuringSchedulingIgnoredDuringExecution"]).forEach((p, i) =>
      checkTerm(rec(p)?.["preference"], join(join(preferredPath, i), "preference"), "prefer"),
    );
    return out;
  },
});
