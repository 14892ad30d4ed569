/** Unit tests run through SWC (fast, no type check: `npm run lint` type-checks). */
const transform = { "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" } }] };

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: "unit",
      testEnvironment: "node",
      transform,
      testMatch: ["<rootDir>/test/**/*.test.ts"],
      testPathIgnorePatterns: ["/node_modules/", "<rootDir>/test/e2e/", "<rootDir>/test/cluster/", "<rootDir>/.tools/"],
      modulePathIgnorePatterns: ["<rootDir>/.tools/", "<rootDir>/dist/"],
    },
    {
      // A real kube-apiserver and etcd on loopback (scripts/setup-control-plane builds them).
      displayName: "cluster",
      testEnvironment: "node",
      transform,
      testMatch: ["<rootDir>/test/cluster/**/*.test.ts"],
      modulePathIgnorePatterns: ["<rootDir>/.tools/", "<rootDir>/dist/"],
      // Jest reads testTimeout only at the top level: the long suites set theirs in a setup file.
      setupFilesAfterEnv: ["<rootDir>/test/helpers/long-timeout.ts"],
    },
    {
      // The real Pulumi CLI, language host and Kubernetes provider (scripts/setup-pulumi builds them).
      displayName: "e2e",
      testEnvironment: "node",
      transform,
      testMatch: ["<rootDir>/test/e2e/**/*.test.ts"],
      modulePathIgnorePatterns: ["<rootDir>/.tools/", "<rootDir>/dist/"],
      // Jest reads testTimeout only at the top level: the long suites set theirs in a setup file.
      setupFilesAfterEnv: ["<rootDir>/test/helpers/long-timeout.ts"],
    },
  ],
};
