#!/bin/sh
# Install the Debian packages taizhang needs to build and test, or print the
# exact apt-get line when not root.  Usage: tools/deps.sh [build|test]
set -eu
want="gcc make pkg-config libncurses-dev libsqlite3-dev zlib1g-dev libsodium-dev libmicrohttpd-dev libcurl4-openssl-dev libxlsxwriter-dev"
if [ "${1:-build}" = test ]; then
	want="$want tmux minisign sqlite3 unicode-data curl clang libclang-rt-14-dev strace python3 python3-openpyxl libreoffice-calc-nogui"
fi
missing=""
for p in $want; do
	s=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$s" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
	echo "taizhang: installing:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	if ! apt-get install -y --no-install-recommends $missing >/dev/null 2>&1; then
		apt-get update -qq
		apt-get install -y -qq --no-install-recommends $missing
	fi
else
	echo "taizhang: missing packages; run as root:" >&2
	echo "  sudo apt-get install -y$missing" >&2
	exit 1
fi
