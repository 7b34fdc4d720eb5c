#!/usr/bin/env bash
# The demo: reship's main job on a local registry. The first release of a
# commit builds its image once; the next version of the same commit re-tags it
# inside the registry. Prints both, with their timings side by side.
# Installs what it needs; stops the registry it started (by pid) on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
npm run --silent build

work=$(mktemp -d /tmp/reship-demo.XXXXXX)
registry_pid=
cleanup() {
  [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null && wait "$registry_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# A local distribution registry on a free loopback port, with its own storage.
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
cat >"$work/registry.yml" <<YAML
version: 0.1
log: { level: error }
storage: { filesystem: { rootdirectory: $work/storage }, delete: { enabled: true } }
http: { addr: 127.0.0.1:$port }
YAML
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done

# An application: a git repository whose Dockerfile needs no base image.
app="$work/app"
mkdir -p "$app"
head -c 8388608 /dev/urandom >"$app/payload.bin"
printf 'FROM scratch\nCOPY payload.bin /payload.bin\n' >"$app/Dockerfile"
git -C "$app" init -q
git -C "$app" -c user.name=demo -c user.email=demo@example.invalid add .
git -C "$app" -c user.name=demo -c user.email=demo@example.invalid commit -qm "the app"
commit=$(git -C "$app" rev-parse HEAD)

# buildah runs daemonless here; dockerd is used instead when one is running.
export STORAGE_DRIVER=vfs BUILDAH_ISOLATION=chroot
image="127.0.0.1:$port/demo/app"
release() {
  local start end
  start=$(date +%s%N)
  bin/reship release "$image" --version "$1" --context "$app" >&2
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}

echo "== Release 1.0.0 of commit ${commit:0:7}: no image for the commit yet, so reship builds it once" >&2
first_ms=$(release 1.0.0)
echo >&2
echo "== Release 1.0.1 of the same commit: the image exists, so reship re-tags it" >&2
second_ms=$(release 1.0.1)
echo >&2
echo "== Tags in the registry" >&2
for tag in "sha-${commit:0:7}" 1.0.0 1.0.1 1.0 1 latest; do
  printf '  %-12s %s\n' "$tag" "$(bin/reship exists "$image:$tag" --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).digest))')"
done
echo
printf '| release | path | time |\n| --- | --- | --- |\n'
printf '| 1.0.0 | build | %s ms |\n' "$first_ms"
printf '| 1.0.1 | re-tag | %s ms |\n' "$second_ms"
