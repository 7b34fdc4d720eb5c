/**
 * Certificates for the harness, made with openssl in a temporary directory: a
 * throwaway CA, and leaf certificates it signs (a server certificate valid for
 * 127.0.0.1 and localhost, or a token-signing certificate). Keys are EC P-256:
 * quick to generate, and accepted by Go's TLS stack and distribution's token
 * verifier (ES256).
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runCommand } from "./processes.js";

export interface CertificateAuthority {
  readonly caFile: string;
  readonly caKeyFile: string;
  readonly caPem: string;
}

export interface IssuedCertificate {
  readonly certFile: string;
  readonly keyFile: string;
  readonly certPem: string;
  readonly keyPem: string;
}

const ecKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

/** A self-signed CA, valid two days, written as `ca.crt` and `ca.key` in `dir`. */
export async function makeCertificateAuthority(dir: string): Promise<CertificateAuthority> {
  const caFile = join(dir, "ca.crt");
  const caKeyFile = join(dir, "ca.key");
  await runCommand("openssl", [
    "req",
    "-x509",
    ...ecKey,
    "-keyout",
    caKeyFile,
    "-out",
    caFile,
    "-days",
    "2",
    "-subj",
    "/CN=reship test CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  return { caFile, caKeyFile, caPem: await readFile(caFile, "utf8") };
}

export interface IssueOptions {
  /** File name stem: `<name>.crt`, `<name>.key`. */
  readonly name: string;
  readonly commonName: string;
  /** A TLS server certificate for 127.0.0.1 and localhost; otherwise a signing one. */
  readonly server: boolean;
}

/** A leaf certificate signed by `ca`, valid two days, written beside the CA. */
export async function issueCertificate(
  ca: CertificateAuthority,
  dir: string,
  options: IssueOptions,
): Promise<IssuedCertificate> {
  const keyFile = join(dir, `${options.name}.key`);
  const csrFile = join(dir, `${options.name}.csr`);
  const certFile = join(dir, `${options.name}.crt`);
  const extFile = join(dir, `${options.name}.ext`);
  const extensions = options.server
    ? [
        "subjectAltName=IP:127.0.0.1,DNS:localhost",
        "basicConstraints=CA:FALSE",
        "keyUsage=critical,digitalSignature,keyEncipherment",
        "extendedKeyUsage=serverAuth",
      ]
    : ["basicConstraints=CA:FALSE", "keyUsage=critical,digitalSignature"];
  await writeFile(extFile, extensions.join("\n") + "\n");
  await runCommand("openssl", [
    "req",
    ...ecKey,
    "-keyout",
    keyFile,
    "-out",
    csrFile,
    "-subj",
    `/CN=${options.commonName}`,
  ]);
  await runCommand("openssl", [
    "x509",
    "-req",
    "-in",
    csrFile,
    "-CA",
    ca.caFile,
    "-CAkey",
    ca.caKeyFile,
    "-CAcreateserial",
    "-out",
    certFile,
    "-days",
    "2",
    "-extfile",
    extFile,
  ]);
  return {
    certFile,
    keyFile,
    certPem: await readFile(certFile, "utf8"),
    keyPem: await readFile(keyFile, "utf8"),
  };
}

export interface ServerCertificates {
  readonly caFile: string;
  readonly caPem: string;
  readonly certFile: string;
  readonly keyFile: string;
}

/** A CA and a server certificate for 127.0.0.1/localhost signed by it. */
export async function makeServerCertificates(dir: string): Promise<ServerCertificates> {
  const ca = await makeCertificateAuthority(dir);
  const server = await issueCertificate(ca, dir, { name: "server", commonName: "127.0.0.1", server: true });
  return { caFile: ca.caFile, caPem: ca.caPem, certFile: server.certFile, keyFile: server.keyFile };
}
