#!/usr/bin/env bash
# Make sure a Docker engine is reachable for the local fleet hosts and the Molecule scenarios.
#
#  - If `docker info` already works, that engine is used (whatever DOCKER_HOST points at).
#  - Otherwise, as root on Debian/Ubuntu: install docker.io when dockerd is missing, then start
#    the engine (through systemd when it is PID 1, else a background dockerd logging to
#    /var/log/appstack-dockerd.log with pidfile /run/appstack-dockerd.pid) and wait for it.
#  - Otherwise stop with a message saying what to do.
#
# Idempotent; prints one line on success. Environment:
#   ENSURE_DOCKER_TIMEOUT  seconds to wait for the engine to answer (default 60)
#   APPSTACK_DOCKERD_LOG   dockerd log file (default /var/log/appstack-dockerd.log)
#   APPSTACK_DOCKERD_PID   dockerd pidfile (default /run/appstack-dockerd.pid)
set -euo pipefail

TIMEOUT="${ENSURE_DOCKER_TIMEOUT:-60}"
DOCKERD_LOG="${APPSTACK_DOCKERD_LOG:-/var/log/appstack-dockerd.log}"
DOCKERD_PID="${APPSTACK_DOCKERD_PID:-/run/appstack-dockerd.pid}"
INSTALL_LOG="/var/log/appstack-docker-install.log"

die() {
    echo "ensure-docker: $*" >&2
    exit 1
}

engine_ok() {
    command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1
}

report() {
    local how="$1" version host
    version="$(docker version --format '{{.Server.Version}}' 2>/dev/null || echo unknown)"
    host="${DOCKER_HOST:-unix:///var/run/docker.sock}"
    echo "ensure-docker: using Docker engine ${version} at ${host} (${how})"
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

# Install docker.io with apt; refresh the package lists only when the first try fails.
install_docker() {
    export DEBIAN_FRONTEND=noninteractive
    local apt_opts=(-y -q --no-install-recommends -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
    : >"$INSTALL_LOG"
    if ! apt-get install "${apt_opts[@]}" docker.io >>"$INSTALL_LOG" 2>&1; then
        if ! { apt-get update -q >>"$INSTALL_LOG" 2>&1 &&
            apt-get install "${apt_opts[@]}" docker.io >>"$INSTALL_LOG" 2>&1; }; then
            tail -n 20 "$INSTALL_LOG" >&2 || true
            die "installing docker.io with apt-get failed (full log: $INSTALL_LOG)"
        fi
    fi
}

wait_for_engine() {
    local deadline=$((SECONDS + TIMEOUT))
    while ((SECONDS < deadline)); do
        engine_ok && return 0
        if [ -n "${1:-}" ] && ! kill -0 "$1" 2>/dev/null; then
            break # our dockerd died: no point waiting
        fi
        sleep 1
    done
    engine_ok
}

dockerd_pid_alive() {
    local pid
    [ -s "$DOCKERD_PID" ] || return 1
    pid="$(cat "$DOCKERD_PID")"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ]
}

start_dockerd() {
    # Use systemd when it runs the machine and knows the unit (a laptop, a VM).
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1 &&
        systemctl cat docker.service >/dev/null 2>&1; then
        systemctl start docker.service >/dev/null 2>&1 || true
        wait_for_engine "" && return 0
        die "'systemctl start docker' did not bring the engine up within ${TIMEOUT}s; see 'journalctl -u docker'"
    fi

    local pid
    if dockerd_pid_alive; then
        pid="$(cat "$DOCKERD_PID")" # started earlier (maybe still starting): just wait
    else
        rm -f "$DOCKERD_PID"
        mkdir -p "$(dirname "$DOCKERD_LOG")" "$(dirname "$DOCKERD_PID")"
        # setsid + nohup: the engine outlives this script and the shell/CI step that ran it.
        setsid nohup dockerd --pidfile "$DOCKERD_PID" </dev/null >>"$DOCKERD_LOG" 2>&1 &
        pid=$!
    fi
    if ! wait_for_engine "$pid"; then
        tail -n 20 "$DOCKERD_LOG" >&2 || true
        die "dockerd did not answer within ${TIMEOUT}s (log: $DOCKERD_LOG)"
    fi
}

main() {
    if engine_ok; then
        report "already running"
        return 0
    fi
    if [ -n "${DOCKER_HOST:-}" ] && [ "${DOCKER_HOST}" != "unix:///var/run/docker.sock" ]; then
        die "DOCKER_HOST=${DOCKER_HOST} does not answer 'docker info'. Start that engine, or unset DOCKER_HOST to use a local one."
    fi
    if [ "$(id -u)" -ne 0 ]; then
        if command -v docker >/dev/null 2>&1; then
            die "Docker is installed but its engine does not answer 'docker info' for $(id -un). Start it (e.g. 'sudo systemctl start docker'), add yourself to the docker group, or run this script as root."
        fi
        die "no Docker engine found. Install Docker (https://docs.docker.com/engine/install/) and start it, or run this script as root on Debian/Ubuntu to have it installed and started."
    fi
    if ! is_debian_like; then
        die "no working Docker engine and this is not Debian/Ubuntu: install Docker Engine for this OS, start it, and rerun."
    fi

    local how="started"
    if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
        install_docker
        how="installed docker.io and started"
    fi
    start_dockerd
    report "$how"
}

main "$@"
