import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { oauthForm, parseTokenResponse, tokenUrl } from "./token.js";

const NOW = 1_000_000;

describe("parseTokenResponse", () => {
  const cases: { name: string; body: string; token: string; expiresAt: number }[] = [
    {
      name: "token with expires_in",
      body: '{"token":"t1","expires_in":300}',
      token: "t1",
      expiresAt: NOW + 300_000 - 5_000,
    },
    {
      name: "access_token only",
      body: '{"access_token":"t2","expires_in":300}',
      token: "t2",
      expiresAt: NOW + 300_000 - 5_000,
    },
    {
      name: "both: token wins",
      body: '{"token":"t3","access_token":"other"}',
      token: "t3",
      expiresAt: NOW + 60_000 - 5_000,
    },
    { name: "no expires_in: 60 s", body: '{"token":"t4"}', token: "t4", expiresAt: NOW + 55_000 },
    {
      name: "short lifetime: margin is a tenth",
      body: '{"token":"t5","expires_in":10}',
      token: "t5",
      expiresAt: NOW + 9_000,
    },
  ];
  for (const c of cases) {
    test(c.name, () =>
      assert.deepEqual(parseTokenResponse(c.body, NOW, "https://a/t"), {
        token: c.token,
        expiresAt: c.expiresAt,
      }),
    );
  }
  test("no token is an error that does not echo the body", () => {
    assert.throws(
      () => parseTokenResponse('{"secret":"x"}', NOW, "https://a/t"),
      (err: Error) => !err.message.includes('"x"'),
    );
  });
  test("not JSON", () => assert.throws(() => parseTokenResponse("<html>", NOW, "https://a/t"), /not JSON/));
});

describe("token requests", () => {
  test("GET carries service and every scope", () => {
    const url = tokenUrl({
      registry: "r",
      realm: "https://auth.example/token?x=1",
      service: "reg",
      scopes: ["repository:a:pull,push", "repository:b:pull"],
    });
    assert.equal(url.origin + url.pathname, "https://auth.example/token");
    assert.equal(url.searchParams.get("x"), "1");
    assert.equal(url.searchParams.get("service"), "reg");
    assert.deepEqual(url.searchParams.getAll("scope"), ["repository:a:pull,push", "repository:b:pull"]);
  });
  test("OAuth form joins scopes with spaces", () => {
    const form = new URLSearchParams(
      oauthForm(
        {
          registry: "r",
          realm: "https://a/t",
          service: "reg",
          scopes: ["repository:a:pull", "repository:b:push"],
        },
        "REFRESH",
      ),
    );
    assert.equal(form.get("grant_type"), "refresh_token");
    assert.equal(form.get("refresh_token"), "REFRESH");
    assert.equal(form.get("service"), "reg");
    assert.equal(form.get("client_id"), "reship");
    assert.equal(form.get("scope"), "repository:a:pull repository:b:push");
  });
});
