/**
 * Effective RBAC access: who can do what, through which binding → role → rule, and who can become
 * whom (`palisade access`, tenant-access-isolation). Plain data, no I/O. See docs/access.md.
 */
export * from "./bindings";
export * from "./bootstrap";
export * from "./escalation";
export * from "./match";
export * from "./model";
export * from "./roles";
export * from "./subjects";
export * from "./tenancy";
export * from "./types";
