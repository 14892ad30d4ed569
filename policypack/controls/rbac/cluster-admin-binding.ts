import { configStrings } from "../../engine/control";
import { resourceControl } from "../define";
import { celGlobMatch } from "../cel";
import { SUBJECTS_VARIABLE, WRITTEN_NAMESPACE } from "./cel";
import { BINDING_KINDS } from "./rules";
import {
  describeSubject,
  isAllowed,
  refersToClusterAdmin,
  subjectId,
  subjectsOf,
  SUBJECT_ID_FORMAT,
  writtenNamespace,
} from "./subjects";

/**
 * RBAC-004. A binding whose roleRef is ClusterRole cluster-admin may only name allowlisted
 * subjects. Decided by the subjects alone: the binding's own name exempts nothing (Polaris skips
 * bindings named `system:*`, which anyone can name theirs).
 */
export const rbacClusterAdminBinding = resourceControl({
  id: "rbac-cluster-admin-binding",
  title: "cluster-admin bound only to allowlisted subjects",
  family: "rbac",
  level: "hardened",
  severity: "critical",
  references: {
    catalog: "RBAC-004",
    nsaCisa: "Authentication and authorization › Role-based access control",
    cis: "5.1.1",
  },
  remediation:
    "Bind a role scoped to what the subject needs; keep cluster-admin for break-glass identities listed in allowedSubjects.",
  kinds: BINDING_KINDS,
  config: {
    allowedSubjects: {
      type: "array",
      items: { type: "string" },
      description: `Subjects that may hold cluster-admin (break-glass), as ${SUBJECT_ID_FORMAT}.`,
      default: [],
    },
  },
  cel: {
    variables: [
      SUBJECTS_VARIABLE,
      {
        name: "clusterAdmin",
        expression:
          "has(object.roleRef) && has(object.roleRef.kind) && object.roleRef.kind == 'ClusterRole' && has(object.roleRef.name) && object.roleRef.name == 'cluster-admin'",
      },
      {
        // subjectId: `Kind:name`, `ServiceAccount:<namespace>/<name>` (the binding's own namespace
        // for a RoleBinding subject without one, none in a ClusterRoleBinding).
        name: "ids",
        expression:
          "variables.subjects.map(s, (has(s.kind) ? s.kind : '') + ':' + (has(s.kind) && s.kind == 'ServiceAccount' ? " +
          `((has(s.namespace) && s.namespace != '') ? s.namespace : (object.kind == 'RoleBinding' ? ${WRITTEN_NAMESPACE} : '')) + '/' : '') + ` +
          "(has(s.name) ? s.name : ''))",
      },
    ],
    validations: [
      {
        expression: `!variables.clusterAdmin || variables.ids.all(id, params.spec.allowedSubjects.exists(p, p == id || ${celGlobMatch("p", "id")}))`,
        message: 'ClusterRole "cluster-admin" may be bound only to subjects in allowedSubjects',
      },
    ],
  },
  check(object, ctx) {
    if (!refersToClusterAdmin(object)) return [];
    const allowed = configStrings(ctx.config, "allowedSubjects");
    const ns = writtenNamespace(object);
    const scope = object.kind === "RoleBinding" ? `in namespace ${JSON.stringify(ns ?? "(default)")}` : "cluster-wide";
    return subjectsOf(object)
      .filter((s) => !isAllowed(allowed, subjectId(object, s, ns)))
      .map((s) => ({
        message: `${describeSubject(object, s, ns)} is bound to ClusterRole "cluster-admin" ${scope} and is not in allowedSubjects`,
        path: s.path,
      }));
  },
});
