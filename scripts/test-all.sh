#!/usr/bin/env bash
# Installs everything the tests need (Debian packages, npm packages, the Docker engine with crun and
# runsc, Node 24 + code-server for the VS Code host) and runs every test tier. Idempotent.
# Prints "<tier>: N passed, N failed" per tier and a total; exits non-zero if anything failed.
#   npm run test:all            (what .ci/run calls)
#   TIERS="unit docker" npm run test:all   to run a subset
set -uo pipefail
cd "$(dirname "$0")/.."
TIERS="${TIERS:-unit integration docker browser exthost ui package}"
t_start=$SECONDS
step() { printf '\n==> %s\n' "$*"; }
fail_setup() { echo "test-all: $1" >&2; echo "setup: 0 passed, 1 failed"; exit 1; }

if [ "$(id -u)" -eq 0 ] || command -v sudo >/dev/null; then
  step "system packages"; bash scripts/setup-system.sh || fail_setup "installing Debian packages failed"
else
  echo "test-all: not root and no sudo: skipping apt installs (Docker, chromium, clang must already be there)" >&2
fi

step "npm packages"
if [ "${CI:-}" = "true" ] || [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund || fail_setup "npm ci failed"
else
  npm install --no-audit --no-fund >/dev/null || fail_setup "npm install failed"
fi

step "real wasm modules from npm (inspector tests)"
node scripts/fetch-wasm-samples.mjs || fail_setup "fetching the npm wasm samples failed (scripts/fetch-wasm-samples.mjs)"
export REQUIRE_WASM_SAMPLES=1

step "build, type-check and lint"
npm run build --silent || fail_setup "the build failed"
npm run typecheck --silent || fail_setup "type errors (npm run typecheck)"
npm run lint --silent || fail_setup "lint or format errors (npm run lint; npm run format fixes the format)"

case " $TIERS " in *" integration "*|*" docker "*|*" exthost "*|*" ui "*)
  step "Wasm runtime CLIs (built once into /var/cache/wasm-containers)"
  bash scripts/setup-runtimes.sh
  # in CI a runtime that should have been built fails its tests instead of skipping;
  # REQUIRE_RUNTIMES=0 RUNTIMES="wasmtime wazero" runs without the others (they skip, with the reason)
  export REQUIRE_RUNTIMES="${REQUIRE_RUNTIMES:-1}"
esac
case " $TIERS " in *" docker "*)
  step "containerd 2 + youki (+ the runwasi wasmtime shim when cached or WITH_SHIM=1)"
  bash scripts/setup-containerd.sh && export REQUIRE_CONTAINERD=1
esac
case " $TIERS " in *" docker "*)
  step "Docker engine"
  # REQUIRE_*: in CI a missing engine fails the tier instead of skipping it
  export REQUIRE_PODMAN=1
  if bash scripts/setup-docker.sh; then export REQUIRE_DOCKER=1
  else echo "test-all: NO DOCKER ENGINE: the docker tier will fail (run scripts/setup-docker.sh as root)" >&2; export REQUIRE_DOCKER=1; fi
esac
case " $TIERS " in *" exthost "*|*" ui "*)
  step "VS Code host (Node 24 + code-server)"
  bash scripts/setup-vscode-host.sh || fail_setup "installing code-server failed (scripts/setup-vscode-host.sh)"
esac

declare -A seconds
summary=()
status=0
for tier in $TIERS; do
  step "tier: $tier"
  t0=$SECONDS
  out=$(mktemp)
  node scripts/run-tier.mjs "$tier" | tee "$out"
  rc=${PIPESTATUS[0]}
  seconds[$tier]=$((SECONDS - t0))
  line=$(grep -E "^$tier: [0-9]+ passed, [0-9]+ failed" "$out" | tail -1)
  [ -n "$line" ] || line="$tier: 0 passed, 1 failed"
  summary+=("$line (${seconds[$tier]}s)")
  [ "$rc" -eq 0 ] || status=1
  rm -f "$out"
done

passed=0; failed=0; skipped=0
printf '\n==> summary (%ss)\n' "$((SECONDS - t_start))"
for line in "${summary[@]}"; do
  echo "$line"
  p=$(sed -E 's/^[a-z]+: ([0-9]+) passed.*/\1/' <<<"$line"); f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
  s=$(grep -oE '[0-9]+ skipped' <<<"$line" | grep -oE '[0-9]+' || echo 0)
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
done
[ -d screenshots ] && ls screenshots/*.png >/dev/null 2>&1 && echo "screenshots: $(ls screenshots/*.png | tr '\n' ' ')"
if [ "$skipped" -gt 0 ]; then echo "total: $passed passed, $failed failed, $skipped skipped"; else echo "total: $passed passed, $failed failed"; fi
exit $status
