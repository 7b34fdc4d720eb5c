/**
 * The real registry for integration tests: Debian's CNCF distribution 2.8
 * (`docker-registry serve CONFIG`) on a free 127.0.0.1 port, with filesystem
 * storage in a temporary directory, deletes enabled, and its log (JSON entries
 * plus the combined access log) in a file beside the config.
 *
 * Variants: `anonymous` (plain HTTP, no auth), `basic` (htpasswd, bcrypt, a
 * random password), `token` (bearer tokens from the token-server fixture,
 * verified through `auth.token`), `tls` (HTTPS with a certificate from a
 * throwaway CA, anonymous). `stop()` kills what was started, by pid, and
 * removes the temporary directory.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { attributeUploadBytes, parseAccessLog } from "./access-log.js";
import type { RegistryRequest } from "./access-log.js";
import { harnessFetch } from "./http.js";
import {
  forgetTempDir,
  freePort,
  removeOnExit,
  runCommand,
  startProcess,
  stopProcess,
  waitFor,
} from "./processes.js";
import type { StartedProcess } from "./processes.js";
import { issueCertificate, makeCertificateAuthority, makeServerCertificates } from "./tls.js";
import { startTokenServer } from "./token-server.js";
import type { TokenRequest, TokenServer } from "./token-server.js";

export type { RegistryRequest } from "./access-log.js";
export type { TokenRequest } from "./token-server.js";

export type RegistryVariant = "anonymous" | "basic" | "token" | "tls";

export interface StartRegistryOptions {
  /** Default `anonymous`. */
  readonly variant?: RegistryVariant;
  /** token variant: anonymous callers may pull (default: they get no access). */
  readonly anonymousPull?: boolean;
  /** token variant: `expires_in` of issued tokens in seconds (default 300). */
  readonly tokenExpiresIn?: number;
  /** token variant: which token fields the token server answers (default both). */
  readonly tokenFields?: "both" | "token" | "access_token";
}

export interface TestRegistry {
  readonly variant: RegistryVariant;
  /** `127.0.0.1:PORT` */
  readonly host: string;
  /** `http://127.0.0.1:PORT`, or https for the tls variant. */
  readonly url: string;
  readonly pid: number;
  /** The registry's filesystem storage root. */
  readonly storageDir: string;
  /** The temporary directory holding config, log, certificates and storage. */
  readonly dir: string;
  readonly logFile: string;
  /** basic and token variants. */
  readonly username?: string;
  readonly password?: string;
  /** tls variant: PEM file of the CA that signed the server certificate. */
  readonly caFile?: string;
  /** tls variant: a directory holding only `ca.crt` (for skopeo's `--cert-dir`). */
  readonly certDir?: string;
  /** token variant: the token server's URL. */
  readonly tokenRealm?: string;
  /** token variant: the `service` the registry names in its challenge. */
  readonly tokenService?: string;
  /** Requests seen in the registry's access log since start (or the last clear). */
  requests(): Promise<RegistryRequest[]>;
  /** Forgets requests (and upload bytes) seen so far. */
  clearRequests(): Promise<void>;
  /** Blob bytes clients uploaded since start (or the last clear); mounts count 0. */
  uploadedBlobBytes(): Promise<number>;
  /** token variant: the token requests served since start (or the last clear). */
  tokenRequests(): TokenRequest[];
  /** Kills the registry and token server by pid, removes the temporary directory. Idempotent. */
  stop(): Promise<void>;
}

const SYNC_PARAM = "reship-harness-sync";
const TOKEN_SERVICE = "reship-test-registry";
const TOKEN_ISSUER = "reship-test-token-server";

interface Prepared {
  auth?: Record<string, unknown>;
  tls?: { certificate: string; key: string };
  caFile?: string;
  caPem?: string;
  certDir?: string;
  username?: string;
  password?: string;
  tokenServer?: TokenServer;
}

async function prepare(dir: string, options: StartRegistryOptions): Promise<Prepared> {
  const variant = options.variant ?? "anonymous";
  if (variant === "anonymous") return {};
  if (variant === "tls") {
    // skopeo's --cert-dir takes every *.crt as a CA and wants a *.cert for
    // every *.key, so the CA gets a directory of its own.
    const tlsDir = join(dir, "tls");
    const certDir = join(dir, "certs");
    await mkdir(tlsDir);
    await mkdir(certDir);
    const certs = await makeServerCertificates(tlsDir);
    await copyFile(certs.caFile, join(certDir, "ca.crt"));
    return {
      tls: { certificate: certs.certFile, key: certs.keyFile },
      caFile: certs.caFile,
      caPem: certs.caPem,
      certDir,
    };
  }
  const username = "reship-test";
  const password = randomBytes(12).toString("hex");
  if (variant === "basic") {
    const htpasswdFile = join(dir, "htpasswd");
    // -i reads the password from stdin so it never sits on an argv.
    const { stdout } = await runCommand("htpasswd", ["-niB", username], { input: password });
    await writeFile(htpasswdFile, stdout);
    return { auth: { htpasswd: { realm: "reship-test-realm", path: htpasswdFile } }, username, password };
  }
  const keysDir = join(dir, "token-keys");
  await mkdir(keysDir);
  const ca = await makeCertificateAuthority(keysDir);
  const signer = await issueCertificate(ca, keysDir, {
    name: "token-signer",
    commonName: TOKEN_ISSUER,
    server: false,
  });
  const tokenServer = await startTokenServer({
    username,
    password,
    service: TOKEN_SERVICE,
    issuer: TOKEN_ISSUER,
    certPem: signer.certPem,
    keyPem: signer.keyPem,
    ...(options.anonymousPull === undefined ? {} : { anonymousPull: options.anonymousPull }),
    ...(options.tokenExpiresIn === undefined ? {} : { expiresIn: options.tokenExpiresIn }),
    ...(options.tokenFields === undefined ? {} : { tokenFields: options.tokenFields }),
  });
  return {
    auth: {
      token: {
        realm: tokenServer.realm,
        service: TOKEN_SERVICE,
        issuer: TOKEN_ISSUER,
        rootcertbundle: ca.caFile,
      },
    },
    username,
    password,
    tokenServer,
  };
}

function registryConfig(storageDir: string, port: number, prepared: Prepared): string {
  const config = {
    version: 0.1,
    log: { level: "info", formatter: "json", accesslog: { disabled: false } },
    storage: {
      filesystem: { rootdirectory: storageDir },
      delete: { enabled: true },
      // A purge running under a test would remove its uploads in progress.
      maintenance: { uploadpurging: { enabled: false } },
    },
    http: {
      addr: `127.0.0.1:${port}`,
      secret: randomBytes(16).toString("hex"),
      ...(prepared.tls === undefined ? {} : { tls: prepared.tls }),
    },
    ...(prepared.auth === undefined ? {} : { auth: prepared.auth }),
  };
  // YAML is a superset of JSON.
  return JSON.stringify(config, null, 2);
}

function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, "utf8").trim().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

/** Starts a registry; resolves once `GET /v2/` answers as the variant should. */
export async function startRegistry(options: StartRegistryOptions = {}): Promise<TestRegistry> {
  const variant = options.variant ?? "anonymous";
  const dir = await mkdtemp(join(tmpdir(), `reship-registry-${variant}-`));
  const storageDir = join(dir, "storage");
  const logFile = join(dir, "registry.log");
  const configFile = join(dir, "config.yml");
  removeOnExit(dir);
  let prepared: Prepared = {};
  let started: StartedProcess | undefined;
  let port = 0;
  try {
    prepared = await prepare(dir, options);
    const scheme = prepared.tls === undefined ? "http" : "https";
    // The port is free when probed but another process may take it before the
    // registry binds it: retry a few times on a fresh port.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      await writeFile(configFile, registryConfig(storageDir, port, prepared));
      await writeFile(logFile, "");
      const proc = startProcess("docker-registry", ["serve", configFile], { logFile });
      try {
        await waitFor(
          async () => {
            const res = await harnessFetch(`${scheme}://127.0.0.1:${port}/v2/`, {
              ...(prepared.caPem === undefined ? {} : { ca: prepared.caPem }),
            });
            return res.headers["docker-distribution-api-version"] === "registry/2.0";
          },
          { what: `the registry on 127.0.0.1:${port}`, process: proc, detail: () => tail(logFile) },
        );
        started = proc;
        break;
      } catch (error) {
        await stopProcess(proc.pid);
        const inUse = tail(logFile).includes("address already in use");
        if (!inUse || attempt >= 5) throw error;
      }
    }
  } catch (error) {
    await prepared.tokenServer?.stop();
    await rm(dir, { recursive: true, force: true });
    forgetTempDir(dir);
    throw error;
  }
  const handle = makeHandle({ variant, dir, storageDir, logFile, port, prepared, proc: started });
  // Tests see their own requests, not the readiness probes.
  try {
    await handle.clearRequests();
  } catch (error) {
    await handle.stop();
    throw error;
  }
  return handle;
}

interface HandleInput {
  variant: RegistryVariant;
  dir: string;
  storageDir: string;
  logFile: string;
  port: number;
  prepared: Prepared;
  proc: StartedProcess;
}

function makeHandle(input: HandleInput): TestRegistry {
  const { variant, dir, storageDir, logFile, port, prepared, proc } = input;
  const host = `127.0.0.1:${port}`;
  const url = `${prepared.tls === undefined ? "http" : "https"}://${host}`;
  let mark = 0;
  let syncCount = 0;
  const blobSizes = new Map<string, number>();

  const blobSize = (digest: string): number | undefined => {
    const known = blobSizes.get(digest);
    if (known !== undefined) return known;
    const [algorithm, hex] = digest.split(":");
    if (algorithm === undefined || hex === undefined || !/^[a-f0-9]{64}$/.test(hex)) return undefined;
    const data = join(storageDir, "docker/registry/v2/blobs", algorithm, hex.slice(0, 2), hex, "data");
    if (!existsSync(data)) return undefined;
    const size = statSync(data).size;
    blobSizes.set(digest, size);
    return size;
  };

  // The registry logs a request after answering it, so a client may see its
  // response before the log line exists. Send a marker request and wait for
  // its line: everything answered before it is then in the log.
  const sync = async (): Promise<Buffer> => {
    const marker = `${SYNC_PARAM}=${++syncCount}`;
    await harnessFetch(`${url}/v2/?${marker}`, {
      ...(prepared.caPem === undefined ? {} : { ca: prepared.caPem }),
    });
    let log = Buffer.alloc(0);
    await waitFor(
      async () => {
        log = await readFile(logFile);
        return log.includes(`?${marker} `);
      },
      { what: `the registry's access log (${logFile})` },
    );
    return log;
  };

  const requests = async (): Promise<RegistryRequest[]> => {
    const log = await sync();
    const seen = parseAccessLog(log.subarray(mark).toString("utf8")).filter(
      (r) => !r.uri.includes(SYNC_PARAM),
    );
    return attributeUploadBytes(seen, blobSize);
  };

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await stopProcess(proc.pid);
      await prepared.tokenServer?.stop();
      await rm(dir, { recursive: true, force: true });
      forgetTempDir(dir);
    })();
    return stopping;
  };

  return {
    variant,
    host,
    url,
    pid: proc.pid,
    storageDir,
    dir,
    logFile,
    ...(prepared.username === undefined ? {} : { username: prepared.username }),
    ...(prepared.password === undefined ? {} : { password: prepared.password }),
    ...(prepared.caFile === undefined ? {} : { caFile: prepared.caFile }),
    ...(prepared.certDir === undefined ? {} : { certDir: prepared.certDir }),
    ...(prepared.tokenServer === undefined
      ? {}
      : { tokenRealm: prepared.tokenServer.realm, tokenService: TOKEN_SERVICE }),
    requests,
    clearRequests: async () => {
      mark = (await sync()).length;
      prepared.tokenServer?.clearTokenRequests();
    },
    uploadedBlobBytes: async () => (await requests()).reduce((sum, r) => sum + (r.bytesIn ?? 0), 0),
    tokenRequests: () => prepared.tokenServer?.tokenRequests() ?? [],
    stop,
  };
}
