import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chainCredentials, envCredentials, normalizeRegistryHost, staticCredentials } from "./credentials.js";
import { credentialFromAuthEntry, dockerConfigCredentials } from "./docker-config.js";
import type { HelperRunner } from "./helper.js";

describe("normalizeRegistryHost", () => {
  const cases: [string, string][] = [
    ["https://index.docker.io/v1/", "docker.io"],
    ["index.docker.io", "docker.io"],
    ["registry-1.docker.io", "docker.io"],
    ["docker.io", "docker.io"],
    ["GHCR.io", "ghcr.io"],
    ["http://localhost:5000/v2/", "localhost:5000"],
    ["registry.example.com:5000", "registry.example.com:5000"],
  ];
  for (const [input, want] of cases) test(input, () => assert.equal(normalizeRegistryHost(input), want));
});

describe("envCredentials", () => {
  test("RESHIP_REGISTRY with user and password", async () => {
    const store = envCredentials({
      RESHIP_REGISTRY: "reg.example:5000",
      RESHIP_USERNAME: "ci",
      RESHIP_PASSWORD: "pw",
    });
    assert.deepEqual(await store.get("reg.example:5000"), { username: "ci", password: "pw" });
    assert.equal(await store.get("other.example"), undefined);
  });
  test("GITHUB_TOKEN for ghcr.io, user from GITHUB_ACTOR", async () => {
    assert.deepEqual(await envCredentials({ GITHUB_TOKEN: "gh", GITHUB_ACTOR: "octo" }).get("ghcr.io"), {
      username: "octo",
      password: "gh",
    });
    assert.deepEqual(await envCredentials({ GITHUB_TOKEN: "gh" }).get("ghcr.io"), {
      username: "x-access-token",
      password: "gh",
    });
  });
  test("nothing set: anonymous", async () => {
    assert.equal(await envCredentials({}).get("ghcr.io"), undefined);
  });
});

describe("chainCredentials", () => {
  test("first store with an answer wins", async () => {
    const store = chainCredentials(
      staticCredentials({ "a.example": { username: "1", password: "1" } }),
      staticCredentials({
        "a.example": { username: "2", password: "2" },
        "b.example": { username: "3", password: "3" },
      }),
    );
    assert.equal((await store.get("a.example"))?.username, "1");
    assert.equal((await store.get("b.example"))?.username, "3");
    assert.equal(await store.get("c.example"), undefined);
  });
  test("docker hub aliases meet", async () => {
    const store = staticCredentials({ "https://index.docker.io/v1/": { username: "hub", password: "x" } });
    assert.equal((await store.get("registry-1.docker.io"))?.username, "hub");
  });
});

describe("credentialFromAuthEntry", () => {
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  const cases: [string, Parameters<typeof credentialFromAuthEntry>[0], unknown][] = [
    [
      "auth split at the first colon",
      { auth: b64("robot$me:pa:ss") },
      { username: "robot$me", password: "pa:ss" },
    ],
    ["identitytoken", { auth: b64("u:p"), identitytoken: "rt" }, { identityToken: "rt" }],
    ["registrytoken", { registrytoken: "bt" }, { registryToken: "bt" }],
    ["username and password fields", { username: "u", password: "p" }, { username: "u", password: "p" }],
    ["empty entry", {}, undefined],
  ];
  for (const [name, entry, want] of cases)
    test(name, () => assert.deepEqual(credentialFromAuthEntry(entry, "x"), want));
  test("auth without a colon is CREDENTIALS and does not echo it", () => {
    assert.throws(
      () => credentialFromAuthEntry({ auth: b64("nocolonsecret") }, "r in config.json"),
      (err: Error & { code?: string }) =>
        err.code === "CREDENTIALS" && !err.message.includes("nocolonsecret"),
    );
  });
});

describe("dockerConfigCredentials", () => {
  const withConfig = async (config: unknown, run: (dir: string) => Promise<void>) => {
    const dir = await mkdtemp(join(tmpdir(), "reship-docker-config-"));
    try {
      if (config !== undefined) await writeFile(join(dir, "config.json"), JSON.stringify(config));
      await run(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
  const helpers = (answers: Record<string, string>): { runHelper: HelperRunner; calls: string[] } => {
    const calls: string[] = [];
    return {
      calls,
      runHelper: (command, _args, input) => {
        calls.push(`${command} ${input}`);
        const stdout = answers[command];
        return Promise.resolve(
          stdout === undefined
            ? { exitCode: 1, stdout: "credentials not found in native keychain", stderr: "" }
            : { exitCode: 0, stdout, stderr: "" },
        );
      },
    };
  };

  test("credHelpers, then credsStore, then auths", async () => {
    const config = {
      credHelpers: { "helped.example": "special" },
      credsStore: "store",
      auths: {
        "https://index.docker.io/v1/": { auth: Buffer.from("hub:pw").toString("base64") },
        "plain.example": { auth: Buffer.from("p:q").toString("base64") },
      },
    };
    await withConfig(config, async (configDir) => {
      const { runHelper, calls } = helpers({
        "docker-credential-special": '{"Username":"s","Secret":"1"}',
        "docker-credential-store": '{"Username":"<token>","Secret":"rt"}',
      });
      const store = dockerConfigCredentials({ configDir, runHelper });
      assert.deepEqual(await store.get("helped.example"), { username: "s", password: "1" });
      assert.deepEqual(await store.get("docker.io"), { identityToken: "rt" });
      assert.deepEqual(calls, [
        "docker-credential-special helped.example",
        "docker-credential-store https://index.docker.io/v1/",
      ]);
    });
    await withConfig({ auths: config.auths }, async (configDir) => {
      const store = dockerConfigCredentials({ configDir, runHelper: helpers({}).runHelper });
      assert.deepEqual(await store.get("registry-1.docker.io"), { username: "hub", password: "pw" });
      assert.deepEqual(await store.get("plain.example"), { username: "p", password: "q" });
      assert.equal(await store.get("unknown.example"), undefined);
    });
  });

  test("credsStore that has nothing falls back to auths", async () => {
    await withConfig(
      { credsStore: "store", auths: { "r.example": { auth: Buffer.from("a:b").toString("base64") } } },
      async (configDir) => {
        const store = dockerConfigCredentials({ configDir, runHelper: helpers({}).runHelper });
        assert.deepEqual(await store.get("r.example"), { username: "a", password: "b" });
      },
    );
  });

  test("no config.json: anonymous; malformed: CREDENTIALS naming the file", async () => {
    await withConfig(undefined, async (configDir) => {
      assert.equal(await dockerConfigCredentials({ configDir }).get("r.example"), undefined);
      await writeFile(join(configDir, "config.json"), "{not json");
      await assert.rejects(
        dockerConfigCredentials({ configDir }).get("r.example"),
        (err: Error & { code?: string }) => err.code === "CREDENTIALS" && err.message.includes("config.json"),
      );
    });
  });
});
