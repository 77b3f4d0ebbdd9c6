#!/bin/sh
# Run the remote-store tests (tests/remote/test_store.py, tests/remote/test_exports.py) against Virtuoso Open Source 7.2.
# Installs Debian's virtuoso-opensource if missing, starts it on loopback ports with a
# throw-away database, grants what `jichitai-kg push` needs, runs the tests, stops it.
set -eu
PY=${PY:-.venv/bin/python}

if ! command -v virtuoso-t >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource
fi

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
SQL_PORT=$(free_port)
HTTP_PORT=$(free_port)
DIR=$(mktemp -d /tmp/jkg-virtuoso.XXXXXX)
PID=""

cleanup() {
    if [ -n "$PID" ]; then
        kill "$PID" 2>/dev/null || true
        i=0; while kill -0 "$PID" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.2; i=$((i+1)); done
        kill -9 "$PID" 2>/dev/null || true
    fi
    rm -rf "$DIR"
}
trap cleanup EXIT INT TERM

# The Debian configuration with our directory, loopback ports, small memory, and no silent
# truncation of results (Virtuoso's ResultSetMaxRows cuts answers at 10,000 rows by default).
sed -e "s#/var/lib/virtuoso-opensource-7/db#$DIR#g" \
    -e "s#^ServerPort *= *1111#ServerPort = 127.0.0.1:$SQL_PORT#" \
    -e "s#^ServerPort *= *8890#ServerPort = 127.0.0.1:$HTTP_PORT#" \
    -e "s#^DefaultHost *=.*#DefaultHost = 127.0.0.1:$HTTP_PORT#" \
    -e "s#^NumberOfBuffers *=.*#NumberOfBuffers = 20000#" \
    -e "s#^MaxDirtyBuffers *=.*#MaxDirtyBuffers = 15000#" \
    -e "s#^ResultSetMaxRows *=.*#ResultSetMaxRows = 10000000#" \
    -e "s#^MaxQueryExecutionTime *=.*#MaxQueryExecutionTime = 30#" \
    -e "s#^DirsAllowed *=.*#DirsAllowed = ., /usr/share/virtuoso-opensource-7/vad#" \
    /etc/virtuoso-opensource-7/virtuoso.ini > "$DIR/virtuoso.ini"

(cd "$DIR" && exec virtuoso-t +foreground +configfile "$DIR/virtuoso.ini" > "$DIR/stdout.log" 2>&1) &
PID=$!

i=0
until isql-vt "127.0.0.1:$SQL_PORT" dba dba exec="status();" >/dev/null 2>&1; do
    i=$((i+1))
    if [ $i -gt 300 ] || ! kill -0 "$PID" 2>/dev/null; then
        echo "virtuoso did not start:"; cat "$DIR/stdout.log" "$DIR/virtuoso.log" 2>/dev/null | tail -30
        exit 1
    fi
    sleep 0.5
done
until "$PY" -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$HTTP_PORT/sparql?query=ASK%7B%7D', timeout=2)" 2>/dev/null; do
    i=$((i+1)); [ $i -gt 400 ] && { echo "virtuoso's HTTP server did not start"; exit 1; }
    sleep 0.5
done

# The anonymous SPARQL user may update (this database is thrown away after the run).
isql-vt "127.0.0.1:$SQL_PORT" dba dba exec="GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);" >/dev/null

echo "virtuoso $(virtuoso-t -? 2>&1 | head -1 | tr -d '\r') on 127.0.0.1:$HTTP_PORT"
export JKG_REMOTE_QUERY="http://127.0.0.1:$HTTP_PORT/sparql"
export JKG_REMOTE_UPDATE="http://127.0.0.1:$HTTP_PORT/sparql"
# Virtuoso 7.2's documented differences from embedded mode (reasons: tests/remote_differences.py
# and docs/deployment.md). The tests expect exactly these and fail if one no longer occurs.
export JKG_REMOTE_KNOWN_DIFFERENCES="${JKG_REMOTE_KNOWN_DIFFERENCES-cq:dedicated-units,cq:leadership-bodies,cq:external-expertise,cq:government-profile,cq:category-explanation,downloads:temporal-literals,void}"
if [ -n "${JKG_VIRTUOSO_RUN:-}" ]; then
    sh -c "$JKG_VIRTUOSO_RUN"  # another command against the same store (diagnosis, benchmarks)
else
    "$PY" -m pytest tests/remote/test_store.py tests/remote/test_exports.py "$@"
fi
