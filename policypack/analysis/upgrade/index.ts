/**
 * Upgrade readiness: removed and deprecated API versions, Pod Security drift between policy
 * versions, lagging pins (`palisade upgrade`, upgrade-readiness). Plain data, no I/O. See docs/upgrade.md.
 */
export * from "./analyze";
export * from "./apis";
