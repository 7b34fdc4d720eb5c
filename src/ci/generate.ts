/**
 * Writes the workflow `reship init` installs: one build per purpose per
 * event.
 *
 * - pull requests and pushes to other branches: the test build (cache scope
 *   `<image>-test`), loaded into the runner's docker, then the tests against
 *   that image; nothing is pushed;
 * - pushes to the default branch: the same, then the production build
 *   (scope `<image>-prod`, reading the test scope too) in a job that needs
 *   the tests and runs only when every one passed
 *   (`always() && !failure() && !cancelled()`), pushed under the commit tag;
 * - a published release: `reship release` only, which re-tags that commit
 *   image (and builds only when it is missing).
 *
 * Cache: gha with mode=max (or a registry cache), plus BuildKit's inline cache.
 */
import { parseRepository } from "../oci/index.js";
import { PRODUCTION_CONDITION } from "./plan.js";
import type { CiImage } from "./types.js";

export interface GenerateOptions {
  readonly defaultBranch: string;
  /** Build cache back end. Default "gha". */
  readonly cache?: "gha" | "registry";
  /** Commit tag template of reship.yaml ({{sha}}, {{sha7}}, {{shaN}}). Default "sha-{{sha7}}". */
  readonly commitTag?: string;
  /** How the release job runs reship. Default "npx --yes reship". */
  readonly reshipCommand?: string;
  /** reship.yaml path, when not ./reship.yaml. */
  readonly configPath?: string;
}

export function generateWorkflow(images: readonly CiImage[], options: GenerateOptions): string {
  const cache = options.cache ?? "gha";
  const branch = options.defaultBranch;
  const reship = options.reshipCommand ?? "npx --yes reship";
  const config = options.configPath ? ` --config ${quote(options.configPath)}` : "";
  const registries = [...new Set(images.map((i) => parseRepository(i.name).registry))];
  const multiPlatform = images.some(
    (i) => i.platforms.length > 1 || i.platforms.some((p) => !p.startsWith("linux/amd64")),
  );

  const out: string[] = [];
  const line = (text = ""): void => {
    out.push(text);
  };
  line("# Written by `reship init`: every image is built once per purpose per event.");
  line("#   pull request / other branch: test build -> tests");
  line(`#   push to ${branch}: test build -> tests -> production build (only when every test passed)`);
  line("#   release published: reship release (re-tags the commit's image; builds only if it is missing)");
  line("# Check it with `reship audit`.");
  line("name: reship");
  line();
  line("on:");
  line("  pull_request:");
  line("  push:");
  line("    branches: ['**']");
  line("  release:");
  line("    types: [published]");
  line();
  line("permissions:");
  line("  contents: read");
  line("  packages: write");
  line();
  line("jobs:");
  line("  test:");
  line("    name: Test build and tests");
  line("    runs-on: ubuntu-latest");
  line("    if: github.event_name != 'release'");
  line("    steps:");
  line("      - uses: actions/checkout@v4");
  line("      - uses: docker/setup-buildx-action@v3");
  for (const image of images) {
    const slug = slugOf(image.name);
    line(`      - name: Test build (${image.name})`);
    line("        uses: docker/build-push-action@v6");
    line("        with:");
    line(`          context: ${image.context}`);
    line(`          file: ${image.dockerfile}`);
    if (image.target) line(`          target: ${image.target}`);
    line("          load: true");
    line("          push: false");
    line(`          tags: ${image.name}:test`);
    cacheLines(line, cache, image.name, [`${slug}-test`], `${slug}-test`);
    line("          build-args: |");
    line("            BUILDKIT_INLINE_CACHE=1");
    line(`      - name: Tests (${image.name})`);
    line("        # Your tests, against the image built above: never build again here.");
    line(`        run: docker run --rm ${image.name}:test`);
  }
  line();
  line("  production:");
  line("    name: Production build");
  line("    runs-on: ubuntu-latest");
  line("    needs: [test]");
  line("    # Only on the default branch, and only once every test passed.");
  line(
    `    if: ${PRODUCTION_CONDITION} && github.event_name == 'push' && github.ref == 'refs/heads/${branch}'`,
  );
  line("    steps:");
  line("      - uses: actions/checkout@v4");
  if (multiPlatform) line("      - uses: docker/setup-qemu-action@v3");
  line("      - uses: docker/setup-buildx-action@v3");
  loginLines(line, registries);
  line("      - id: commit");
  line("        name: Commit tag");
  line(`        run: echo "tag=${shellCommitTag(options.commitTag ?? "sha-{{sha7}}")}" >> "$GITHUB_OUTPUT"`);
  for (const image of images) {
    const slug = slugOf(image.name);
    line(`      - name: Production build (${image.name})`);
    line("        uses: docker/build-push-action@v6");
    line("        with:");
    line(`          context: ${image.context}`);
    line(`          file: ${image.dockerfile}`);
    if (image.target) line(`          target: ${image.target}`);
    if (image.platforms.length > 0) line(`          platforms: ${image.platforms.join(",")}`);
    line("          push: true");
    line(`          tags: ${image.name}:\${{ steps.commit.outputs.tag }}`);
    line("          labels: org.opencontainers.image.revision=${{ github.sha }}");
    cacheLines(line, cache, image.name, [`${slug}-prod`, `${slug}-test`], `${slug}-prod`);
    line("          build-args: |");
    line("            BUILDKIT_INLINE_CACHE=1");
  }
  line();
  line("  release:");
  line("    name: Release (re-tag, no rebuild)");
  line("    runs-on: ubuntu-latest");
  line("    if: github.event_name == 'release'");
  line("    steps:");
  line("      - uses: actions/checkout@v4");
  loginLines(line, registries);
  line("      - name: reship release");
  line(`        run: ${reship} release${config} --version "$VERSION"`);
  line("        env:");
  line("          VERSION: ${{ github.event.release.tag_name }}");
  return `${out.join("\n")}\n`;
}

function cacheLines(
  line: (t: string) => void,
  cache: "gha" | "registry",
  image: string,
  from: readonly string[],
  to: string,
): void {
  if (cache === "gha") {
    line("          cache-from: |");
    for (const s of from) line(`            type=gha,scope=${s}`);
    line(`          cache-to: type=gha,mode=max,scope=${to}`);
  } else {
    line("          cache-from: |");
    for (const s of from)
      line(`            type=registry,ref=${image}:cache-${s.replace(/^.*-(test|prod)$/, "$1")}`);
    line(
      `          cache-to: type=registry,ref=${image}:cache-${to.replace(/^.*-(test|prod)$/, "$1")},mode=max`,
    );
  }
}

function loginLines(line: (t: string) => void, registries: readonly string[]): void {
  for (const registry of registries) {
    line(`      - name: Log in to ${registry}`);
    line("        uses: docker/login-action@v3");
    line("        with:");
    if (registry !== "docker.io") line(`          registry: ${registry}`);
    if (registry === "ghcr.io") {
      line("          username: ${{ github.actor }}");
      line("          password: ${{ secrets.GITHUB_TOKEN }}");
    } else {
      line("          username: ${{ secrets.REGISTRY_USERNAME }}");
      line("          password: ${{ secrets.REGISTRY_PASSWORD }}");
    }
  }
}

function slugOf(name: string): string {
  return (name.split("/").pop() ?? name).replace(/[^a-z0-9_-]/g, "-");
}

/** The commit tag template as shell: {{sha}} is $GITHUB_SHA, {{shaN}} its first N digits. */
function shellCommitTag(template: string): string {
  return template.replace(/\{\{\s*sha([0-9]*)\s*\}\}/g, (_m, n: string) =>
    n ? `\${GITHUB_SHA::${n}}` : "${GITHUB_SHA}",
  );
}

function quote(s: string): string {
  return /^[A-Za-z0-9_./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}
