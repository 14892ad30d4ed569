/**
 * Heuristics for credentials written in plain text. Two kinds of evidence:
 * - the value itself has a credential's unmistakable shape (a PEM private key, an AWS access key
 *   id, a GitHub, Slack or Stripe token, a JWT, a URL with a password, a literal HTTP
 *   `Authorization` credential, a connection string's Password=/Pwd=): reported whatever the name;
 * - the name says credential (PASSWORD, SECRET, TOKEN, API_KEY, PRIVATE_KEY, …) and the value is a
 *   non-empty literal: not a reference (`$(VAR)`, `${VAR}`, a template, a file path, a secret
 *   manager URI), not a placeholder, not a boolean. Names that only talk about a credential
 *   (DB_PASSWORD_FILE, TOKEN_URL, SECRET_NAME, PASSWORD_MIN_LENGTH) do not count.
 * Messages never repeat the value.
 */

interface ValuePattern {
  readonly what: string;
  readonly re: RegExp;
}

const VALUE_PATTERNS: readonly ValuePattern[] = [
  { what: "a PEM private key", re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/ },
  { what: "an AWS access key id", re: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/ },
  { what: "a GitHub token", re: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/ },
  { what: "a Slack token", re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  {
    what: "a Slack webhook URL",
    re: /https:\/\/hooks\.slack\.com\/services\/T[A-Za-z0-9_]+\/B[A-Za-z0-9_]+\/[A-Za-z0-9]+/,
  },
  { what: "a Stripe live key", re: /\b[sr]k_live_[0-9A-Za-z]{24,}\b/ },
  { what: "a Google API key", re: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { what: "a JSON Web Token", re: /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/ },
];

/** scheme://user:password@host, where the password is a literal (not `$(VAR)` / `${VAR}`). */
const URL_CREDENTIALS = /\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:([^/\s@]+)@/i;

/**
 * `Bearer <token>`: an opaque token of 16+ token68 characters holding a digit (so that prose such
 * as "Bearer authentication" is not one); `$(VAR)`, `${VAR}` and templates are not token68.
 */
const BEARER = /\b[Bb]earer\s+([A-Za-z0-9._~+/-]{16,}=*)(?![A-Za-z0-9._~+/=$({])/;
/** `Basic <base64 of user:password>`. */
const BASIC = /\b[Bb]asic\s+([A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=$({])/;
/** `Server=db;User Id=app;Password=…;` (ADO.NET, ODBC, JDBC-style key=value lists). */
const CONNECTION_PASSWORD = /(?:^|;)[ \t]*(?:password|pwd)[ \t]*=[ \t]*([^;\n]*)/i;

function isBasicCredential(encoded: string): boolean {
  const decoded = Buffer.from(encoded, "base64").toString("utf8");
  // user:password, printable; base64 of arbitrary words ("Basic authentication") is not that.
  return /^[\x20-\x7e]+:[\x20-\x7e]+$/.test(decoded);
}

/** What the value looks like, when it has the shape of a credential. */
export function credentialShape(value: string): string | undefined {
  for (const p of VALUE_PATTERNS) if (p.re.test(value)) return p.what;
  const url = URL_CREDENTIALS.exec(value);
  if (url !== null && !isReference(url[1] ?? "")) return "a URL with an embedded password";
  const bearer = BEARER.exec(value);
  if (bearer !== null && /[0-9]/.test(bearer[1] ?? "") && /[A-Za-z]/.test(bearer[1] ?? ""))
    return "a literal Bearer token";
  const basic = BASIC.exec(value);
  if (basic !== null && isBasicCredential(basic[1] ?? "")) return "literal Basic credentials";
  const conn = value.includes(";") ? CONNECTION_PASSWORD.exec(value) : null;
  if (conn !== null && !isReference(unquote((conn[1] ?? "").trim()))) return "a connection string with a password";
  return undefined;
}

const SENSITIVE_WORDS = new Set([
  "password",
  "passwd",
  "passphrase",
  "secret",
  "secrets",
  "token",
  "credential",
  "credentials",
  "apikey",
  "apitoken",
  "authtoken",
  "accesstoken",
  "refreshtoken",
  "privatekey",
  "accesskey",
  "secretkey",
  "signingkey",
  "encryptionkey",
  "masterkey",
  "clientsecret",
]);
/**
 * `<word> key` pairs that name a key that is itself secret: AZURE_STORAGE_KEY, BATCH_ACCOUNT_KEY,
 * COSMOS_PRIMARY_KEY, a subscription key, a shared key.
 */
const SECRET_KEY_PREFIXES = new Set([
  "api",
  "private",
  "access",
  "secret",
  "signing",
  "encryption",
  "master",
  "auth",
  "storage",
  "batch",
  "account",
  "shared",
  "primary",
  "secondary",
  "subscription",
  "sas",
]);
/** `<word> storage key` where the key names a slot of browser or local storage, not a credential. */
const NOT_SECRET_BEFORE_STORAGE = new Set(["local", "session", "browser", "cache"]);
/** A name ending in one of these talks about the credential rather than holding it. */
const DESCRIPTIVE_SUFFIXES = new Set([
  "file",
  "path",
  "dir",
  "directory",
  "url",
  "uri",
  "endpoint",
  "host",
  "hostname",
  "port",
  "addr",
  "address",
  "name",
  "ref",
  "id",
  "ids",
  "arn",
  "user",
  "username",
  "ttl",
  "expiry",
  "expiration",
  "expires",
  "timeout",
  "lifetime",
  "duration",
  "interval",
  "period",
  "rotation",
  "seconds",
  "secs",
  "sec",
  "minutes",
  "mins",
  "hours",
  "days",
  "ms",
  "length",
  "len",
  "size",
  "count",
  "min",
  "max",
  "limit",
  "type",
  "kind",
  "format",
  "algorithm",
  "alg",
  "header",
  "prefix",
  "suffix",
  "field",
  "policy",
  "mode",
  "version",
  "enabled",
  "enable",
  "disabled",
  "disable",
  "required",
  "audience",
  "aud",
  "issuer",
  "scope",
  "scopes",
  "region",
  "location",
  "provider",
  "manager",
  "backend",
  "store",
  "source",
  "strategy",
  "method",
  "namespace",
  "env",
  "var",
]);

/** A name starting with one of these names a credential kept elsewhere (Helm's existingSecret, fromSecret). */
const REFERRING_PREFIXES = new Set(["existing", "from", "use"]);

/** Lower-case words of a name: DB_PASSWORD, dbPassword, spring.datasource.password, APIKey. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== "");
}

/** True when a name says it holds a credential. */
export function isCredentialName(name: string): boolean {
  const words = nameWords(name);
  if (words.length === 0) return false;
  if (DESCRIPTIVE_SUFFIXES.has(words[words.length - 1] ?? "") || REFERRING_PREFIXES.has(words[0] ?? "")) return false;
  return words.some(
    (w, i) =>
      SENSITIVE_WORDS.has(w) ||
      w.includes("password") ||
      w.includes("passwd") ||
      // PWD alone is the working directory; DB_PWD is a password.
      (w === "pwd" && words.length > 1) ||
      (w === "key" &&
        i > 0 &&
        SECRET_KEY_PREFIXES.has(words[i - 1] ?? "") &&
        !(words[i - 1] === "storage" && NOT_SECRET_BEFORE_STORAGE.has(words[i - 2] ?? ""))),
  );
}

/** A path the working directory may be: `.`, `..`, `./x`, `../x`, `~`, `~/x`. */
const RELATIVE_PATH = /^(?:\.{1,2}|~)(?:\/\S*)?$/;

/**
 * True when the name says credential for this value. `pwd` alone is the working directory when
 * its value is a path (PWD=/app), and a password otherwise (`pwd: s3cr3t` in a ConfigMap).
 */
export function namesCredential(name: string, value: string): boolean {
  if (isCredentialName(name)) return true;
  const words = nameWords(name);
  return words.length === 1 && words[0] === "pwd" && !RELATIVE_PATH.test(value.trim());
}

const REFERENCE_PREFIXES = [
  "file://",
  "vault:",
  "ref+",
  "arn:aws:secretsmanager:",
  "arn:aws:ssm:",
  "sm://",
  "gcp:secretmanager:",
  "azurekeyvault://",
  "akv://",
  "op://",
  "secret://",
  "k8s://",
];
const NON_SECRET_LITERALS = new Set([
  "true",
  "false",
  "yes",
  "no",
  "on",
  "off",
  "null",
  "none",
  "nil",
  "~",
  "enabled",
  "disabled",
  '""',
  "''",
]);

/** True for values that point at a credential kept elsewhere, or are no credential at all. */
export function isReference(value: string): boolean {
  const v = value.trim();
  if (v === "") return true;
  if (NON_SECRET_LITERALS.has(v.toLowerCase())) return true;
  if (/^\$\([A-Za-z_][A-Za-z0-9_]*\)$/.test(v)) return true; // Kubernetes $(VAR) expansion
  if (/^\$\{[^}]+\}$/.test(v) || /^\$[A-Za-z_][A-Za-z0-9_]*$/.test(v)) return true; // shell / Spring / Helm-rendered placeholders
  if (/^\{\{.*\}\}$/s.test(v) || /^<[^<>]*>$/.test(v) || /^ENC\(.*\)$/.test(v)) return true;
  if (/^\/[^\s]*$/.test(v)) return true; // a file path
  if (/^projects\/[^/]+\/secrets\//.test(v)) return true; // GCP Secret Manager resource name
  const lower = v.toLowerCase();
  return REFERENCE_PREFIXES.some((p) => lower.startsWith(p));
}

/** Why a name/value pair is a plain-text credential, or undefined. */
export function credentialFinding(name: string, value: string): string | undefined {
  const shape = credentialShape(value);
  if (shape !== undefined) return `holds what looks like ${shape}`;
  if (namesCredential(name, value) && !isReference(value)) return "holds a literal credential (by its name)";
  return undefined;
}

/** `key = value` and `key: value` lines of configuration files (properties, env, YAML, JSON, TOML). */
const ASSIGNMENT = /^\s*(?:export\s+)?["']?([A-Za-z0-9_.-]+)["']?\s*[:=]\s*(.*?)\s*,?\s*$/;

function unquote(value: string): string {
  const m = /^(["'])(.*)\1$/.exec(value);
  return m ? (m[2] ?? "") : value;
}

/**
 * A credential assigned in a configuration file held as one ConfigMap value: the 1-based line
 * and the reason. Nested blocks (`password:` then an indented map) and block scalars are skipped.
 */
export function credentialInText(text: string): { line: number; key: string; reason: string } | undefined {
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (/^\s*(#|\/\/|;)/.test(line)) continue;
    const m = ASSIGNMENT.exec(line);
    if (m === null) continue;
    const key = m[1] ?? "";
    const raw = m[2] ?? "";
    if (raw === "" || /^[|>[{&*!]/.test(raw)) continue;
    const value = unquote(raw.replace(/\s+#.*$/, ""));
    if (namesCredential(key, value) && !isReference(value))
      return { line: i + 1, key, reason: "assigns a literal credential" };
  }
  return undefined;
}
