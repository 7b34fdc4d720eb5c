import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import type { Descriptor, Digest } from "./index.js";
import {
  EMPTY_DESCRIPTOR,
  EMPTY_JSON,
  OCI_INDEX,
  OCI_MANIFEST,
  addReferrer,
  artifactManifest,
  parseManifest,
  referrerDescriptor,
} from "./index.js";

const IMAGE = `sha256:${"a".repeat(64)}` as Digest;
const ARTIFACT = `sha256:${"b".repeat(64)}` as Digest;
const OTHER = `sha256:${"c".repeat(64)}` as Digest;
const subject: Descriptor = { mediaType: OCI_MANIFEST, digest: IMAGE, size: 1234 };
const spec = {
  artifactType: "application/vnd.example.record.v1+json",
  subject,
  annotations: { "org.opencontainers.image.created": "2026-11-22T19:40:00.000Z", "x.y": "1" },
};

const decode = (bytes: Uint8Array): unknown => JSON.parse(new TextDecoder().decode(bytes));

describe("artifact manifest", () => {
  test("the empty descriptor is the sha256 of the 2-byte {} blob", async () => {
    assert.equal(new TextDecoder().decode(EMPTY_JSON), "{}");
    const hash = Buffer.from(await crypto.subtle.digest("SHA-256", EMPTY_JSON)).toString("hex");
    assert.equal(EMPTY_DESCRIPTOR.digest, `sha256:${hash}`);
    assert.equal(EMPTY_DESCRIPTOR.size, EMPTY_JSON.length);
  });

  test("exact bytes: OCI manifest, artifactType, empty config and one empty layer, subject, annotations", () => {
    const empty = `{"mediaType":"application/vnd.oci.empty.v1+json","digest":"${EMPTY_DESCRIPTOR.digest}","size":2}`;
    assert.equal(
      new TextDecoder().decode(artifactManifest(spec)),
      `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",` +
        `"artifactType":"application/vnd.example.record.v1+json","config":${empty},"layers":[${empty}],` +
        `"subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"${IMAGE}","size":1234},` +
        `"annotations":{"org.opencontainers.image.created":"2026-11-22T19:40:00.000Z","x.y":"1"}}`,
    );
  });

  test("the subject keeps only mediaType, digest and size; the bytes parse back", () => {
    const withExtras: Descriptor = {
      ...subject,
      annotations: { a: "b" },
      platform: { os: "linux", architecture: "amd64" },
    };
    const parsed = parseManifest(artifactManifest({ ...spec, subject: withExtras }));
    assert.equal(parsed.kind, "manifest");
    assert.equal(parsed.artifactType, spec.artifactType);
    assert.deepEqual(parsed.subject, subject);
    assert.deepEqual(parsed.annotations, spec.annotations);
    assert.ok(parsed.kind === "manifest" && parsed.layers.length === 1);
  });

  test("the referrers entry copies artifactType and every annotation", () => {
    const entry = referrerDescriptor({ mediaType: OCI_MANIFEST, digest: ARTIFACT, size: 500 }, spec);
    assert.deepEqual(entry, {
      mediaType: OCI_MANIFEST,
      digest: ARTIFACT,
      size: 500,
      artifactType: spec.artifactType,
      annotations: spec.annotations,
    });
  });
});

describe("addReferrer (referrers tag schema)", () => {
  const entry: Descriptor = { mediaType: OCI_MANIFEST, digest: ARTIFACT, size: 500, artifactType: "t" };
  const other = { mediaType: OCI_MANIFEST, digest: OTHER, size: 7, artifactType: "sig" };
  const bytes = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

  const cases: { name: string; current: unknown; expected: unknown }[] = [
    {
      name: "no tag yet: a new index with the entry",
      current: undefined,
      expected: { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [entry] },
    },
    {
      name: "an index with another referrer: appended, other fields kept",
      current: { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [other], annotations: { k: "v" } },
      expected: {
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [other, entry],
        annotations: { k: "v" },
      },
    },
    {
      name: "an index without mediaType is still an OCI index",
      current: { schemaVersion: 2, manifests: [] },
      expected: { schemaVersion: 2, manifests: [entry] },
    },
    {
      name: "already listed: nothing to write",
      current: { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [other, { ...entry, size: 500 }] },
      expected: undefined,
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const out = addReferrer(c.current === undefined ? undefined : bytes(c.current), entry);
      assert.deepEqual(out === undefined ? undefined : decode(out), c.expected);
    });
  }

  const refused: { name: string; current: Uint8Array }[] = [
    { name: "not JSON", current: new TextEncoder().encode("{") },
    { name: "an image manifest", current: bytes({ schemaVersion: 2, mediaType: OCI_MANIFEST, layers: [] }) },
    {
      name: "a Docker manifest list",
      current: bytes({
        schemaVersion: 2,
        mediaType: "application/vnd.docker.distribution.manifest.list.v2+json",
        manifests: [],
      }),
    },
    { name: "an array", current: bytes([]) },
  ];
  for (const c of refused) {
    test(`refuses ${c.name}`, () => {
      assert.throws(() => addReferrer(c.current, entry), { code: "INVALID_MANIFEST" });
    });
  }
});
