/**
 * The GitHub Action's side of the runner protocol, without @actions/core:
 * inputs arrive as INPUT_<NAME> variables (name upper-cased, spaces as
 * underscores, hyphens kept), and become the argv of `reship release` and
 * the environment it reads credentials from. Pure.
 */

export interface ActionInvocation {
  readonly argv: readonly string[];
  /** Variables added to the environment reship runs with (credentials). */
  readonly env: Readonly<Record<string, string>>;
  /** Values the runner must mask in logs. */
  readonly secrets: readonly string[];
}

/** Reads one input the way the runner passes it; empty means absent. */
export function getInput(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
): string | undefined {
  const value = env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

/** Input values of the YAML 1.2 core schema's booleans, as the runner's toolkit reads them. */
function getBoolean(env: Readonly<Record<string, string | undefined>>, name: string): boolean {
  const value = getInput(env, name);
  if (value === undefined) return false;
  if (["true", "True", "TRUE"].includes(value)) return true;
  if (["false", "False", "FALSE"].includes(value)) return false;
  throw new Error(`input ${name} must be true or false, not "${value}"`);
}

export function actionInvocation(env: Readonly<Record<string, string | undefined>>): ActionInvocation {
  const argv: string[] = ["release"];
  const images = (getInput(env, "image") ?? "").split(/[\s,]+/).filter((s) => s !== "");
  const version = getInput(env, "version");
  const commit = getInput(env, "commit");
  const config = getInput(env, "config");
  if (version !== undefined) argv.push("--version", version);
  if (commit !== undefined) argv.push("--commit", commit);
  if (config !== undefined) argv.push("--config", config);
  if (getBoolean(env, "dry-run")) argv.push("--dry-run");
  argv.push(...images);

  const extra: Record<string, string> = {};
  const secrets: string[] = [];
  const registry = getInput(env, "registry");
  const username = getInput(env, "username");
  const password = getInput(env, "password");
  if (password !== undefined) {
    if (registry === undefined) throw new Error("input password needs input registry (the host it is for)");
    extra.RESHIP_REGISTRY = registry;
    extra.RESHIP_USERNAME = username ?? "";
    extra.RESHIP_PASSWORD = password;
    secrets.push(password);
  }
  const token = getInput(env, "github-token");
  if (token !== undefined) {
    extra.GITHUB_TOKEN = token;
    secrets.push(token);
  }
  return { argv, env: extra, secrets };
}

/** The runner's mask command: the value never appears in the log after it. */
export function maskCommand(secret: string): string {
  // Multi-line secrets are masked line by line, as the runner matches per line.
  return secret
    .split(/\r?\n/)
    .filter((l) => l !== "")
    .map((l) => `::add-mask::${l}\n`)
    .join("");
}
