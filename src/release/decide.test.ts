import { describe, test } from "node:test";
import { strict as assert } from "node:assert";
import type { Digest } from "../oci/index.js";
import { decideRelease } from "./decide.js";
import type { Decision, DecisionPolicy, Observations, TagState } from "./decide.js";

const COMMIT = "0123456789abcdef0123456789abcdef01234567";
const OTHER_COMMIT = "fedcba9876543210fedcba9876543210fedcba98";
const C = `sha256:${"c".repeat(64)}` as Digest;
const ELSEWHERE = `sha256:${"e".repeat(64)}` as Digest;
const POLICY: DecisionPolicy = {
  force: false,
  immutableVersions: true,
  strictProvenance: false,
  rebuild: false,
};

/** Observations with nothing in the registry; override what a case needs. */
function observations(over: Partial<Observations> = {}): Observations {
  return {
    mode: "release",
    commit: COMMIT,
    commitTag: { tag: "sha-0123456", digest: undefined },
    versionTags: [{ tag: "1.4.2", digest: undefined }],
    floatingTags: [],
    heldBack: new Map(),
    revision: undefined,
    policy: POLICY,
    ...over,
  };
}

const outcome = (d: Decision): string =>
  d.action === "conflict"
    ? `conflict:${d.kind}`
    : d.action === "observe"
      ? `observe:${d.need.join("+")}`
      : d.action;

const digestOf = (state: string): Digest | undefined =>
  state === "atC" ? C : state === "elsewhere" ? ELSEWHERE : undefined;

const revisionOf = (state: string): Observations["revision"] =>
  state === "match"
    ? { value: COMMIT }
    : state === "other"
      ? { value: OTHER_COMMIT }
      : state === "none"
        ? { value: undefined }
        : undefined;

// Every combination of: the commit image (absent/present), the version tag
// (absent / at the commit image / elsewhere), the commit image's revision label
// (unread / this commit / another commit / none), --force, strict provenance.
// commit   version    label   force strict  expected
const RELEASE_TABLE = [
  "absent   absent     -       no   no   build",
  "absent   absent     -       no   yes  build",
  "absent   absent     -       yes  no   build",
  "absent   absent     -       yes  yes  build",
  "absent   elsewhere  -       no   no   conflict:version",
  "absent   elsewhere  -       no   yes  conflict:version",
  "absent   elsewhere  -       yes  no   build",
  "absent   elsewhere  -       yes  yes  build",
  "present  absent     unread  no   no   observe:provenance",
  "present  absent     unread  no   yes  observe:provenance",
  "present  absent     unread  yes  no   observe:provenance",
  "present  absent     unread  yes  yes  observe:provenance",
  "present  absent     match   no   no   retag",
  "present  absent     match   no   yes  retag",
  "present  absent     match   yes  no   retag",
  "present  absent     match   yes  yes  retag",
  "present  absent     other   no   no   build",
  "present  absent     other   no   yes  conflict:provenance",
  "present  absent     other   yes  no   build",
  "present  absent     other   yes  yes  conflict:provenance",
  "present  absent     none    no   no   build",
  "present  absent     none    no   yes  conflict:provenance",
  "present  absent     none    yes  no   build",
  "present  absent     none    yes  yes  conflict:provenance",
  "present  atC        unread  no   no   noop",
  "present  atC        unread  no   yes  noop",
  "present  atC        unread  yes  no   noop",
  "present  atC        unread  yes  yes  noop",
  "present  atC        match   no   no   noop",
  "present  atC        match   no   yes  noop",
  "present  atC        match   yes  no   noop",
  "present  atC        match   yes  yes  noop",
  "present  atC        other   no   no   noop",
  "present  atC        other   no   yes  noop",
  "present  atC        other   yes  no   noop",
  "present  atC        other   yes  yes  noop",
  "present  atC        none    no   no   noop",
  "present  atC        none    no   yes  noop",
  "present  atC        none    yes  no   noop",
  "present  atC        none    yes  yes  noop",
  "present  elsewhere  unread  no   no   conflict:version",
  "present  elsewhere  unread  no   yes  conflict:version",
  "present  elsewhere  unread  yes  no   observe:provenance",
  "present  elsewhere  unread  yes  yes  observe:provenance",
  "present  elsewhere  match   no   no   conflict:version",
  "present  elsewhere  match   no   yes  conflict:version",
  "present  elsewhere  match   yes  no   retag",
  "present  elsewhere  match   yes  yes  retag",
  "present  elsewhere  other   no   no   conflict:version",
  "present  elsewhere  other   no   yes  conflict:version",
  "present  elsewhere  other   yes  no   build",
  "present  elsewhere  other   yes  yes  conflict:provenance",
  "present  elsewhere  none    no   no   conflict:version",
  "present  elsewhere  none    no   yes  conflict:version",
  "present  elsewhere  none    yes  no   build",
  "present  elsewhere  none    yes  yes  conflict:provenance",
];

describe("decideRelease: release, every combination", () => {
  for (const row of RELEASE_TABLE) {
    const [commit, version, label, force, strict, expected] = row.split(/\s+/) as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    test(row, () => {
      const decision = decideRelease(
        observations({
          commitTag: { tag: "sha-0123456", digest: commit === "present" ? C : undefined },
          versionTags: [{ tag: "1.4.2", digest: digestOf(version) }],
          revision: revisionOf(label),
          policy: { ...POLICY, force: force === "yes", strictProvenance: strict === "yes" },
        }),
      );
      assert.equal(
        outcome(decision),
        expected,
        decision.action === "observe" ? "" : decision.reasons.join("; "),
      );
    });
  }
});

// commit   label   rebuild strict  expected
const BUILD_TABLE = [
  "absent   -       no   no   build",
  "absent   -       no   yes  build",
  "absent   -       yes  no   build",
  "absent   -       yes  yes  build",
  "present  unread  no   no   observe:provenance",
  "present  unread  no   yes  observe:provenance",
  "present  unread  yes  no   build",
  "present  unread  yes  yes  build",
  "present  match   no   no   noop",
  "present  match   no   yes  noop",
  "present  match   yes  no   build",
  "present  match   yes  yes  build",
  "present  other   no   no   build",
  "present  other   no   yes  conflict:provenance",
  "present  other   yes  no   build",
  "present  other   yes  yes  build",
  "present  none    no   no   build",
  "present  none    no   yes  conflict:provenance",
  "present  none    yes  no   build",
  "present  none    yes  yes  build",
];

describe("decideRelease: build, every combination", () => {
  for (const row of BUILD_TABLE) {
    const [commit, label, rebuild, strict, expected] = row.split(/\s+/) as [
      string,
      string,
      string,
      string,
      string,
    ];
    test(row, () => {
      const decision = decideRelease(
        observations({
          mode: "build",
          commitTag: { tag: "sha-0123456", digest: commit === "present" ? C : undefined },
          versionTags: [],
          revision: revisionOf(label),
          policy: { ...POLICY, rebuild: rebuild === "yes", strictProvenance: strict === "yes" },
        }),
      );
      assert.equal(outcome(decision), expected);
      if (decision.action === "build")
        assert.deepEqual(
          decision.writes.map((w) => w.tag),
          ["sha-0123456"],
        );
    });
  }
});

describe("decideRelease: floating tags and interrupted releases", () => {
  const latest = (digest: Digest | undefined): TagState => ({ tag: "latest", digest });
  const rows: readonly {
    name: string;
    obs: Partial<Observations>;
    expected: string;
    writes?: string[];
    held?: string[];
  }[] = [
    {
      name: "released and latest there: noop without listing tags",
      obs: {
        commitTag: { tag: "sha-0123456", digest: C },
        versionTags: [{ tag: "1.4.2", digest: C }],
        floatingTags: [latest(C)],
        heldBack: undefined,
      },
      expected: "noop",
    },
    {
      name: "released but latest missing (interrupted): list the tags first",
      obs: {
        commitTag: { tag: "sha-0123456", digest: C },
        versionTags: [{ tag: "1.4.2", digest: C }],
        floatingTags: [latest(undefined)],
        heldBack: undefined,
      },
      expected: "observe:tags",
    },
    {
      name: "released but latest missing (interrupted): complete it, no label needed",
      obs: {
        commitTag: { tag: "sha-0123456", digest: C },
        versionTags: [{ tag: "1.4.2", digest: C }],
        floatingTags: [latest(undefined)],
      },
      expected: "retag",
      writes: ["latest"],
    },
    {
      name: "released, latest on a newer version: noop",
      obs: {
        commitTag: { tag: "sha-0123456", digest: C },
        versionTags: [{ tag: "1.4.2", digest: C }],
        floatingTags: [latest(ELSEWHERE)],
        heldBack: new Map([["latest", "1.5.0"]]),
      },
      expected: "noop",
      held: ["latest"],
    },
    {
      name: "interrupted between the two version tags: the missing one and latest are written",
      obs: {
        commitTag: { tag: "sha-0123456", digest: C },
        versionTags: [
          { tag: "1.4.2", digest: C },
          { tag: "v1.4.2", digest: undefined },
        ],
        floatingTags: [latest(ELSEWHERE)],
        revision: { value: COMMIT },
      },
      expected: "retag",
      writes: ["v1.4.2", "latest"],
    },
    {
      name: "retag: the label and the tag list are fetched together",
      obs: {
        commitTag: { tag: "sha-0123456", digest: C },
        floatingTags: [latest(ELSEWHERE)],
        heldBack: undefined,
      },
      expected: "observe:provenance+tags",
    },
    {
      name: "retag: latest held by a newer version is not written",
      obs: {
        commitTag: { tag: "sha-0123456", digest: C },
        floatingTags: [{ tag: "1.4", digest: undefined }, { tag: "1", digest: ELSEWHERE }, latest(ELSEWHERE)],
        heldBack: new Map([
          ["1", "1.9.0"],
          ["latest", "2.0.0"],
        ]),
        revision: { value: COMMIT },
      },
      expected: "retag",
      writes: ["1.4.2", "1.4"],
      held: ["1", "latest"],
    },
    {
      name: "retag: a floating tag already on the image is not written again",
      obs: {
        commitTag: { tag: "sha-0123456", digest: C },
        floatingTags: [latest(C)],
        revision: { value: COMMIT },
      },
      expected: "retag",
      writes: ["1.4.2"],
    },
    {
      name: "build: the tag list is needed for floating tags",
      obs: { floatingTags: [latest(undefined)], heldBack: undefined },
      expected: "observe:tags",
    },
    {
      name: "build: commit tag, version tags, then floating tags not held",
      obs: {
        floatingTags: [{ tag: "1", digest: ELSEWHERE }, latest(ELSEWHERE)],
        heldBack: new Map([["latest", "2.0.0"]]),
      },
      expected: "build",
      writes: ["sha-0123456", "1.4.2", "1"],
      held: ["latest"],
    },
    {
      name: "build over a mislabelled image: floating tags on it are rewritten",
      obs: {
        commitTag: { tag: "sha-0123456", digest: C },
        floatingTags: [latest(C)],
        revision: { value: OTHER_COMMIT },
      },
      expected: "build",
      writes: ["sha-0123456", "1.4.2", "latest"],
    },
    {
      name: "a label with different case and whitespace still matches",
      obs: {
        commitTag: { tag: "sha-0123456", digest: C },
        revision: { value: ` ${COMMIT.toUpperCase()}\n` },
      },
      expected: "retag",
      writes: ["1.4.2"],
    },
    {
      name: "immutableVersions off moves a version tag like --force",
      obs: {
        commitTag: { tag: "sha-0123456", digest: C },
        versionTags: [{ tag: "1.4.2", digest: ELSEWHERE }],
        revision: { value: COMMIT },
        policy: { ...POLICY, immutableVersions: false },
      },
      expected: "retag",
      writes: ["1.4.2"],
    },
  ];
  for (const row of rows) {
    test(row.name, () => {
      const decision = decideRelease(observations(row.obs));
      assert.equal(outcome(decision), row.expected);
      if (row.writes)
        assert.ok(
          "writes" in decision && decision.writes.map((w) => w.tag).join() === row.writes.join(),
          JSON.stringify(decision),
        );
      if (row.held)
        assert.ok(
          "held" in decision && decision.held.map((h) => h.tag).join() === row.held.join(),
          JSON.stringify(decision),
        );
    });
  }

  test("a conflict says which tag, where it points, and how to override", () => {
    const decision = decideRelease(
      observations({
        commitTag: { tag: "sha-0123456", digest: C },
        versionTags: [{ tag: "1.4.2", digest: ELSEWHERE }],
      }),
    );
    assert.equal(decision.action, "conflict");
    assert.match(
      decision.action === "conflict" ? decision.reasons.join("\n") : "",
      /1\.4\.2 already points at sha256:eeeeeeeeeeee.*--force/s,
    );
  });
});

/** Every combination of every input, for invariants no single row shows. */
function* everyObservation(): Generator<Observations> {
  const tagStates = ["absent", "atC", "elsewhere"];
  for (const commit of ["absent", "present"])
    for (const a of tagStates)
      for (const b of tagStates)
        for (const floating of ["none", ...tagStates])
          for (const held of ["unknown", "free", "held"])
            for (const label of ["unread", "match", "other", "none"])
              for (const force of [false, true])
                for (const immutableVersions of [true, false])
                  for (const strictProvenance of [false, true]) {
                    const digest = commit === "present" ? C : undefined;
                    const resolve = (s: string): Digest | undefined => (s === "atC" ? digest : digestOf(s));
                    if (
                      digest === undefined &&
                      (a === "atC" || b === "atC" || floating === "atC" || label !== "unread")
                    )
                      continue;
                    yield {
                      mode: "release",
                      commit: COMMIT,
                      commitTag: { tag: "sha-0123456", digest },
                      versionTags: [
                        { tag: "1.4.2", digest: resolve(a) },
                        { tag: "v1.4.2", digest: resolve(b) },
                      ],
                      floatingTags: floating === "none" ? [] : [{ tag: "latest", digest: resolve(floating) }],
                      heldBack:
                        held === "unknown"
                          ? undefined
                          : new Map(held === "held" ? [["latest", "9.0.0"]] : []),
                      revision: revisionOf(label),
                      policy: { force, immutableVersions, strictProvenance, rebuild: false },
                    };
                  }
}

describe("decideRelease: invariants over every combination", () => {
  const all = [...everyObservation()];

  test("enumerates them all", () => assert.ok(all.length > 2000, `${all.length}`));

  test("asks only for what was not observed, and always decides once everything is known", () => {
    for (const obs of all) {
      const d = decideRelease(obs);
      if (d.action !== "observe") continue;
      for (const need of d.need) {
        if (need === "provenance")
          assert.ok(obs.revision === undefined && obs.commitTag.digest !== undefined);
        if (need === "tags") assert.ok(obs.heldBack === undefined);
      }
      const known = {
        ...obs,
        revision: obs.revision ?? { value: COMMIT },
        heldBack: obs.heldBack ?? new Map(),
      };
      assert.notEqual(decideRelease(known).action, "observe");
    }
  });

  test("a decision made without the label or tag list does not depend on them", () => {
    for (const obs of all) {
      const d = decideRelease(obs);
      if (d.action === "observe") continue;
      for (const revision of obs.revision === undefined && obs.commitTag.digest !== undefined
        ? [{ value: COMMIT }, { value: OTHER_COMMIT }, { value: undefined }]
        : [obs.revision])
        for (const heldBack of obs.heldBack === undefined
          ? [new Map(), new Map([["latest", "9.0.0"]])]
          : [obs.heldBack]) {
          assert.deepEqual(decideRelease({ ...obs, revision, heldBack }), d);
        }
    }
  });

  test("writes nothing on noop and conflict; never a held tag; never a version tag elsewhere unless allowed", () => {
    for (const obs of all) {
      const d = decideRelease(obs);
      if (d.action === "observe") continue;
      if (d.action === "noop" || d.action === "conflict") assert.equal(d.writes.length, 0);
      const mayMove = obs.policy.force || !obs.policy.immutableVersions;
      const elsewhere = obs.versionTags.some(
        (t) => t.digest !== undefined && t.digest !== obs.commitTag.digest,
      );
      if (elsewhere && !mayMove) assert.deepEqual(outcome(d), "conflict:version");
      for (const w of d.writes) {
        assert.ok(!(obs.heldBack?.has(w.tag) ?? false), `${w.tag} is held`);
        if (d.action === "retag") assert.notEqual(w.previous, d.digest);
      }
      const kinds = d.writes.map((w) => w.kind).join(",");
      assert.match(kinds, /^(commit,?)?(version,?)*(floating,?)*$/, "commit tag first, floating tags last");
      if (d.action === "build") assert.equal(d.writes[0]?.kind, "commit");
      if (d.action === "retag") {
        assert.equal(obs.commitTag.digest, d.digest);
        assert.ok(
          obs.revision?.value === COMMIT || obs.versionTags.every((t) => t.digest === d.digest),
          "reuses an image only when its label matches or the version was already released from it",
        );
      }
    }
  });

  test("immutableVersions: false acts as --force", () => {
    for (const obs of all) {
      if (obs.policy.force || !obs.policy.immutableVersions) continue;
      const forced = decideRelease({ ...obs, policy: { ...obs.policy, force: true } });
      const mutable = decideRelease({ ...obs, policy: { ...obs.policy, immutableVersions: false } });
      assert.equal(outcome(forced), outcome(mutable));
      if ("writes" in forced && "writes" in mutable) assert.deepEqual(forced.writes, mutable.writes);
    }
  });
});
