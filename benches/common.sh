# Shared by the benchmark scripts (sourced): paths, a work directory removed on exit, the
# corpus server and the config that lists its feeds.
# Needs: ROOT set by the caller; reads BENCH, BIN from the environment.

# The shared bench tools live beside the repository (../shared/bench); BENCH overrides.
BENCH=${BENCH:-$ROOT/../shared/bench}
BIN=${BIN:-$ROOT/target/release/akhbar}
SERVER_PID=""

[[ -x "$BIN" ]] || { echo "missing $BIN: run cargo build --release first" >&2; exit 2; }

# bench_workdir PREFIX: sets WORK to a fresh directory, removed (and the server stopped) on exit.
bench_workdir() {
    WORK=$(mktemp -d "/tmp/$1.XXXXXX")
    trap 'if [[ -n "$SERVER_PID" ]]; then kill -TERM "$SERVER_PID" 2>/dev/null || true; fi; rm -rf "$WORK"' EXIT
}

# serve_corpus PORT LAST_HOST [serve.py options...]: serves $WORK/corpus in the background and
# waits until the last loopback host answers (serve.py binds its hosts one after another).
serve_corpus() {
    local port=$1 last=$2
    shift 2
    python3 "$BENCH/serve.py" --dir "$WORK/corpus" --host 127.0.0.1 --port "$port" \
        --max-seconds 1800 --preload "$@" &
    SERVER_PID=$!
    for _ in $(seq 300); do
        curl -sf "http://$last:$port/__stats" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "server did not start" >&2
    exit 1
}

# write_config OUT [LINE...]: a config with the given top-level lines and every corpus feed.
write_config() {
    local out=$1
    shift
    {
        echo 'refresh_interval = "15m"'
        for line in "$@"; do echo "$line"; done
        while read -r url; do printf '[[feed]]\nurl = "%s"\n' "$url"; done < "$WORK/corpus/urls"
    } > "$out"
}
