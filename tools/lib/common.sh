# Shared helpers for the project's shell tools. Source it; it defines functions only.
#
#   die MSG...             print "PROG: MSG" to stderr and exit 1
#   note MSG...            print "PROG: MSG" to stderr
#   ensure_packages P...   install the Debian packages among P that are missing (needs root)
#   repo_root              the top of the source tree
#   build_dir              the CMake build folder (BINDER_LITE_BUILD_DIR, default <repo>/build)

prog=${prog:-$(basename "$0")}

die() { printf '%s: %s\n' "$prog" "$*" >&2; exit 1; }
note() { printf '%s: %s\n' "$prog" "$*" >&2; }

repo_root() { (cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd); }
build_dir() { printf '%s\n' "${BINDER_LITE_BUILD_DIR:-$(repo_root)/build}"; }

# apt-get update runs at most once per process, and only when a package is missing.
_apt_updated=
apt_update_once() {
  [ -n "$_apt_updated" ] && return 0
  note "refreshing the package lists (apt-get update)"
  apt-get update -q >/dev/null || die "apt-get update failed"
  _apt_updated=1
}

ensure_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing packages: ${missing[*]} (run as root, or install them)"
  apt_update_once
  note "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" \
    >/dev/null || die "apt-get install ${missing[*]} failed"
}
