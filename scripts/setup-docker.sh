#!/usr/bin/env bash
# Makes a Docker engine answer, with crun and runsc registered. Idempotent; needs root.
# Two fixes these machines need (shared/notes/environment.md):
#   - crun fails with "cgroups in hybrid mode not supported" unless the v1 hugetlb controller is mounted;
#   - runsc must run with --network=none ("cannot run with network enabled in root network namespace").
set -euo pipefail
log() { echo "setup-docker: $*"; }
if ! command -v dockerd >/dev/null; then
  echo "setup-docker: dockerd is not installed: run scripts/setup-system.sh (apt-get install docker.io)" >&2
  exit 1
fi

if [ -d /sys/fs/cgroup/memory ] && [ ! -f /sys/fs/cgroup/cgroup.controllers ]; then   # cgroup v1 / hybrid
  mkdir -p /sys/fs/cgroup/hugetlb
  if ! mountpoint -q /sys/fs/cgroup/hugetlb; then
    mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb && log "mounted the hugetlb cgroup (crun needs it here)" \
      || log "could not mount the hugetlb cgroup; crun may fail"
  fi
fi

want='{"runtimes":{"crun":{"path":"/usr/bin/crun"},"runsc":{"path":"/usr/bin/runsc","runtimeArgs":["--network=none"]}}}'
mkdir -p /etc/docker
changed=0
if ! node -e '
  const fs = require("fs"); const want = JSON.parse(process.argv[1]);
  let cur = {}; try { cur = JSON.parse(fs.readFileSync("/etc/docker/daemon.json", "utf8")); } catch {}
  cur.runtimes = cur.runtimes || {};
  let same = true;
  for (const [k, v] of Object.entries(want.runtimes)) {
    if (!fs.existsSync(v.path)) continue;              // register only runtimes that are installed
    if (JSON.stringify(cur.runtimes[k]) !== JSON.stringify(v)) { cur.runtimes[k] = v; same = false; }
  }
  if (!same) fs.writeFileSync("/etc/docker/daemon.json", JSON.stringify(cur, null, 2) + "\n");
  process.exit(same ? 0 : 1);' "$want"; then
  changed=1; log "registered crun/runsc in /etc/docker/daemon.json"
fi

if docker info >/dev/null 2>&1; then
  if [ $changed -eq 1 ]; then
    pkill -HUP -x dockerd && log "reloaded dockerd" && sleep 1
  fi
else
  log "starting dockerd"
  mkdir -p /var/log
  (dockerd >/var/log/wasm-containers-dockerd.log 2>&1 &)
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  if ! docker info >/dev/null 2>&1; then
    echo "setup-docker: dockerd did not come up; its log:" >&2
    tail -30 /var/log/wasm-containers-dockerd.log >&2
    exit 1
  fi
fi
log "engine $(docker version --format '{{.Server.Version}}'), runtimes: $(docker info --format '{{range $k, $v := .Runtimes}}{{$k}} {{end}}')"

# Podman's Docker-compatible API on its usual root socket (the catalog and the podman tests use it)
if command -v podman >/dev/null; then
  if ! curl -sf --unix-socket /run/podman/podman.sock http://d/_ping >/dev/null 2>&1; then
    log "starting podman system service"
    mkdir -p /run/podman
    (podman system service --time=0 unix:///run/podman/podman.sock >/var/log/wasm-containers-podman.log 2>&1 &)
    for _ in $(seq 1 40); do curl -sf --unix-socket /run/podman/podman.sock http://d/_ping >/dev/null 2>&1 && break; sleep 0.25; done
  fi
  if curl -sf --unix-socket /run/podman/podman.sock http://d/_ping >/dev/null 2>&1; then
    log "podman $(podman version --format '{{.Server.Version}}' 2>/dev/null || podman --version) answers on /run/podman/podman.sock"
  else
    echo "setup-docker: the podman service did not come up; its log:" >&2
    tail -20 /var/log/wasm-containers-podman.log >&2
    exit 1
  fi
fi
