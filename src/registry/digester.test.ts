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
  // The last two have the right bytes, so only the size check can refuse them.
  const cases: [string, Buffer[], number | undefined, RegExp | undefined][] = [
    ["right bytes in pieces", [bytes.subarray(0, 3), bytes.subarray(3)], undefined, undefined],
    ["right bytes and size", [bytes], bytes.length, undefined],
    ["wrong bytes", [Buffer.from("hello, registrY")], undefined, /hashes to/],
    ["too many bytes", [bytes, Buffer.from("!")], bytes.length, /more than the expected/],
    ["too few bytes", [bytes.subarray(1)], bytes.length, /hashes to/],
    ["right bytes, more than the size given", [bytes], bytes.length - 1, /more than the expected/],
    ["right bytes, fewer than the size given", [bytes], bytes.length + 1, /\d+ bytes, expected \d+/],
  ];
  for (const [name, chunks, size, refused] of cases) {
    test(name, async () => {
      const run = drain(new DigestVerifier(digest, "blob", size), chunks);
      if (refused === undefined) await run;
      else
        await assert.rejects(
          run,
          (e: unknown) => isReshipError(e, "DIGEST_MISMATCH") && refused.test(e.message),
        );
    });
  }
});
