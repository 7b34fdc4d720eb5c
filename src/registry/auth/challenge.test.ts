import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { findChallenge, parseChallenges } from "./challenge.js";

describe("parseChallenges", () => {
  const cases: { name: string; header: string; want: unknown }[] = [
    {
      name: "docker hub bearer",
      header:
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull"',
      want: [
        {
          scheme: "bearer",
          params: {
            realm: "https://auth.docker.io/token",
            service: "registry.docker.io",
            scope: "repository:library/alpine:pull",
          },
        },
      ],
    },
    {
      name: "quoted value with a comma (pull,push) and spaces around =",
      header: 'Bearer realm = "https://t/x", scope="repository:a/b:pull,push"',
      want: [{ scheme: "bearer", params: { realm: "https://t/x", scope: "repository:a/b:pull,push" } }],
    },
    {
      name: "two challenges in one header",
      header: 'Basic realm="Registry Realm", Bearer realm="https://a/t",error="invalid_token"',
      want: [
        { scheme: "basic", params: { realm: "Registry Realm" } },
        { scheme: "bearer", params: { realm: "https://a/t", error: "invalid_token" } },
      ],
    },
    {
      name: "escapes inside quotes",
      header: 'Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"',
      want: [
        { scheme: "newauth", params: { realm: "apps", type: "1", title: 'Login to "apps"' } },
        { scheme: "basic", params: { realm: "simple" } },
      ],
    },
    {
      name: "token68 and a bare scheme",
      header: "Negotiate abc123==, Basic",
      want: [
        { scheme: "negotiate", params: {}, token68: "abc123==" },
        { scheme: "basic", params: {} },
      ],
    },
    {
      name: "scheme and names are case-insensitive, values keep case",
      header: 'BASIC Realm="MiXed"',
      want: [{ scheme: "basic", params: { realm: "MiXed" } }],
    },
    { name: "empty header", header: "", want: [] },
    {
      name: "several scopes in one quoted value",
      header: 'Bearer realm="r",scope="repository:a:pull repository:b:pull,push"',
      want: [{ scheme: "bearer", params: { realm: "r", scope: "repository:a:pull repository:b:pull,push" } }],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.deepEqual(parseChallenges(c.header), c.want);
    });
  }

  test("findChallenge picks by scheme", () => {
    const challenges = parseChallenges('Basic realm="x", Bearer realm="y"');
    assert.equal(findChallenge(challenges, "Bearer")?.params["realm"], "y");
    assert.equal(findChallenge(challenges, "digest"), undefined);
  });
});
