# lib_net.sh - helpers for the network scripts (after lib.sh).
#
#   start_server NAME DB [serve options...]   serve on 127.0.0.1 (an ephemeral port unless
#                                              --listen is given); sets NAME_PID, NAME_URL,
#                                              NAME_PORT; the log is $T/NAME.log
#   stop_server NAME                           SIGTERM, wait; sets RC to its exit status
#   http METHOD URL [curl options...]          a raw request: $CODE is the status, $OUT the body
#   start_fake MODE [ARG]                      a lying server (fake_server.py); sets FAKE_URL,
#                                              FAKE_PID
# Every server still running when the script exits is killed.
SERVER_PIDS=""
trap 'for p in $SERVER_PIDS; do kill -9 "$p" 2>/dev/null; done; rm -rf "$T"' EXIT

start_server() {
	_name=$1 _db=$2
	shift 2
	_listen="--listen 127.0.0.1:0"
	case " $* " in *" --listen "*) _listen="" ;; esac
	: >"$T/$_name.out"
	# shellcheck disable=SC2086
	"$TAIZHANG" --db "$_db" serve $_listen "$@" >"$T/$_name.out" 2>>"$T/$_name.log" &
	_pid=$!
	SERVER_PIDS="$SERVER_PIDS $_pid"
	_i=0
	while [ $_i -lt 100 ] && ! grep -q '^listening' "$T/$_name.out" 2>/dev/null; do
		sleep 0.1
		_i=$((_i + 1))
	done
	_addr=$(sed -n 's/^listening	//p' "$T/$_name.out")
	eval "${_name}_PID=$_pid ${_name}_URL=http://$_addr ${_name}_PORT=${_addr##*:}"
	[ -n "$_addr" ]
}

stop_server() {
	eval "_pid=\$${1}_PID"
	kill -TERM "$_pid" 2>/dev/null
	wait "$_pid"
	RC=$?
}

http() {
	_m=$1 _u=$2
	shift 2
	CODE=$(curl -s -o "$OUT" -w '%{http_code}' -X "$_m" --max-time 20 -H 'Accept-Language: en' \
		"$@" "$_u" 2>"$ERR")
	RC=$?
}

expect_code() {
	if [ "$CODE" = "$1" ]; then pass; else fail "$2 (HTTP $CODE, wanted $1)"; fi
}

# BLAKE2b-256 of a bundle file's body (everything but the 411-byte trailer)
body_hash() {
	head -c -411 "$1" | b2sum -l 256 | cut -d' ' -f1
}

start_fake() {
	rm -f "$T/fake.port"
	python3 "$(dirname "$0")/fake_server.py" "$1" "$T/fake.port" ${2:+"$2"} &
	FAKE_PID=$!
	SERVER_PIDS="$SERVER_PIDS $FAKE_PID"
	_i=0
	while [ $_i -lt 100 ] && [ ! -s "$T/fake.port" ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	FAKE_URL=http://127.0.0.1:$(cat "$T/fake.port")
}
