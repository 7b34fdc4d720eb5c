/**
 * The bearer-token server fixture for the registry's token auth variant
 * (distribution's `auth.token`, per the Docker token authentication spec).
 *
 * GET /token?service=S&scope=A&scope=B answers `{token, access_token,
 * expires_in, issued_at}`. Basic credentials matching the configured user get
 * every action they ask for on any repository; wrong credentials get 401;
 * anonymous callers get a token granting nothing (or only `pull`, when
 * `anonymousPull` is set). Several `scope` parameters (and space-separated
 * scopes within one) are honoured, as a cross-repository mount needs.
 *
 * Tokens are ES256 JWTs whose header carries `x5c`: distribution 2.8 verifies
 * the leaf certificate against its `rootcertbundle` (the harness CA) and the
 * signature with the leaf's key; it checks `iss`, `aud` (a string in 2.8),
 * `exp`/`nbf` with 60 s of leeway, and the `access` claim.
 */
import { randomBytes, sign } from "node:crypto";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface TokenRequest {
  /** The scopes asked for, one string per scope (`repository:team/app:pull,push`). */
  readonly scopes: string[];
  /** Whether the caller sent valid Basic credentials. */
  readonly authenticated: boolean;
  readonly service: string | null;
  /** The HTTP status the token server answered. */
  readonly status: number;
}

export interface TokenServerOptions {
  readonly username: string;
  readonly password: string;
  readonly service: string;
  readonly issuer: string;
  /** PEM of the signing certificate (put in `x5c`) and of its private key. */
  readonly certPem: string;
  readonly keyPem: string;
  /** Anonymous callers get `pull` (default: nothing). */
  readonly anonymousPull?: boolean;
  /** `expires_in` of issued tokens, seconds; default 300. */
  readonly expiresIn?: number;
  /** Which token fields the answer carries; default both. */
  readonly tokenFields?: "both" | "token" | "access_token";
}

export interface TokenServer {
  /** The realm URL: `http://127.0.0.1:PORT/token`. */
  readonly realm: string;
  tokenRequests(): TokenRequest[];
  clearTokenRequests(): void;
  stop(): Promise<void>;
}

interface Access {
  type: string;
  name: string;
  actions: string[];
}

/** Splits `type:name:actions`; the name may itself hold colons (not the type). */
export function parseScope(scope: string): Access | undefined {
  const first = scope.indexOf(":");
  const last = scope.lastIndexOf(":");
  if (first === -1 || last === first) return undefined;
  return {
    type: scope.slice(0, first),
    name: scope.slice(first + 1, last),
    actions: scope
      .slice(last + 1)
      .split(",")
      .filter((a) => a !== ""),
  };
}

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString("base64url");
}

function pemBody(pem: string): string {
  return pem
    .replace(/-----(BEGIN|END) CERTIFICATE-----/g, "")
    .replace(/\s+/g, "")
    .trim();
}

function signToken(options: TokenServerOptions, subject: string, access: Access[], now: number): string {
  const header = { typ: "JWT", alg: "ES256", x5c: [pemBody(options.certPem)] };
  const claims = {
    iss: options.issuer,
    sub: subject,
    aud: options.service,
    exp: now + (options.expiresIn ?? 300),
    nbf: now - 1,
    iat: now,
    jti: randomBytes(12).toString("hex"),
    access,
  };
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  // JWS ES256 wants the raw r||s form, not DER.
  const signature = sign("sha256", Buffer.from(input), { key: options.keyPem, dsaEncoding: "ieee-p1363" });
  return `${input}.${base64url(signature)}`;
}

function credentialsOf(req: IncomingMessage): { username: string; password: string } | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith("Basic ") !== true) return undefined;
  const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon === -1) return { username: decoded, password: "" };
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const served: TokenRequest[] = [];
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const scopes = url.searchParams
      .getAll("scope")
      .flatMap((s) => s.split(" "))
      .filter((s) => s !== "");
    const service = url.searchParams.get("service");
    const answer = (status: number, body: unknown, authenticated: boolean): void => {
      served.push({ scopes, authenticated, service, status });
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (url.pathname !== "/token" || req.method !== "GET") {
      answer(404, { errors: [{ code: "NOT_FOUND", message: "only GET /token" }] }, false);
      return;
    }
    const creds = credentialsOf(req);
    if (creds !== undefined && (creds.username !== options.username || creds.password !== options.password)) {
      answer(401, { errors: [{ code: "UNAUTHORIZED", message: "invalid username or password" }] }, false);
      return;
    }
    const authenticated = creds !== undefined;
    const access: Access[] = [];
    for (const scope of scopes) {
      const asked = parseScope(scope);
      if (asked === undefined) continue;
      const granted = authenticated
        ? asked.actions
        : options.anonymousPull === true && asked.type === "repository"
          ? asked.actions.filter((a) => a === "pull")
          : [];
      if (granted.length > 0) access.push({ ...asked, actions: granted });
    }
    const now = Math.floor(Date.now() / 1000);
    const token = signToken(options, authenticated ? options.username : "", access, now);
    const fields = options.tokenFields ?? "both";
    answer(
      200,
      {
        ...(fields === "access_token" ? {} : { token }),
        ...(fields === "token" ? {} : { access_token: token }),
        expires_in: options.expiresIn ?? 300,
        issued_at: new Date(now * 1000).toISOString(),
      },
      authenticated,
    );
  };
  const server = createServer(handle);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      let stopped: Promise<void> | undefined;
      resolve({
        realm: `http://127.0.0.1:${port}/token`,
        tokenRequests: () => served.map((r) => ({ ...r, scopes: [...r.scopes] })),
        clearTokenRequests: () => {
          served.length = 0;
        },
        stop: () => {
          stopped ??= new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          });
          return stopped;
        },
      });
    });
  });
}
