#!/usr/bin/env bash
# Installs what reship's tests, demo and benchmark need, only what is missing:
# Debian packages (a local registry, peer tools, builders) and the npm
# dependencies. Safe to run again: a second run changes nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

# command -> Debian package that provides it
declare -A wanted=(
  [docker-registry]=docker-registry
  [skopeo]=skopeo
  [buildah]=buildah
  [dockerd]=docker.io
  [openssl]=openssl
  [htpasswd]=apache2-utils
  [hyperfine]=hyperfine
  [git]=git
  [curl]=curl
)
missing=()
for cmd in "${!wanted[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${wanted[$cmd]}")
done
# The docker client the builders use is Debian's (/usr/bin/docker, with BuildKit).
[ -x /usr/bin/docker ] || missing+=(docker.io)
[ -x /usr/bin/time ] || missing+=(time) # GNU time: the benchmark's peak RSS (bash's time keyword hides it from command -v)
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing Debian packages: ${missing[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    $(printf '%s\n' "${missing[@]}" | sort -u) >/dev/null
fi

# npm dependencies: only when the lock file changed since the last install.
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "install-deps: installing npm dependencies" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
