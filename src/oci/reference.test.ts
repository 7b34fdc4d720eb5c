import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import fc from "fast-check";
import { isReshipError } from "../errors.js";
import {
  formatReference,
  manifestIdentifier,
  parseReference,
  parseRepository,
  withTag,
} from "./reference.js";

const D = `sha256:${"a".repeat(64)}`;

describe("parseReference normalization", () => {
  const cases: [string, { registry: string; host: string; path: string; tag?: string; digest?: string }][] = [
    ["nginx", { registry: "docker.io", host: "registry-1.docker.io", path: "library/nginx", tag: "latest" }],
    [
      "nginx:1.25",
      { registry: "docker.io", host: "registry-1.docker.io", path: "library/nginx", tag: "1.25" },
    ],
    ["acme/app", { registry: "docker.io", host: "registry-1.docker.io", path: "acme/app", tag: "latest" }],
    [
      "docker.io/nginx",
      { registry: "docker.io", host: "registry-1.docker.io", path: "library/nginx", tag: "latest" },
    ],
    [
      "index.docker.io/acme/app:v1",
      { registry: "docker.io", host: "registry-1.docker.io", path: "acme/app", tag: "v1" },
    ],
    ["localhost/app", { registry: "localhost", host: "localhost", path: "app", tag: "latest" }],
    [
      "localhost:5000/team/app:x",
      { registry: "localhost:5000", host: "localhost:5000", path: "team/app", tag: "x" },
    ],
    [
      "127.0.0.1:5000/app",
      { registry: "127.0.0.1:5000", host: "127.0.0.1:5000", path: "app", tag: "latest" },
    ],
    ["ghcr.io/acme/app/sub:1.0", { registry: "ghcr.io", host: "ghcr.io", path: "acme/app/sub", tag: "1.0" }],
    ["Registry/app", { registry: "Registry", host: "Registry", path: "app", tag: "latest" }],
    [`ghcr.io/acme/app@${D}`, { registry: "ghcr.io", host: "ghcr.io", path: "acme/app", digest: D }],
    [
      `ghcr.io/acme/app:v1@${D}`,
      { registry: "ghcr.io", host: "ghcr.io", path: "acme/app", tag: "v1", digest: D },
    ],
    ["[::1]:5000/app:v1", { registry: "[::1]:5000", host: "[::1]:5000", path: "app", tag: "v1" }],
    [
      "a/b__c/d-e--f.g_h",
      { registry: "docker.io", host: "registry-1.docker.io", path: "a/b__c/d-e--f.g_h", tag: "latest" },
    ],
  ];
  for (const [input, want] of cases) {
    test(input, () => {
      const ref = parseReference(input);
      assert.equal(ref.repository.registry, want.registry);
      assert.equal(ref.repository.host, want.host);
      assert.equal(ref.repository.path, want.path);
      assert.equal(ref.tag, want.tag);
      assert.equal(ref.digest, want.digest);
    });
  }
});

describe("parseReference rejects bad input, naming the bad part", () => {
  const cases: [string, RegExp][] = [
    ["", /empty image reference/],
    ["repo:x!", /invalid tag "x!" in "repo:x!": a tag is/],
    ["repo:", /invalid tag ""/],
    ["repo:-x", /invalid tag "-x"/],
    [`repo:${"a".repeat(129)}`, /invalid tag/],
    ["Nginx", /component "Nginx" in "Nginx": repository names must be lowercase/],
    ["acme/App", /component "App" in "acme\/App": repository names must be lowercase/],
    ["acme//app", /empty repository path component/],
    [" nginx", /invalid repository path component " nginx"/],
    ["acme/app-", /invalid repository path component "app-"/],
    ["acme/_app", /invalid repository path component "_app"/],
    ["ghcr.io/", /empty repository path component in "ghcr.io\/"/],
    [
      "repo@sha256:abc",
      /invalid digest "sha256:abc" in "repo@sha256:abc": a sha256 digest has 64 hex digits/,
    ],
    [`repo@md5:${"a".repeat(32)}`, /unsupported algorithm "md5"/],
    [`repo@sha256:${"A".repeat(64)}`, /lowercase hex/],
    ["-bad.io/app", /invalid registry "-bad.io"/],
    [`acme/${"a".repeat(260)}`, /at most 255/],
    ["a b", /invalid repository path component "a b"/],
  ];
  for (const [input, message] of cases) {
    test(JSON.stringify(input).slice(0, 60), () => {
      assert.throws(
        () => parseReference(input),
        (err: unknown) => isReshipError(err, "INVALID_REFERENCE") && message.test(err.message),
      );
    });
  }
});

test("parseRepository refuses tags and digests", () => {
  assert.equal(parseRepository("localhost:5000/a/b").path, "a/b");
  assert.throws(() => parseRepository("a/b:v1"), /has no tag/);
  assert.throws(() => parseRepository(`a/b@${D}`), /has no digest/);
});

test("withTag validates the tag", () => {
  const repo = parseRepository("ghcr.io/acme/app");
  assert.equal(formatReference(withTag(repo, "v1.2.3")), "ghcr.io/acme/app:v1.2.3");
  assert.throws(() => withTag(repo, "v1/2"), /invalid tag "v1\/2" in "ghcr.io\/acme\/app:v1\/2"/);
});

test("manifestIdentifier prefers the digest", () => {
  assert.equal(manifestIdentifier(parseReference(`a:v1@${D}`)), D);
  assert.equal(manifestIdentifier(parseReference("a:v1")), "v1");
});

// Generators for valid references.
const lower = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789".split(""));
const alnum = fc.string({ unit: lower, minLength: 1, maxLength: 6 });
const separator = fc.constantFrom(".", "_", "__", "-", "--");
const pathComponent = fc
  .tuple(alnum, fc.array(fc.tuple(separator, alnum), { maxLength: 2 }))
  .map(([head, rest]) => head + rest.map(([s, a]) => s + a).join(""));
const path = fc.array(pathComponent, { minLength: 1, maxLength: 3 }).map((c) => c.join("/"));
const hostLabel = fc.string({ unit: fc.constantFrom(..."abcxyz019".split("")), minLength: 1, maxLength: 5 });
const registry = fc.oneof(
  fc.constant(""),
  fc.constant("localhost/"),
  fc.tuple(hostLabel, hostLabel).map(([a, b]) => `${a}.${b}/`),
  fc.tuple(hostLabel, fc.integer({ min: 1, max: 65535 })).map(([a, p]) => `${a}:${p}/`),
);
const tagChar = fc.constantFrom(..."abcXYZ019_.-".split(""));
const tag = fc
  .tuple(fc.constantFrom(..."aZ0_".split("")), fc.string({ unit: tagChar, maxLength: 20 }))
  .map(([a, b]) => a + b);
const digest = fc
  .string({ unit: fc.constantFrom(..."0123456789abcdef".split("")), minLength: 64, maxLength: 64 })
  .map((h) => `sha256:${h}`);
const reference = fc
  .tuple(registry, path, fc.option(tag), fc.option(digest))
  // A dotted first component would be read as a registry: name Docker Hub explicitly then.
  .map(
    ([r, p, t, d]) => [r === "" && /[.:]/.test(p.split("/")[0] ?? "") ? "docker.io/" : r, p, t, d] as const,
  )
  .map(([r, p, t, d]) => `${r}${p}${t === null ? "" : `:${t}`}${d === null ? "" : `@${d}`}`);

describe("reference properties", () => {
  test("parse(format(parse(s))) equals parse(s), and format is a fixed point", () => {
    fc.assert(
      fc.property(reference, (input) => {
        const ref = parseReference(input);
        const text = formatReference(ref);
        assert.deepEqual(parseReference(text), ref);
        assert.equal(formatReference(parseReference(text)), text);
      }),
    );
  });

  test("the formatted reference keeps the tag and digest given", () => {
    fc.assert(
      fc.property(path, tag, digest, (p, t, d) => {
        const ref = parseReference(`example.com/${p}:${t}@${d}`);
        assert.equal(ref.tag, t);
        assert.equal(ref.digest, d);
        assert.equal(ref.repository.path, p);
      }),
    );
  });

  test("a tag with a character outside the grammar is rejected", () => {
    const bad = fc.constantFrom(..."!$%^&*()+= ,;'\"\\".split(""));
    fc.assert(
      fc.property(path, tag, bad, (p, t, c) => {
        assert.throws(
          () => parseReference(`example.com/${p}:${t}${c}`),
          (err: unknown) => isReshipError(err, "INVALID_REFERENCE"),
        );
      }),
    );
  });

  test("an uppercase letter in the path is rejected", () => {
    fc.assert(
      fc.property(path, fc.constantFrom(..."ABCXYZ".split("")), (p, c) => {
        assert.throws(() => parseReference(`example.com/${p}${c}`), /must be lowercase/);
      }),
    );
  });

  test("a digest of the wrong length is rejected", () => {
    fc.assert(
      fc.property(
        path,
        fc.string({ unit: fc.constantFrom(..."0123456789abcdef".split("")), minLength: 1, maxLength: 130 }),
        (p, hex) => {
          fc.pre(hex.length !== 64);
          assert.throws(() => parseReference(`example.com/${p}@sha256:${hex}`), /invalid digest/);
        },
      ),
    );
  });
});
