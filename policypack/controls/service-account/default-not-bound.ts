import { arr, isRecord, join, str } from "../../engine/access";
import type { Violation } from "../../engine/types";
import { resourceControl } from "../define";

/**
 * No RoleBinding or ClusterRoleBinding grants anything to a `default` ServiceAccount: every pod
 * that names no ServiceAccount would inherit the grant. Spelled three ways: the ServiceAccount
 * subject, its username `system:serviceaccount:<ns>:default` as a User, and the groups
 * `system:serviceaccounts` / `system:serviceaccounts:<ns>` that contain it.
 */
export const saDefaultNotBound = resourceControl({
  id: "sa-default-not-bound",
  title: "The default ServiceAccount is not bound to any role",
  family: "service-account",
  level: "hardened",
  severity: "medium",
  references: {
    catalog: "SA-004",
    nsaCisa: "Authentication and authorization › Role-based access control",
    cis: "5.1.5",
  },
  remediation:
    "Bind the role to a ServiceAccount dedicated to the workload that needs it, never to default or to the system:serviceaccounts groups.",
  kinds: ["RoleBinding", "ClusterRoleBinding"],
  cel: {
    validations: [
      {
        expression:
          "!has(object.subjects) || object.subjects.all(s, !(" +
          "(has(s.kind) && s.kind == 'ServiceAccount' && has(s.name) && s.name == 'default') || " +
          "(has(s.kind) && s.kind == 'User' && has(s.name) && s.name.matches('^system:serviceaccount:[^:]+:default$')) || " +
          "(has(s.kind) && s.kind == 'Group' && has(s.name) && (s.name == 'system:serviceaccounts' || s.name.startsWith('system:serviceaccounts:')))))",
      },
    ],
  },
  check(object) {
    const out: Violation[] = [];
    arr(object["subjects"]).forEach((s, i) => {
      if (!isRecord(s)) return;
      const kind = str(s["kind"]);
      const name = str(s["name"]) ?? "";
      const path = join("subjects", i);
      if (kind === "ServiceAccount" && name === "default") {
        const ns = str(s["namespace"]);
        out.push({
          message: `subjects[${i}] is the default ServiceAccount${ns !== undefined ? ` of namespace ${JSON.stringify(ns)}` : ""}`,
          path,
        });
      } else if (kind === "User" && /^system:serviceaccount:[^:]+:default$/.test(name)) {
        out.push({ message: `subjects[${i}] is User ${JSON.stringify(name)}, a default ServiceAccount`, path });
      } else if (
        kind === "Group" &&
        (name === "system:serviceaccounts" || name.startsWith("system:serviceaccounts:"))
      ) {
        out.push({
          message: `subjects[${i}] is Group ${JSON.stringify(name)}, which includes the default ServiceAccount${name === "system:serviceaccounts" ? " of every namespace" : ""}`,
          path,
        });
      }
    });
    return out;
  },
});
