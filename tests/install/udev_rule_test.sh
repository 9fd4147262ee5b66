#!/usr/bin/env bash
# Usage: udev_rule_test.sh RULES_FILE PARAM
# Run `udevadm test` for one misc device with RULES_FILE as the only rule, binder_lite's
# "devices" parameter reading PARAM (empty: the module not loaded) and a group "binder".
# Everything udevadm touches is private: a mount namespace with tmpfs /dev, /run and
# /sys/module and scratch rule folders. (udevadm test of systemd 252 sets the node's
# owner and mode for real.) Prints the misc device's name, then udevadm's output.
set -euo pipefail
rules=$1 param=$2
[ "${BL_UDEV_NS:-}" = 1 ] || exec unshare --mount --propagation private env BL_UDEV_NS=1 "$0" "$@"

dev=
for path in /sys/devices/virtual/misc/*/dev; do dev=$(basename "$(dirname "$path")"); break; done
[ -n "$dev" ] && [ "$dev" != '*' ] || { echo "no misc device in /sys/devices/virtual/misc" >&2; exit 2; }
devnum=$(cat "/sys/devices/virtual/misc/$dev/dev")
scratch=$(mktemp -d)
mkdir -p "$scratch/rules" "$scratch/empty"
cp "$rules" "$scratch/rules/"
cp /etc/group "$scratch/group"
grep -q '^binder:' "$scratch/group" || echo 'binder:x:4242:' >>"$scratch/group"

mount -t tmpfs none /dev
mknod -m 0666 /dev/null c 1 3
mknod -m 0600 "/dev/$dev" c "${devnum%:*}" "${devnum#*:}"
mount -t tmpfs none /run
mount --bind "$scratch/rules" /etc/udev/rules.d
mount --bind "$scratch/empty" /usr/lib/udev/rules.d
mount --bind "$scratch/group" /etc/group
mount -t tmpfs none /sys/module
if [ -n "$param" ]; then
  mkdir -p /sys/module/binder_lite/parameters
  echo "${param//DEV/$dev}" >/sys/module/binder_lite/parameters/devices
fi
echo "device: $dev"
udevadm test --action=add "/sys/devices/virtual/misc/$dev" 2>&1
rm -rf "$scratch"
