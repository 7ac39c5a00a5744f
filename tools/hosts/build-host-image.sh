#!/usr/bin/env bash
# Build the local Debian 12 (bookworm) fleet host image once; cached by tag.
#
# The tag is appstack/host:debian12-<hash>, <hash> being the first 12 hex digits of the sha256
# of this script and of every file under rootfs/ beside it (copied into the image); the image
# is also tagged appstack/host:debian12. If the hashed tag exists, it is printed at once.
# Otherwise: debootstrap (minbase) -> tidy up for systemd in a container -> docker import.
# stdout: the tag, nothing else; progress goes to stderr.
#
# Environment:
#   DEBOOTSTRAP_MIRROR     Debian mirror for debootstrap and for the image's apt sources
#                          (default: debootstrap's own default)
#   DEBOOTSTRAP_CACHE_DIR  where downloaded .debs are kept between builds
#                          (default /var/cache/appstack-debootstrap; empty: no cache)
#   HOST_IMAGE_REPO        image repository (default appstack/host)
#   APPSTACK_TMPDIR        where the build root is made (default /var/tmp; not noexec/nodev)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SELF="$HERE/$(basename "${BASH_SOURCE[0]}")"
ROOTFS_OVERLAY="$HERE/rootfs"
REPO="${HOST_IMAGE_REPO:-appstack/host}"
SUITE=bookworm
PACKAGES=python3,python3-apt,sudo,openssh-server,systemd,systemd-sysv,dbus,ca-certificates,curl,iproute2,procps,gnupg,lsb-release
# Timers that would take the apt/dpkg lock while Ansible runs, and units with no use in a container.
MASKED_UNITS=(apt-daily.timer apt-daily-upgrade.timer apt-daily.service apt-daily-upgrade.service
    e2scrub_all.timer e2scrub_reap.service fstrim.timer systemd-firstboot.service)

log() { echo "build-host-image: $*" >&2; }
die() {
    log "$*"
    exit 1
}

# sha256 over this script and the overlay files (path and content), in a stable order.
content_hash() {
    {
        cat "$SELF"
        if [ -d "$ROOTFS_OVERLAY" ]; then
            (cd "$ROOTFS_OVERLAY" && find . -type f -print0 | LC_ALL=C sort -z |
                while IFS= read -r -d '' f; do
                    printf '\n--- %s\n' "$f"
                    cat "$f"
                done)
        fi
    } | sha256sum | cut -c1-12
}

HASH="$(content_hash)"
TAG="$REPO:debian12-$HASH"
LATEST="$REPO:debian12"

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

ensure_docker() {
    docker info >/dev/null 2>&1 || bash "$HERE/ensure-docker.sh" >&2
}

# Fast path: nothing to build.
ensure_docker
if image_exists "$TAG"; then
    # Keep the moving tag on the current build (cheap; no-op when already there).
    docker tag "$TAG" "$LATEST"
    echo "$TAG"
    exit 0
fi

[ "$(id -u)" -eq 0 ] || die "the image $TAG must be built, which needs root (debootstrap): run 'sudo $0'"

# One build at a time; a concurrent run waits and then finds the image.
LOCK="${APPSTACK_TMPDIR:-/var/tmp}/appstack-host-image.lock"
exec 9>"$LOCK"
flock 9
if image_exists "$TAG"; then
    docker tag "$TAG" "$LATEST"
    echo "$TAG"
    exit 0
fi

if ! command -v debootstrap >/dev/null 2>&1; then
    log "installing debootstrap"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q debootstrap >&2 ||
        { apt-get update -q >&2 && apt-get install -y -q debootstrap >&2; } ||
        die "cannot install debootstrap with apt-get"
fi

BUILD_DIR=""
DEBOOTSTRAP_PID=""
cleanup() {
    local rc=$? m
    if [ -n "$DEBOOTSTRAP_PID" ] && kill -0 "$DEBOOTSTRAP_PID" 2>/dev/null; then
        kill -TERM -- "-$DEBOOTSTRAP_PID" 2>/dev/null || true
        for _ in $(seq 1 20); do
            kill -0 -- "-$DEBOOTSTRAP_PID" 2>/dev/null || break
            sleep 0.5
        done
        kill -KILL -- "-$DEBOOTSTRAP_PID" 2>/dev/null || true
    fi
    if [ -n "$BUILD_DIR" ] && [ -d "$BUILD_DIR" ]; then
        # debootstrap mounts proc/sys (and more) in the target: unmount before deleting.
        awk -v d="$BUILD_DIR/rootfs" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r |
            while read -r m; do umount -l "$m" 2>/dev/null || true; done
        rm -rf --one-file-system "$BUILD_DIR"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

BUILD_DIR="$(mktemp -d "${APPSTACK_TMPDIR:-/var/tmp}/appstack-host.XXXXXX")"
ROOT="$BUILD_DIR/rootfs"
mkdir -p "$ROOT"

started=$SECONDS
log "debootstrap $SUITE (minbase) into $ROOT; this takes a few minutes"
db_args=(--variant=minbase --components=main --include="$PACKAGES")
CACHE_DIR="${DEBOOTSTRAP_CACHE_DIR-/var/cache/appstack-debootstrap}"
if [ -n "$CACHE_DIR" ]; then
    mkdir -p "$CACHE_DIR"
    db_args+=(--cache-dir="$CACHE_DIR")
fi
db_args+=("$SUITE" "$ROOT")
if [ -n "${DEBOOTSTRAP_MIRROR:-}" ]; then
    db_args+=("$DEBOOTSTRAP_MIRROR")
fi
# In its own process group, waited for with `wait`: a TERM/INT to this script runs the cleanup
# at once, which stops the whole debootstrap group (dpkg in the chroot included) first.
setsid -w debootstrap "${db_args[@]}" >"$BUILD_DIR/debootstrap.log" 2>&1 </dev/null &
DEBOOTSTRAP_PID=$!
if ! wait "$DEBOOTSTRAP_PID"; then
    DEBOOTSTRAP_PID=""
    tail -n 30 "$BUILD_DIR/debootstrap.log" >&2
    [ -f "$ROOT/debootstrap/debootstrap.log" ] && tail -n 30 "$ROOT/debootstrap/debootstrap.log" >&2
    die "debootstrap failed"
fi
DEBOOTSTRAP_PID=""
log "debootstrap done in $((SECONDS - started))s; preparing the image"

# Files shipped with this script (hashed into the tag).
if [ -d "$ROOTFS_OVERLAY" ]; then
    cp -a --no-preserve=ownership "$ROOTFS_OVERLAY/." "$ROOT/"
    [ -d "$ROOT/etc/sudoers.d" ] && chmod 0440 "$ROOT"/etc/sudoers.d/*
fi

# apt: also the stable updates suite, from the same mirror debootstrap used.
mirror="$(awk '$1 == "deb" { print $2; exit }' "$ROOT/etc/apt/sources.list")"
[ -n "$mirror" ] || die "cannot read the mirror from the bootstrapped sources.list"
printf 'deb %s %s main\ndeb %s %s-updates main\n' "$mirror" "$SUITE" "$mirror" "$SUITE" \
    >"$ROOT/etc/apt/sources.list"

# The default user of Debian's EC2 images, with passwordless sudo (rootfs/etc/sudoers.d).
chroot "$ROOT" /usr/sbin/useradd --create-home --shell /bin/bash --groups sudo admin

# systemd in a container: mask what only gets in the way.
for unit in "${MASKED_UNITS[@]}"; do
    ln -sfn /dev/null "$ROOT/etc/systemd/system/$unit"
done

# machine-id: empty in the image, so systemd gives every container its own at boot (an empty
# file, not a missing one, lets it be bind-mounted over a read-only /etc too); D-Bus reads the
# same id.
: >"$ROOT/etc/machine-id"
rm -f "$ROOT/var/lib/dbus/machine-id"
ln -s /etc/machine-id "$ROOT/var/lib/dbus/machine-id"

# No per-host secrets or build-host leftovers in the image (Docker provides hostname,
# hosts and resolv.conf at run time; ssh host keys are made at first start).
rm -f "$ROOT"/etc/ssh/ssh_host_*
echo localhost >"$ROOT/etc/hostname"
rm -f "$ROOT/etc/resolv.conf"
: >"$ROOT/etc/resolv.conf"

# Clean apt lists and caches and logs: hosts run `apt-get update` (Ansible: update_cache) first.
chroot "$ROOT" /usr/bin/apt-get clean
rm -rf "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/cache/apt/*.bin "$ROOT"/var/cache/debconf/*-old \
    "$ROOT"/var/lib/dpkg/*-old "$ROOT"/tmp/* "$ROOT"/var/tmp/* "$ROOT"/root/.bash_history
mkdir -p "$ROOT/var/lib/apt/lists/partial"
find "$ROOT/var/log" -type f -exec truncate -s 0 {} +

log "importing into Docker as $TAG"
IMPORTED="$REPO:import-$HASH"
tar --numeric-owner --xattrs --acls -C "$ROOT" -c . |
    docker import \
        --change 'CMD ["/sbin/init"]' \
        --change 'ENV container=docker' \
        --change 'ENV LANG=C.UTF-8' \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change "LABEL org.opencontainers.image.title=appstack-host-debian12 appstack.host.hash=$HASH" \
        --message "appstack Debian 12 fleet host ($HASH)" \
        - "$IMPORTED" >/dev/null
# `docker import --change` does not take STOPSIGNAL (Docker 20.10 at least), and systemd only
# shuts down cleanly on SIGRTMIN+3: add it with a one-line build (no context, no registry).
# The classic builder first (always offline with a local FROM), BuildKit if it is gone.
stopsignal_df="$(printf 'FROM %s\nSTOPSIGNAL SIGRTMIN+3\n' "$IMPORTED")"
if ! DOCKER_BUILDKIT=0 docker build -q -t "$TAG" - <<<"$stopsignal_df" >/dev/null 2>"$BUILD_DIR/build.log" &&
    ! docker build -q -t "$TAG" - <<<"$stopsignal_df" >/dev/null 2>>"$BUILD_DIR/build.log"; then
    cat "$BUILD_DIR/build.log" >&2
    log "WARNING: could not set STOPSIGNAL; run hosts with --stop-signal=SIGRTMIN+3"
    docker tag "$IMPORTED" "$TAG"
fi
docker rmi "$IMPORTED" >/dev/null
docker tag "$TAG" "$LATEST"

# Drop older builds' tags (an image still used by a container stays).
docker image ls "$REPO" --format '{{.Repository}}:{{.Tag}}' |
    { grep -E "^$REPO:debian12-[0-9a-f]{12}\$" || true; } | { grep -vxF "$TAG" || true; } |
    while read -r old; do docker rmi "$old" >/dev/null 2>&1 || true; done

log "built in $((SECONDS - started))s"
echo "$TAG"
