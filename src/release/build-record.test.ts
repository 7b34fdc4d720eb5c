import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import fc from "fast-check";
import {
  OCI_MANIFEST,
  parseManifest,
  referrerDescriptor,
  artifactManifest,
  parseRepository,
} from "../oci/index.js";
import type { Descriptor, Digest } from "../oci/index.js";
import { RegistryClient } from "../registry/index.js";
import {
  BUILD_RECORD_TYPE,
  buildRecordArtifact,
  lookUpBuildRecord,
  readBuildRecord,
  writeBuildRecord,
} from "./build-record.js";
import type { BuildRecord } from "./build-record.js";

const IMAGE = `sha256:${"a".repeat(64)}` as Digest;
const subject: Descriptor = { mediaType: OCI_MANIFEST, digest: IMAGE, size: 1234 };
const RECORD: BuildRecord = { builder: "buildah", durationMs: 41_200, recorded: "2026-11-22T19:40:00.000Z" };

function entry(
  annotations: Record<string, string> | undefined,
  artifactType = BUILD_RECORD_TYPE,
): Descriptor {
  return {
    mediaType: OCI_MANIFEST,
    digest: `sha256:${"b".repeat(64)}` as Digest,
    size: 600,
    artifactType,
    ...(annotations !== undefined ? { annotations } : {}),
  };
}

const annotations = (over: Record<string, string> = {}): Record<string, string> => ({
  "org.opencontainers.image.created": "2026-11-22T19:40:00.000Z",
  "dev.reship.build.duration-ms": "41200",
  "dev.reship.build.builder": "buildah",
  ...over,
});

describe("build record artifact", () => {
  test("type, subject and annotations; the duration in whole milliseconds", () => {
    const artifact = buildRecordArtifact(subject, { ...RECORD, durationMs: 41_199.6 });
    assert.equal(artifact.artifactType, "application/vnd.reship.build-record.v1+json");
    assert.equal(artifact.subject, subject);
    assert.deepEqual(artifact.annotations, annotations());
    const manifest = parseManifest(artifactManifest(artifact));
    assert.equal(manifest.artifactType, BUILD_RECORD_TYPE);
    assert.equal(manifest.subject?.digest, IMAGE);
  });
});

describe("readBuildRecord", () => {
  const cases: { name: string; referrers: Descriptor[]; expected: BuildRecord | undefined }[] = [
    { name: "no referrers", referrers: [], expected: undefined },
    { name: "a record", referrers: [entry(annotations())], expected: RECORD },
    {
      name: "another artifact type only",
      referrers: [entry(annotations(), "application/vnd.example.sig")],
      expected: undefined,
    },
    { name: "no annotations", referrers: [entry(undefined)], expected: undefined },
    {
      name: "a duration that is not whole milliseconds",
      referrers: [entry(annotations({ "dev.reship.build.duration-ms": "41.2" }))],
      expected: undefined,
    },
    {
      name: "a negative duration",
      referrers: [entry(annotations({ "dev.reship.build.duration-ms": "-5" }))],
      expected: undefined,
    },
    {
      name: "a created time that is not a date",
      referrers: [entry(annotations({ "org.opencontainers.image.created": "yesterday" }))],
      expected: undefined,
    },
    {
      name: "an empty builder",
      referrers: [entry(annotations({ "dev.reship.build.builder": "" }))],
      expected: undefined,
    },
    {
      name: "a broken record beside a good one: the good one",
      referrers: [entry(annotations({ "dev.reship.build.duration-ms": "x" })), entry(annotations())],
      expected: RECORD,
    },
    {
      name: "built twice: the latest record",
      referrers: [
        entry(
          annotations({
            "org.opencontainers.image.created": "2026-11-23T08:00:00.000Z",
            "dev.reship.build.duration-ms": "9000",
          }),
        ),
        entry(annotations()),
      ],
      expected: { builder: "buildah", durationMs: 9000, recorded: "2026-11-23T08:00:00.000Z" },
    },
  ];
  for (const c of cases) {
    test(c.name, () => assert.deepEqual(readBuildRecord(c.referrers), c.expected));
  }

  test("what is written reads back through the referrers entry", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("buildah", "buildx", "docker"),
        fc.integer({ min: 0, max: 10 * 24 * 3600 * 1000 }),
        fc.date({
          min: new Date("2000-01-01T00:00:00Z"),
          max: new Date("2100-01-01T00:00:00Z"),
          noInvalidDate: true,
        }),
        (builder, durationMs, date) => {
          const record: BuildRecord = { builder, durationMs, recorded: date.toISOString() };
          const artifact = buildRecordArtifact(subject, record);
          const listed = referrerDescriptor(entry(undefined), artifact);
          assert.deepEqual(readBuildRecord([listed]), record);
        },
      ),
    );
  });
});

describe("writing and reading never fail a release", () => {
  // A transport that cannot reach anything: each request fails as a refused connection would.
  const unreachable = new RegistryClient({
    transport: () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:1")),
  });
  const repo = parseRepository("127.0.0.1:1/team/app");

  test("a record that cannot be written is a warning", async () => {
    const warning = await writeBuildRecord(unreachable, repo, subject, RECORD);
    assert.match(warning ?? "", /build record of sha256:a{64} was not written.*ECONNREFUSED/);
  });

  test("a lookup that fails is a warning and no record", async () => {
    const found = await lookUpBuildRecord(unreachable, repo, IMAGE);
    assert.equal(found.record, undefined);
    assert.match(found.warning ?? "", /could not be read.*ECONNREFUSED/);
  });
});
