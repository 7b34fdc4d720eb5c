import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { isReshipError } from "../errors.js";
import { computeDigest, DigestVerifier, verifyDigest } from "./digester.js";

const bytes = Buffer.from("hello, registry");
const digest = computeDigest(bytes);

async function drain(verifier: DigestVerifier, chunks: Buffer[]): Promise<void> {
  await pipeline(Readable.from(chunks), verifier, async function* (source) {
    for await (const _ of source) yield* [];
  });
}

describe("digests of bytes", () => {
  test("sha256 and sha512", () => {
    assert.equal(
      computeDigest(Buffer.from("")),
      "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
    assert.match(computeDigest(bytes, "sha512"), /^sha512:[0-9a-f]{128}$/);
  });
  test("verifyDigest", () => {
    verifyDigest(bytes, digest, "x");
    assert.throws(
      () => verifyDigest(Buffer.from("other"), digest, "blob b"),
      (e: unknown) => isReshipError(e, "DIGEST_MISMATCH") && /blob b/.test(e.message),
    );
  });
});

describe("DigestVerifier", () => {
  const cases: [string, Buffer[], number | undefined, boolean][] = [
    ["right bytes in pieces", [bytes.subarray(0, 3), bytes.subarray(3)], undefined, true],
    ["right bytes and size", [bytes], bytes.length, true],
    ["wrong bytes", [Buffer.from("hello, registrY")], undefined, false],
    ["too many bytes", [bytes, Buffer.from("!")], bytes.length, false],
    ["too few bytes", [bytes.subarray(1)], bytes.length, false],
  ];
  for (const [name, chunks, size, ok] of cases) {
    test(name, async () => {
      const run = drain(new DigestVerifier(digest, "blob", size), chunks);
      if (ok) await run;
      else await assert.rejects(run, (e: unknown) => isReshipError(e, "DIGEST_MISMATCH"));
    });
  }
});
