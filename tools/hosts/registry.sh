#!/usr/bin/env bash
# The local image registry that stands in for ECR: Debian's docker-registry (distribution 2.x)
# run by the project, not as the system service, with its state under ~/.cache/appstack/registry/.
#
#   tools/hosts/registry.sh start              start (or find running) both listeners
#   tools/hosts/registry.sh stop               stop them (the images stay in the storage)
#   tools/hosts/registry.sh status             print what runs; exit 0 running, 3 not
#   tools/hosts/registry.sh push IMAGE[:TAG]   tag as <local>/IMAGE:TAG and push (starts the
#                                              registry if needed); prints the hosts' reference
#   tools/hosts/registry.sh address [--local]  the address fleet hosts pull from (or the local one)
#
# Two listeners share one storage directory:
#   local  REGISTRY_ADDR (127.0.0.1:5000), read-write. This machine's Docker pushes here: Docker
#          allows plain HTTP to 127.0.0.0/8 without any configuration.
#   hosts  REGISTRY_HOST_ADDR (default: the gateway of Docker network REGISTRY_HOST_NETWORK on
#          the same port, 172.17.0.1:5000 for the default bridge), read-only. Fleet host
#          containers pull from here; their Docker engine must list it in insecure-registries
#          (docker_host_insecure_registries). Not bound to 0.0.0.0, so the unauthenticated
#          registry is not exposed on the machine's other networks.
#
# Environment:
#   REGISTRY_ADDR          local read-write listener (default 127.0.0.1:5000)
#   REGISTRY_HOST_ADDR     read-only listener for hosts; "none" for none (default: see above)
#   REGISTRY_HOST_NETWORK  Docker network the hosts are attached to (default bridge)
#   REGISTRY_DIR           state: config, storage, pid and log files (default
#                          ${XDG_CACHE_HOME:-~/.cache}/appstack/registry: one per machine, as the
#                          port is, so every checkout of appstack shares the running registry)
#   REGISTRY_TIMEOUT       seconds to wait for a listener to answer (default 15)
# Installs the docker-registry package with apt when missing (root, Debian/Ubuntu), keeping the
# package's own system service stopped and disabled.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LOCAL_ADDR="${REGISTRY_ADDR:-127.0.0.1:5000}"
HOST_NETWORK="${REGISTRY_HOST_NETWORK:-bridge}"
STATE_DIR="${REGISTRY_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/appstack/registry}"
TIMEOUT="${REGISTRY_TIMEOUT:-15}"
BINARY=docker-registry

log() { echo "registry: $*" >&2; }
die() {
    log "$*"
    exit 1
}
usage() {
    sed -n '5,11p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

# The address hosts pull from: REGISTRY_HOST_ADDR, or the Docker network's gateway.
host_addr() {
    if [ -n "${REGISTRY_HOST_ADDR:-}" ]; then
        echo "$REGISTRY_HOST_ADDR"
        return
    fi
    local gateway bridge
    # User-defined networks record their gateway; the default bridge usually does not, so
    # then read the address of the network's Linux bridge (docker0, br-<id>).
    gateway="$(docker network inspect "$HOST_NETWORK" \
        --format '{{range .IPAM.Config}}{{if .Gateway}}{{.Gateway}} {{end}}{{end}}' 2>/dev/null |
        tr ' ' '\n' | grep -E '^[0-9]+(\.[0-9]+){3}$' | head -n 1)" || true
    if [ -z "$gateway" ]; then
        bridge="$(docker network inspect "$HOST_NETWORK" \
            --format '{{with index .Options "com.docker.network.bridge.name"}}{{.}}{{else}}br-{{printf "%.12s" .Id}}{{end}}' 2>/dev/null)" || true
        if [ -n "$bridge" ]; then
            gateway="$(ip -4 -o addr show dev "$bridge" 2>/dev/null | awk '{ split($4, a, "/"); print a[1]; exit }')" || true
        fi
    fi
    [ -n "$gateway" ] || die "cannot find the IPv4 gateway of Docker network '$HOST_NETWORK' (is Docker running?); set REGISTRY_HOST_ADDR, or REGISTRY_HOST_ADDR=none"
    echo "$gateway:${LOCAL_ADDR##*:}"
}

is_debian_like() {
    [ -r /etc/os-release ] || return 1
    # shellcheck disable=SC1091
    . /etc/os-release
    case " ${ID:-} ${ID_LIKE:-} " in
        *" debian "* | *" ubuntu "*) command -v apt-get >/dev/null 2>&1 ;;
        *) return 1 ;;
    esac
}

# docker-registry from apt; its postinst must not start the system service (it would take
# port 5000 on every address), so a policy-rc.d forbids that during the install.
install_registry() {
    command -v "$BINARY" >/dev/null 2>&1 && return 0
    [ "$(id -u)" -eq 0 ] || die "$BINARY is not installed: run 'sudo apt-get install docker-registry' (then 'sudo systemctl disable --now docker-registry'), or run this script as root"
    is_debian_like || die "$BINARY is not installed and this is not Debian/Ubuntu: install the distribution registry (https://distribution.github.io/distribution/) as '$BINARY' on PATH"
    log "installing the docker-registry package"
    local policy=/usr/sbin/policy-rc.d made_policy=0 install_log="$STATE_DIR/install.log"
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 0755 "$policy" && made_policy=1
    fi
    export DEBIAN_FRONTEND=noninteractive
    local apt_opts=(-y -q --no-install-recommends)
    local ok=0
    if apt-get install "${apt_opts[@]}" docker-registry >"$install_log" 2>&1 ||
        { apt-get update -q >>"$install_log" 2>&1 && apt-get install "${apt_opts[@]}" docker-registry >>"$install_log" 2>&1; }; then
        ok=1
    fi
    [ "$made_policy" = 1 ] && rm -f "$policy"
    if [ "$ok" != 1 ]; then
        tail -n 20 "$install_log" >&2 || true
        die "installing docker-registry with apt-get failed (log: $install_log)"
    fi
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
        systemctl disable --now docker-registry.service >/dev/null 2>&1 || true
    fi
    command -v "$BINARY" >/dev/null 2>&1 || die "docker-registry installed, but '$BINARY' is not on PATH"
}

pid_of() { # NAME -> pid of a live listener, or nothing
    local file="$STATE_DIR/$1.pid" pid
    [ -s "$file" ] || return 1
    pid="$(cat "$file")"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$BINARY" ] || return 1
    echo "$pid"
}

holders() { # the docker-registry processes running, with their config files
    local found="" pid
    for pid in $(pgrep -x "$BINARY" 2>/dev/null); do
        found+="pid $pid ($(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)) "
    done
    echo "${found:-no docker-registry process of this user}"
}

answers() { # ADDR -> the registry API answers
    curl -fsS --max-time 2 -o /dev/null "http://$1/v2/" 2>/dev/null
}

write_config() { # NAME ADDR READONLY
    cat >"$STATE_DIR/$1.yml" <<EOF
# Written by tools/hosts/registry.sh at each start (listener "$1").
version: 0.1
log:
  level: info
  formatter: text
  fields:
    service: registry-$1
storage:
  filesystem:
    rootdirectory: $STATE_DIR/data
  cache:
    blobdescriptor: inmemory
  delete:
    enabled: true
  maintenance:
    uploadpurging:
$(if [ "$3" = true ]; then
        echo "      enabled: false"
    else
        printf '      enabled: true\n      age: 168h\n      interval: 24h\n      dryrun: false\n'
    fi)
    readonly:
      enabled: $3
http:
  addr: $2
  headers:
    X-Content-Type-Options: [nosniff]
health:
  storagedriver:
    enabled: true
    interval: 10s
    threshold: 3
EOF
}

start_one() { # NAME ADDR READONLY
    local name="$1" addr="$2" readonly="$3" pid deadline
    if pid="$(pid_of "$name")"; then
        if [ "$(cat "$STATE_DIR/$name.addr" 2>/dev/null)" = "$addr" ]; then
            wait_for "$name" "$addr" "$pid"
            return 0
        fi
        log "$name listener runs on $(cat "$STATE_DIR/$name.addr" 2>/dev/null), not $addr: restarting it"
        stop_one "$name"
    fi
    if answers "$addr"; then
        die "something else already answers as a registry on $addr: $(holders) (the system docker-registry service? 'sudo systemctl disable --now docker-registry'); or choose another address with REGISTRY_ADDR / REGISTRY_HOST_ADDR"
    fi
    write_config "$name" "$addr" "$readonly"
    echo "$addr" >"$STATE_DIR/$name.addr"
    echo "--- $(date -u +%FT%TZ) registry.sh start $name $addr" >>"$STATE_DIR/$name.log"
    # setsid + nohup: the registry outlives this script and the shell that ran it.
    # 9>&-: the registry must not inherit (and so hold) the lock.
    setsid nohup "$BINARY" serve "$STATE_DIR/$name.yml" </dev/null >>"$STATE_DIR/$name.log" 2>&1 9>&- &
    echo $! >"$STATE_DIR/$name.pid"
    wait_for "$name" "$addr" "$!"
}

wait_for() { # NAME ADDR PID
    local deadline=$((SECONDS + TIMEOUT))
    while ((SECONDS < deadline)); do
        answers "$2" && return 0
        kill -0 "$3" 2>/dev/null || break
        sleep 0.2
    done
    answers "$2" && return 0
    tail -n 15 "$STATE_DIR/$1.log" >&2 || true
    kill "$3" 2>/dev/null || true
    rm -f "$STATE_DIR/$1.pid"
    die "the $1 listener did not answer on http://$2/v2/ within ${TIMEOUT}s (log: $STATE_DIR/$1.log)"
}

stop_one() { # NAME
    local pid
    if pid="$(pid_of "$1")"; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$STATE_DIR/$1.pid"
}

lock() {
    mkdir -p "$STATE_DIR/data"
    exec 9>"$STATE_DIR/.lock"
    flock 9
}

cmd_start() {
    local haddr
    haddr="$(host_addr)"
    lock
    install_registry
    start_one local "$LOCAL_ADDR" false
    if [ "$haddr" != none ]; then
        start_one hosts "$haddr" true
    else
        stop_one hosts
        rm -f "$STATE_DIR/hosts.addr"
    fi
    cmd_status >&2
}

cmd_stop() {
    lock
    stop_one hosts
    stop_one local
    log "stopped (images kept in $STATE_DIR/data)"
}

cmd_status() {
    local rc=0 pid name mode
    for name in local hosts; do
        mode=read-write
        [ "$name" = hosts ] && mode="read-only, for fleet hosts"
        if pid="$(pid_of "$name")"; then
            echo "registry: $name http://$(cat "$STATE_DIR/$name.addr") (pid $pid, $mode)"
        elif [ "$name" = local ] || [ "${REGISTRY_HOST_ADDR:-}" != none ]; then
            echo "registry: $name not running"
            rc=3
        fi
    done
    echo "registry: storage $STATE_DIR/data"
    return "$rc"
}

cmd_push() {
    local ref="${1:-}" name tag target haddr
    [ -n "$ref" ] || usage
    # IMAGE[:TAG] of a local image, without a registry host in front.
    name="${ref%%@*}"
    if [[ "${name##*/}" == *:* ]]; then
        tag="${name##*:}"
        name="${name%:*}"
    else
        tag=latest
    fi
    if [[ "$name" == */* ]]; then
        case "${name%%/*}" in
            *.* | *:* | localhost) die "give a local image name without a registry host: $ref" ;;
        esac
    fi
    docker image inspect "$name:$tag" >/dev/null 2>&1 || die "no local image $name:$tag (build it first, e.g. apps/demo/build.sh v1)"
    pid_of local >/dev/null || cmd_start
    target="$LOCAL_ADDR/$name:$tag"
    docker tag "$name:$tag" "$target"
    docker push --quiet "$target" >&2 || die "docker push $target failed"
    haddr="$(cat "$STATE_DIR/hosts.addr" 2>/dev/null || echo none)"
    if pid_of hosts >/dev/null && [ "$haddr" != none ]; then
        log "pushed $target; hosts pull $haddr/$name:$tag"
        echo "$haddr/$name:$tag"
    else
        log "pushed $target (no hosts listener)"
        echo "$target"
    fi
}

cmd_address() {
    if [ "${1:-}" = --local ]; then
        echo "$LOCAL_ADDR"
    elif [ -z "${1:-}" ]; then
        host_addr
    else
        usage
    fi
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    push) cmd_push "${2:-}" ;;
    address) cmd_address "${2:-}" ;;
    *) usage ;;
esac
