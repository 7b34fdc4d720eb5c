import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { isReshipError } from "../errors.js";
import { imageSize, manifestReferences, parseManifest } from "./manifest.js";
import { DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, OCI_INDEX, OCI_MANIFEST } from "./media-types.js";

const d = (c: string) => `sha256:${c.repeat(64)}`;
const enc = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const image = (mediaType?: string) => ({
  schemaVersion: 2,
  ...(mediaType ? { mediaType } : {}),
  config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: d("c"), size: 10 },
  layers: [
    { mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: d("1"), size: 100 },
    { mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: d("2"), size: 200 },
  ],
});
const index = (mediaType?: string) => ({
  schemaVersion: 2,
  ...(mediaType ? { mediaType } : {}),
  manifests: [
    { mediaType: OCI_MANIFEST, digest: d("a"), size: 5, platform: { os: "linux", architecture: "amd64" } },
    {
      mediaType: OCI_MANIFEST,
      digest: d("b"),
      size: 5,
      platform: { os: "linux", architecture: "arm64", variant: "v8" },
    },
  ],
});

describe("parseManifest accepts the four manifest types", () => {
  const cases: [string, unknown, string | undefined, string, "manifest" | "index"][] = [
    ["Docker schema 2", image(DOCKER_MANIFEST), DOCKER_MANIFEST, DOCKER_MANIFEST, "manifest"],
    ["Docker list", index(DOCKER_MANIFEST_LIST), DOCKER_MANIFEST_LIST, DOCKER_MANIFEST_LIST, "index"],
    ["OCI manifest", image(OCI_MANIFEST), OCI_MANIFEST, OCI_MANIFEST, "manifest"],
    ["OCI index", index(OCI_INDEX), OCI_INDEX, OCI_INDEX, "index"],
    [
      "OCI manifest without mediaType, typed by header",
      image(),
      `${OCI_MANIFEST}; charset=utf-8`,
      OCI_MANIFEST,
      "manifest",
    ],
    ["OCI index without mediaType or header", index(), undefined, OCI_INDEX, "index"],
    [
      "body wins over a wrong header",
      image(DOCKER_MANIFEST),
      "application/json",
      DOCKER_MANIFEST,
      "manifest",
    ],
    ["inferred when the header is generic", image(), "application/json", OCI_MANIFEST, "manifest"],
  ];
  for (const [name, body, contentType, mediaType, kind] of cases) {
    test(name, () => {
      const m = parseManifest(enc(body), contentType);
      assert.equal(m.mediaType, mediaType);
      assert.equal(m.kind, kind);
      assert.equal(manifestReferences(m).length, kind === "index" ? 2 : 3);
    });
  }
});

describe("parseManifest rejects", () => {
  const cases: [string, Uint8Array, string | undefined, string, RegExp][] = [
    [
      "schema 1",
      enc({ schemaVersion: 1, name: "a", fsLayers: [] }),
      "application/vnd.docker.distribution.manifest.v1+prettyjws",
      "UNSUPPORTED_MEDIA_TYPE",
      /schema 1/,
    ],
    [
      "unknown type",
      enc({ ...image(), mediaType: "application/vnd.example+json" }),
      undefined,
      "UNSUPPORTED_MEDIA_TYPE",
      /"application\/vnd.example\+json"/,
    ],
    ["not JSON", new TextEncoder().encode("<html>"), undefined, "INVALID_MANIFEST", /not UTF-8 JSON/],
    ["an array", enc([]), undefined, "INVALID_MANIFEST", /not a JSON object/],
    [
      "schemaVersion 3",
      enc({ ...image(OCI_MANIFEST), schemaVersion: 3 }),
      undefined,
      "INVALID_MANIFEST",
      /schemaVersion is 3/,
    ],
    [
      "a bad layer digest",
      enc({ ...image(OCI_MANIFEST), layers: [{ mediaType: "x", digest: "sha256:zz", size: 1 }] }),
      undefined,
      "INVALID_MANIFEST",
      /layers\[0\]: invalid digest/,
    ],
    [
      "a negative size",
      enc({ ...image(OCI_MANIFEST), config: { mediaType: "x", digest: d("c"), size: -1 } }),
      undefined,
      "INVALID_MANIFEST",
      /config: invalid size -1/,
    ],
    [
      "an index with layers",
      enc({ ...index(OCI_INDEX), layers: [] }),
      undefined,
      "INVALID_MANIFEST",
      /has config or layers/,
    ],
    [
      "a manifest with manifests",
      enc({ ...image(OCI_MANIFEST), manifests: [] }),
      undefined,
      "INVALID_MANIFEST",
      /has a manifests list/,
    ],
    [
      "no shape at all",
      enc({ schemaVersion: 2 }),
      undefined,
      "INVALID_MANIFEST",
      /neither config nor manifests/,
    ],
  ];
  for (const [name, bytes, contentType, code, message] of cases) {
    test(name, () => {
      assert.throws(
        () => parseManifest(bytes, contentType),
        (err: unknown) => isReshipError(err) && err.code === code && message.test(err.message),
      );
    });
  }
});

test("imageSize sums the layers", () => {
  const m = parseManifest(enc(image(OCI_MANIFEST)));
  assert.ok(m.kind === "manifest");
  assert.equal(imageSize(m), 300);
});

test("index platforms are kept", () => {
  const m = parseManifest(enc(index(OCI_INDEX)));
  assert.ok(m.kind === "index");
  assert.deepEqual(m.manifests[1]?.platform, { os: "linux", architecture: "arm64", variant: "v8" });
});
