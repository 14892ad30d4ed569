import { configBoolean, configStrings } from "../../engine/control";
import type { Violation } from "../../engine/types";
import { stackControl } from "../define";
import { BINDING_KINDS, RBAC_GROUP } from "./rules";
import { describeSubject, isAllowed, serviceAccountNamespace, subjectsOf } from "./subjects";

const KINDS = ["User", "Group", "ServiceAccount"];

/**
 * RBAC-022. Every subject is well-formed and expected: kind User, Group or ServiceAccount with a
 * name; ServiceAccounts carry their namespace (a ClusterRoleBinding never defaults it, so the
 * subject matches nobody; a RoleBinding defaults it to its own, which is easy to misread) and the
 * core apiGroup; Users and Groups come from `allowedUsers`/`allowedGroups` when those are set.
 * A RoleBinding that itself names no namespace (an install file applied with `kubectl apply -n`)
 * cannot write its subjects' namespace either, and the default is exactly right there: it is not
 * reported.
 * With `requireDeclaredServiceAccounts`, a ServiceAccount subject other than `default` must be
 * declared in the stack (off by default: pre-existing ServiceAccounts are invisible to a stack).
 */
export const rbacSubjectHygiene = stackControl({
  id: "rbac-subject-hygiene",
  title: "Binding subjects are well-formed and expected",
  family: "rbac",
  level: "hardened",
  severity: "low",
  references: {
    catalog: "RBAC-022",
    nsaCisa: "Authentication and authorization › Role-based access control",
  },
  remediation:
    "Give every ServiceAccount subject its namespace, use kinds User, Group or ServiceAccount, and bind only users and groups of your identity provider's allowlist.",
  kinds: BINDING_KINDS,
  config: {
    allowedUsers: {
      type: "array",
      items: { type: "string" },
      description: "User subjects allowed in bindings; empty = any. `*` and `?` are wildcards.",
      default: [],
    },
    allowedGroups: {
      type: "array",
      items: { type: "string" },
      description: "Group subjects allowed in bindings; empty = any. `*` and `?` are wildcards.",
      default: [],
    },
    requireDeclaredServiceAccounts: {
      type: "boolean",
      description: "ServiceAccount subjects (other than `default`) must be declared in the same stack.",
      default: false,
    },
  },
  checkStack(stack, ctx) {
    const users = configStrings(ctx.config, "allowedUsers");
    const groups = configStrings(ctx.config, "allowedGroups");
    const requireDeclared = configBoolean(ctx.config, "requireDeclaredServiceAccounts") === true;
    const out: Violation[] = [];
    for (const kind of BINDING_KINDS) {
      for (const binding of stack.byKind(kind)) {
        if (stack.isPatch(binding)) continue;
        const ns = kind === "RoleBinding" ? stack.namespaceOf(binding) : undefined;
        for (const s of subjectsOf(binding)) {
          const report = (path: string, message: string): void => void out.push({ object: binding, path, message });
          if (s.kind === undefined || !KINDS.includes(s.kind)) {
            report(
              `${s.path}.kind`,
              `${s.path}.kind ${JSON.stringify(s.kind ?? "")} must be User, Group or ServiceAccount`,
            );
            continue;
          }
          if (s.name === undefined || s.name === "") {
            report(`${s.path}.name`, `${s.path} (${s.kind}) has no name`);
            continue;
          }
          const who = describeSubject(binding, s, ns);
          if (s.kind === "ServiceAccount") {
            if (s.apiGroup !== undefined && s.apiGroup !== "")
              report(
                `${s.path}.apiGroup`,
                `${s.path} (${who}) must have apiGroup "" (it has ${JSON.stringify(s.apiGroup)})`,
              );
            const namespaceless = kind === "RoleBinding" && (binding.metadata?.namespace ?? "") === "";
            if (s.namespace === undefined && !namespaceless) {
              report(
                `${s.path}.namespace`,
                kind === "ClusterRoleBinding"
                  ? `${s.path} (ServiceAccount ${JSON.stringify(s.name)}) has no namespace: in a ClusterRoleBinding it matches no ServiceAccount`
                  : `${s.path} (ServiceAccount ${JSON.stringify(s.name)}) has no namespace: it defaults to the binding's, ${JSON.stringify(ns ?? "")}; write it out`,
              );
            }
            const saNs = serviceAccountNamespace(binding, s, ns);
            if (
              requireDeclared &&
              saNs !== undefined &&
              s.name !== "default" &&
              stack.get("ServiceAccount", saNs, s.name) === undefined
            )
              report(s.path, `${who} is not declared in the stack`);
            continue;
          }
          if (s.apiGroup !== undefined && s.apiGroup !== "" && s.apiGroup !== RBAC_GROUP)
            report(`${s.path}.apiGroup`, `${s.path} (${who}) must have apiGroup "${RBAC_GROUP}"`);
          const allowlist = s.kind === "User" ? users : groups;
          if (allowlist.length > 0 && !isAllowed(allowlist, s.name))
            report(s.path, `${who} is not in allowed${s.kind}s`);
        }
      }
    }
    return out;
  },
});
