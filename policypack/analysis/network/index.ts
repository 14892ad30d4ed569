/**
 * Network reachability: the connectivity the NetworkPolicies of an object set imply
 * (`palisade reach`, tenant-network-isolation). Plain data, no I/O. See docs/reach.md.
 */
export * from "./addresses";
export * from "./decide";
export * from "./endpoints";
export * from "./matrix";
export * from "./model";
export * from "./policies";
export * from "./ports";
