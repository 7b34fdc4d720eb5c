import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parseDigest, parseRepository, REVISION_LABEL } from "../oci/index.js";
import type { Reference } from "../oci/index.js";
import type { RegistryClient } from "../registry/index.js";
import { observeRepository } from "./observe.js";
import { parseVersion, versionTags } from "./tags.js";

const sha = "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d";
const commitDigest = parseDigest(`sha256:${"a".repeat(64)}`);
const otherDigest = parseDigest(`sha256:${"b".repeat(64)}`);
const configDigest = parseDigest(`sha256:${"c".repeat(64)}`);
const manifest = {
  schemaVersion: 2,
  mediaType: "application/vnd.oci.image.manifest.v1+json",
  config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: configDigest, size: 2 },
  layers: [],
};

/**
 * A registry that answers HEAD 404 for the version tag although the tag
 * exists (some registries do), and tells the truth to a GET and in its tag list.
 */
function registryHidingTag(tag: string, digest: string): { client: RegistryClient; confirmed: string[] } {
  const confirmed: string[] = [];
  const fake = {
    headManifest: (ref: Reference, options?: { confirmNotFound?: boolean }) => {
      if (ref.tag === "sha-1a2b3c4") return Promise.resolve({ digest: commitDigest });
      const confirming = options?.confirmNotFound !== false;
      if (confirming) confirmed.push(ref.tag ?? "");
      return Promise.resolve(ref.tag === tag && confirming ? { digest } : undefined);
    },
    listTags: () => Promise.resolve(["sha-1a2b3c4", tag]),
    getManifest: () =>
      Promise.resolve({
        descriptor: { mediaType: manifest.mediaType, digest: commitDigest, size: 100 },
        bytes: Buffer.from(JSON.stringify(manifest)),
        manifest: { kind: "manifest", ...manifest },
      }),
    getConfig: () => Promise.resolve({ labels: { [REVISION_LABEL]: sha } }),
  };
  return { client: fake as unknown as RegistryClient, confirmed };
}

describe("observeRepository", () => {
  test("missing tags cost one HEAD; a version tag the tag list names is confirmed, and its conflict found", async () => {
    const rules = {
      templates: ["{{version}}", "{{major}}.{{minor}}", "{{major}}", "latest"],
      prefix: "",
      suffix: "",
    };
    const { client, confirmed } = registryHidingTag("1.4.2", otherDigest);
    const observed = await observeRepository({
      client,
      repository: parseRepository("registry.example.com/team/app"),
      mode: "release",
      commit: sha,
      commitTag: "sha-1a2b3c4",
      tags: versionTags(parseVersion("1.4.2"), rules, { floating: true }),
      rules,
      policy: { force: false, immutableVersions: true, strictProvenance: false, rebuild: false },
    });
    assert.deepEqual(confirmed, ["1.4.2"]);
    assert.equal(observed.decision.action, "conflict");
  });
});
