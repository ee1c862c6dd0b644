// What a secret looks like, by name and by value.

// Whole words inside a name; PGPASSWORD and DB_PASSWORD both match PASSWORD.
const SECRET_WORDS = /PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL|APIKEY|PRIVATE_?KEY/;
// Short words only as a whole segment, so MONKEY or PASSENGER do not match.
const SECRET_SEGMENTS = new Set(["KEY", "PASS", "PWD", "AUTH"]);
// A name pointing at a mounted secret file holds a path, not the secret (POSTGRES_PASSWORD_FILE).
const POINTS_AT_FILE = /_(FILE|PATH|DIR)$/;

/** Whether an env var or ConfigMap key name suggests a credential. */
export function looksSecretName(name: string): boolean {
  const n = name.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
  if (POINTS_AT_FILE.test(n)) return false;
  return SECRET_WORDS.test(n) || n.split("_").some((s) => SECRET_SEGMENTS.has(s));
}

const SECRET_VALUES: [RegExp, string][] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "a PEM private key"],
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, "a cloud access key id"],
  [/\bgh[pousr]_[A-Za-z0-9]{36}\b/, "a GitHub token"],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/, "a Slack token"],
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]+@/i, "a URL with user:password@"],
];

/** What secret a value contains, or undefined. */
export function secretInValue(value: string): string | undefined {
  return SECRET_VALUES.find(([re]) => re.test(value))?.[1];
}
