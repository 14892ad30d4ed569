import fc from "fast-check";
import {
  credentialFinding,
  credentialInText,
  credentialShape,
  isCredentialName,
  isReference,
  nameWords,
} from "../../../policypack/controls/secrets/credentials";
import { plaintextCredentials } from "../../../policypack/controls/secrets/plaintext-credentials";
import type { KubeObject } from "../../../policypack/engine/types";
import { inEveryKind, runControl } from "../../helpers/objects";

describe("credential names", () => {
  it.each([
    ["DB_PASSWORD", ["db", "password"]],
    ["dbPassword", ["db", "password"]],
    ["APIKey", ["api", "key"]],
    ["spring.datasource.password", ["spring", "datasource", "password"]],
    ["x-api-key", ["x", "api", "key"]],
  ])("words of %s", (name, words) => {
    expect(nameWords(name)).toEqual(words);
  });

  it.each([
    "PASSWORD",
    "DB_PASSWORD",
    "MYSQL_ROOT_PASSWORD",
    "postgresPassword",
    "DB_PWD",
    "JWT_SECRET",
    "SECRET_KEY_BASE",
    "GITHUB_TOKEN",
    "API_KEY",
    "APIKEY",
    "x-api-key",
    "PRIVATE_KEY",
    "AWS_SECRET_ACCESS_KEY",
    "OAUTH_CLIENT_SECRET",
    "REGISTRY_CREDENTIALS",
    "SSH_PASSPHRASE",
    "ENCRYPTION_KEY",
    "AZURE_STORAGE_KEY",
    "AZURE_BATCH_KEY",
    "STORAGE_ACCOUNT_KEY",
    "COSMOS_PRIMARY_KEY",
    "OCP_APIM_SUBSCRIPTION_KEY",
    "SERVICE_BUS_SHARED_KEY",
  ])("%s is a credential name", (name) => {
    expect(isCredentialName(name)).toBe(true);
  });

  it.each([
    "PWD",
    "LOG_LEVEL",
    "DB_PASSWORD_FILE",
    "TOKEN_URL",
    "SECRET_NAME",
    "secretRef",
    "PASSWORD_MIN_LENGTH",
    "TOKEN_TTL",
    "AWS_ACCESS_KEY_ID",
    "JWT_SECRET_PATH",
    "TOKENIZER_MODEL",
    "KEY",
    "CACHE_KEY",
    "SECRETARY",
    "existingSecret",
    "fromSecret",
    "LOCAL_STORAGE_KEY",
    "SESSION_STORAGE_KEY",
    "STORAGE_KEY_PREFIX",
    "",
  ])("%s is not a credential name", (name) => {
    expect(isCredentialName(name)).toBe(false);
  });
});

describe("references and placeholders", () => {
  it.each([
    "",
    "   ",
    "$(DB_PASSWORD)",
    "${DB_PASSWORD}",
    "$DB_PASSWORD",
    "{{ .Values.password }}",
    "<your-password>",
    "ENC(kR9s0d)",
    "/etc/secrets/password",
    "vault:secret/data/db#password",
    "ref+awssm://db/password",
    "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db",
    "projects/p/secrets/db/versions/latest",
    "true",
    "FALSE",
    "null",
  ])("%j is a reference", (value) => {
    expect(isReference(value)).toBe(true);
  });

  it.each(["hunter2", "changeme", "123456", "s3cr3t$", "$(A)$(B)", "correct horse battery staple"])(
    "%j is a literal",
    (value) => {
      expect(isReference(value)).toBe(false);
    },
  );

  it("never flags a reference, whatever the name", () => {
    const refs = fc.oneof(
      fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,20}$/).map((v) => `$(${v})`),
      fc.stringMatching(/^[A-Za-z_.]{1,20}$/).map((v) => `\${${v}}`),
      fc.stringMatching(/^\/[a-z0-9/._-]{0,30}$/),
      fc.constantFrom("", "true", "false", "null"),
    );
    fc.assert(fc.property(fc.string(), refs, (name, value) => credentialFinding(name, value) === undefined));
  });

  it("never flags a descriptive name with an ordinary value", () => {
    const sensitive = fc.constantFrom("PASSWORD", "TOKEN", "SECRET", "API_KEY", "DB_PASSWORD");
    const suffix = fc.constantFrom("FILE", "PATH", "URL", "NAME", "TTL", "LENGTH", "ENABLED", "ID");
    const value = fc.stringMatching(/^[a-z0-9.:/-]{1,30}$/);
    fc.assert(fc.property(sensitive, suffix, value, (s, x, v) => credentialFinding(`${s}_${x}`, v) === undefined));
  });
});

describe("pwd", () => {
  it.each([
    ["pwd", "s3cr3t", true],
    ["PWD", "hunter2", true],
    ["PWD", "/app", false],
    ["PWD", ".", false],
    ["PWD", "./work", false],
    ["PWD", "~/src", false],
    ["DB_PWD", "hunter2", true],
  ])("%s=%s is a credential: %s", (name, value, flagged) => {
    expect(credentialFinding(name, value) !== undefined).toBe(flagged);
  });

  it("in configuration files", () => {
    expect(credentialInText("user=app\npwd=s3cr3t")).toEqual({
      line: 2,
      key: "pwd",
      reason: "assigns a literal credential",
    });
  });
});

describe("credential shapes", () => {
  it.each([
    ["Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0", "a literal Bearer token"],
    ["Authorization: Bearer abcDEF0123456789xyz", "a literal Bearer token"],
    ["Basic YWRtaW46aHVudGVyMg==", "literal Basic credentials"],
    ["Authorization: Basic dXNlcjpwYXNz", "literal Basic credentials"],
    ["Server=db.shop;Database=orders;User Id=app;Password=hunter2;", "a connection string with a password"],
    ["Driver={ODBC Driver 18};Server=db;Uid=sa;Pwd=Pa55word!", "a connection string with a password"],
    ["-----BEGIN RSA PRIVATE KEY-----\nMIIE...", "a PEM private key"],
    ["-----BEGIN OPENSSH PRIVATE KEY-----", "a PEM private key"],
    ["-----BEGIN ENCRYPTED PRIVATE KEY-----", "a PEM private key"],
    ["AKIAIOSFODNN7EXAMPLE", "an AWS access key id"],
    ["key=ASIAY34FZKBOKMUTVV7A;", "an AWS access key id"],
    [`ghp_${"a".repeat(36)}`, "a GitHub token"],
    [`github_pat_${"A1_".repeat(10)}`, "a GitHub token"],
    ["xoxb-123456789012-abcdefghij", "a Slack token"],
    ["https://hooks.slack.com/services/T0000/B0000/XXXXXXXX", "a Slack webhook URL"],
    [`sk_live_${"a1".repeat(12)}`, "a Stripe live key"],
    [`AIza${"a".repeat(35)}`, "a Google API key"],
    ["eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.sig_nature-x", "a JSON Web Token"],
    ["postgres://api:hunter2@db:5432/shop", "a URL with an embedded password"],
    ["redis://:hunter2@cache:6379", "a URL with an embedded password"],
  ])("%j is %s", (value, what) => {
    expect(credentialShape(value)).toBe(what);
  });

  it.each([
    "-----BEGIN CERTIFICATE-----",
    "-----BEGIN PUBLIC KEY-----",
    "AKIA1234",
    "ghp_short",
    "https://example.com/path",
    "postgres://api@db:5432/shop",
    "postgres://api:$(DB_PASSWORD)@db:5432/shop",
    "postgres://api:${DB_PASSWORD}@db:5432/shop",
    "eyJhbGciOiJIUzI1NiJ9",
    "Bearer $(API_TOKEN)",
    "Bearer ${API_TOKEN}",
    "uses Bearer authentication with tokens from the IdP",
    "Basic authentication is disabled",
    "Basic $(CREDENTIALS)",
    "Server=db;User Id=app;Password=$(DB_PASSWORD);",
    "Server=db;User Id=app;Password=;",
    "Server=db;Integrated Security=true;",
  ])("%j has no credential shape", (value) => {
    expect(credentialShape(value)).toBeUndefined();
  });
});

describe("credentials in configuration files", () => {
  it.each([
    ["db.password=hunter2", 1, "db.password"],
    ["url=jdbc:x\npassword = 'hunter2'", 2, "password"],
    ['{\n  "apiKey": "abc123",\n  "x": 1\n}', 2, "apiKey"],
    ["auth:\n  token: abc123 # prod", 2, "token"],
    ["export DB_PASSWORD=hunter2", 1, "DB_PASSWORD"],
  ])("%j", (text, line, key) => {
    expect(credentialInText(text)).toEqual({ line, key, reason: "assigns a literal credential" });
  });

  it.each([
    "db.password=${DB_PASSWORD}",
    "password:\n  fromSecret: db",
    "password: |\n  multi",
    "# password=hunter2",
    "token-expiry=3600",
    'password: ""',
    "secretName: db-credentials",
    "passwordFile: /etc/secrets/p",
  ])("%j is clean", (text) => {
    expect(credentialInText(text)).toBeUndefined();
  });
});

describe("plaintext-credentials", () => {
  it.each([
    [[{ name: "DB_PASSWORD", value: "hunter2" }], [0]],
    [[{ name: "DB_PASSWORD", value: "$(SECRET)" }], []],
    [[{ name: "DB_PASSWORD", value: "" }], []],
    [[{ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "s", key: "k" } } }], []],
    [
      [
        { name: "LOG_LEVEL", value: "debug" },
        { name: "NOT_SUSPICIOUS", value: "AKIAIOSFODNN7EXAMPLE" },
      ],
      [1],
    ],
    [[{ name: "API_TOKEN", value: 12345 }], []],
  ])("env %j", (env, flagged) => {
    for (const type of ["initContainers", "containers", "ephemeralContainers"]) {
      for (const object of inEveryKind({ [type]: [{ name: "app", env }] })) {
        const v = runControl(plaintextCredentials, object);
        expect(v.map((x) => x.path?.replace(/^.*\.env\[(\d+)\]\.value$/, "$1"))).toEqual(flagged.map(String));
      }
    }
  });

  it.each([
    [["--db-password=hunter2"], [0]],
    [["-token=abc"], [0]],
    [["--password-file=/etc/p", "--token-ttl=1h", "--password=$(P)"], []],
    [["--listen=:8080", "postgres://u:p4ss@db/x"], [1]],
    [["sh", "-c", "curl -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdefgh' x"], [2]],
  ])("args %j", (args, flagged) => {
    for (const object of inEveryKind({ containers: [{ name: "app", args }] })) {
      const v = runControl(plaintextCredentials, object);
      expect(v.map((x) => Number(x.path?.replace(/^.*\.args\[(\d+)\]$/, "$1")))).toEqual(flagged);
    }
  });

  it("never repeats the value in a message", () => {
    const [object] = inEveryKind({
      containers: [{ name: "app", env: [{ name: "DB_PASSWORD", value: "hunter2" }], args: ["--token=abc123xyz"] }],
    });
    for (const v of runControl(plaintextCredentials, object!)) {
      expect(v.message).not.toContain("hunter2");
      expect(v.message).not.toContain("abc123xyz");
    }
  });

  const configMap = (data: unknown): KubeObject => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "cfg", namespace: "app" },
    data,
  });

  it.each([
    [{ DB_PASSWORD: "hunter2" }, ['data["DB_PASSWORD"]']],
    [{ DB_PASSWORD: "${DB_PASSWORD}" }, []],
    [{ "config.yaml": "server:\n  port: 8080\nauth:\n  password: hunter2\n" }, ['data["config.yaml"]']],
    [
      { id_rsa: "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----\n" },
      ['data["id_rsa"]'],
    ],
    [{ LOG_LEVEL: "info", "nginx.conf": "server { listen 80; }" }, []],
    [{ SECRET_NAME: "db-credentials", TOKEN_URL: "https://auth/token" }, []],
    [{ odd: 5, list: ["x"] }, []],
  ])("ConfigMap data %j", (data, paths) => {
    expect(runControl(plaintextCredentials, configMap(data)).map((v) => v.path)).toEqual(paths);
  });

  it.each([undefined, null, "x", [1]])("ConfigMap with data %j does not throw", (data) => {
    expect(runControl(plaintextCredentials, configMap(data))).toEqual([]);
  });
});
