/**
 * Redaction of secrets in anything reship prints: URLs lose their userinfo and
 * the values of query parameters that carry credentials or upload state
 * (`_state`, `access_token`, `token`, signed-URL signatures), and free text
 * loses `Authorization`-style header values and JSON token fields.
 */

/** Query parameters whose values are secrets or opaque credentials. */
const SECRET_PARAMS = new Set([
  "_state",
  "access_token",
  "token",
  "refresh_token",
  "password",
  "client_secret",
  "code",
  "x-amz-signature",
  "x-amz-credential",
  "x-amz-security-token",
  "x-goog-signature",
  "x-goog-credential",
  "signature",
  "sig",
  "se",
  "sv",
  "st",
  "sp",
  "skoid",
  "sktid",
  "key-pair-id",
  "policy",
]);

export const REDACTED = "REDACTED";

/** The URL as text, safe to print: no userinfo, secret query values replaced. */
export function redactUrl(url: URL | string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.toString());
  } catch {
    return redactText(url.toString());
  }
  if (parsed.username || parsed.password) {
    parsed.username = REDACTED;
    parsed.password = "";
  }
  const params = parsed.searchParams;
  const names = [...new Set([...params.keys()])];
  for (const name of names) {
    if (SECRET_PARAMS.has(name.toLowerCase())) params.set(name, REDACTED);
  }
  return parsed.toString();
}

/**
 * Free text (error bodies, causes) with credential-looking pieces replaced:
 * `Basic xxx` / `Bearer xxx`, JSON `"token": "..."` fields, and secret query
 * parameters inside embedded URLs.
 */
export function redactText(text: string): string {
  return text
    .replace(/\b(Basic|Bearer)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`)
    .replace(
      /("(?:token|access_token|refresh_token|identitytoken|password|secret|auth)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi,
      `$1"${REDACTED}"`,
    )
    .replace(
      /([?&](?:_state|access_token|token|refresh_token|password|x-amz-signature|sig)=)[^&\s"'<>]*/gi,
      `$1${REDACTED}`,
    )
    .replace(/(\/\/)[^/\s:@]+:[^/\s@]+@/g, `$1${REDACTED}@`);
}
