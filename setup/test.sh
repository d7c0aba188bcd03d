#!/usr/bin/env bash
# Install everything and run every test:
#   1. setup/install.sh (idempotent, fast when nothing changed);
#   2. setup/lint.sh;
#   3. build each addon that has a pyproject.toml as a wheel (whool, from PyPI);
#   4. install the addons with their tests in a fresh database (TEST_DB, default
#      forklift_test), then the core addon alone with its tests in another one
#      (<TEST_DB>_core: neither other addon installed), and check both logs with
#      setup/check_test_log.py;
#   5. tests/e2e under pytest, against odoo --workers=2 serving a second database
#      (<TEST_DB>_e2e) that the tests create and provision themselves;
#   6. tests/cluster under pytest: setup/cluster.sh starts a PostgreSQL primary and its
#      hot standby, two Odoo nodes and HAProxy (<TEST_DB>_cluster, restored from the
#      database the e2e tests provisioned), and destroys them at the end;
#   7. a short run of tests/load_test.py (<TEST_DB>_load) and of each benchmark.
# Every step runs even when an earlier one failed (except install.sh); the reasons are
# printed at the end, followed by one closing line "N passed, N failed" (Odoo and pytest
# tests together). Exits non-zero when anything failed, was skipped or when no test ran.
# The databases and filestores are dropped at the end unless KEEP_DB=1. The full Odoo
# log is kept in .test-logs/odoo-test.log.
#
# Environment: TEST_DB, HTTP_PORT (default 8169; another free port is used when it is
# busy), KEEP_DB=1, plus ODOO_SRC and VENV (see setup/env.sh).
set -euo pipefail

# shellcheck source=setup/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

DB="${TEST_DB:-forklift_test}"
CORE_DB="${DB}_core"
LOG_DIR="$ROOT/.test-logs"
LOG="$LOG_DIR/odoo-test.log"

reasons=()

# A failure that stops the run before the tests: report it in the same closing format.
abort() {
    printf 'RESULT: FAILED because of:\n1. %s\n0 passed, 0 failed\n' "$*"
    exit 1
}

# the cluster of step 6, whatever happened to its tests
destroy_cluster() {
    [ -n "${cluster_dir:-}" ] && [ -d "$cluster_dir" ] || return 0
    CLUSTER_DIR="$cluster_dir" bash "$ROOT/setup/cluster.sh" destroy >/dev/null 2>&1 || true
    rm -rf "${cluster_seed:?}.dump" "$cluster_seed.json" "$cluster_seed.filestore"
}
cleanup() {
    if [ "${KEEP_DB:-0}" != 1 ]; then
        drop_db "$DB" >/dev/null 2>&1 || true
        drop_db "$CORE_DB" >/dev/null 2>&1 || true
        destroy_cluster
    fi
    [ -z "${wheel_dir:-}" ] || rm -rf "$wheel_dir"
}
trap cleanup EXIT

# --- 1. install ---------------------------------------------------------------------------
bash "$ROOT/setup/install.sh" || abort "setup/install.sh failed"

# --- 2. lint ------------------------------------------------------------------------------
bash "$ROOT/setup/lint.sh" || reasons+=("lint failed (see the [lint] lines above)")

# --- 3. packaging -------------------------------------------------------------------------
# whool takes the version and the list of files from git: it needs a commit, and it
# leaves files that are not tracked (git add) out of the wheel.
IFS=, read -r -a addons <<<"$ADDONS"
wheel_dir="$(mktemp -d)"
for addon in "${addons[@]}"; do
    [ -f "$addon/pyproject.toml" ] || continue
    if ! git rev-parse -q --verify HEAD >/dev/null 2>&1; then
        reasons+=("cannot build $addon as a wheel: no git commit yet (whool reads git)")
        continue
    fi
    untracked="$(git ls-files --others --exclude-standard -- "$addon")"
    if [ -n "$untracked" ]; then
        log "NOTE: not tracked by git, so left out of the $addon wheel:"
        printf '    %s\n' "${untracked//$'\n'/$'\n    '}"
    fi
    log "building the wheel of $addon"
    if "$VENV/bin/pip" wheel --no-deps -q -w "$wheel_dir/$addon" "./$addon"; then
        for wheel in "$wheel_dir/$addon"/*.whl; do log "built ${wheel##*/}"; done
    else
        reasons+=("the wheel of $addon does not build (pip wheel ./$addon)")
    fi
done

# --- 4. Odoo tests ------------------------------------------------------------------------
# HttpCase tests serve HTTP on this port: use HTTP_PORT if free, else any free port.
port="$("$VENV/bin/python" - "${HTTP_PORT:-8169}" <<'EOF'
import socket
import sys

for port in (int(sys.argv[1]), 0):
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            continue
        print(sock.getsockname()[1])
        break
EOF
)"

# Odoo creates the missing database itself, as it does in production (template0,
# LC_COLLATE 'C', pg_trgm). 19.0 loads no demo data unless --with-demo, which is not
# passed: the tests must build their own records.
log "fresh database $DB (Odoo creates it)"
drop_db "$DB" || abort "cannot drop the database $DB"
mkdir -p "$LOG_DIR"
test_tags="/${ADDONS//,/,/}"
log "odoo -i $ADDONS --test-tags $test_tags --http-port $port (log: $LOG)"
set +e
"$VENV/bin/odoo" -c "$ROOT/setup/odoo-test.conf" --addons-path="$ADDONS_PATH" \
    -d "$DB" -i "$ADDONS" --test-enable --test-tags "$test_tags" \
    --stop-after-init --log-level=info --workers=0 --http-port="$port" 2>&1 | tee "$LOG"
odoo_rc=${PIPESTATUS[0]}
set -e

# The core addon stands alone: installed and tested with neither the supplier nor the
# export addon (each addon owns its own knowledge). Its log goes to the same file, so
# that the check below counts both runs.
core="${addons[0]}"
log "the core addon alone: odoo -i $core --test-tags /$core (database $CORE_DB)"
drop_db "$CORE_DB" || abort "cannot drop the database $CORE_DB"
set +e
"$VENV/bin/odoo" -c "$ROOT/setup/odoo-test.conf" --addons-path="$ADDONS_PATH" \
    -d "$CORE_DB" -i "$core" --test-enable --test-tags "/$core" \
    --stop-after-init --log-level=info --workers=0 --http-port="$port" 2>&1 | tee -a "$LOG"
core_rc=${PIPESTATUS[0]}
set -e
[ "$core_rc" = 0 ] || odoo_rc=$core_rc
[ "${KEEP_DB:-0}" = 1 ] || drop_db "$CORE_DB" || log "could not drop the database $CORE_DB"

# End to end: a multi-worker server on its own database, driven over HTTP
# (JSON-RPC, /json/2, portal pages) by tests/e2e; then a short load run.
E2E_DB="${DB}_e2e"
log "end-to-end tests against odoo --workers=2 (database $E2E_DB)"
junit="$LOG_DIR/e2e.xml"
rm -f "$junit"
# the e2e tests save their provisioned database before using it: the cluster's seed
cluster_seed="$LOG_DIR/cluster-seed"
rm -rf "$cluster_seed.dump" "$cluster_seed.json" "$cluster_seed.filestore"
E2E_DB="$E2E_DB" E2E_SEED="$cluster_seed" "$VENV/bin/python" -m pytest "$ROOT/tests/e2e" \
    -p no:cacheprovider -s -q --junitxml="$junit" 2>&1 | tee "$LOG_DIR/e2e.log" || true

# Past one machine: the cluster tests (a few minutes; bounded here in case one hangs).
log "cluster tests: primary, hot standby, two Odoo nodes, HAProxy (database ${DB}_cluster)"
cluster_junit="$LOG_DIR/cluster.xml"
rm -f "$cluster_junit"
cluster_dir="$(mktemp -d "${TMPDIR:-/tmp}/forklift-cluster.XXXXXX")"
chmod 755 "$cluster_dir" # PostgreSQL runs as the user postgres when this runs as root
CLUSTER_DIR="$cluster_dir" CLUSTER_DB="${DB}_cluster" CLUSTER_SEED="$cluster_seed" \
    timeout -k 30 900 "$VENV/bin/python" -m pytest "$ROOT/tests/cluster" \
    -p no:cacheprovider -s -q --junitxml="$cluster_junit" 2>&1 |
    tee "$LOG_DIR/cluster.log" || true
if [ "${KEEP_DB:-0}" != 1 ]; then
    destroy_cluster
else
    log "KEEP_DB=1: kept the cluster in $cluster_dir (setup/cluster.sh stop/destroy)"
fi
log "smoke run of tests/load_test.py"
if ! "$VENV/bin/python" "$ROOT/tests/load_test.py" --smoke --db "${DB}_load" \
    >"$LOG_DIR/load_test.log" 2>&1; then
    tail -n 20 "$LOG_DIR/load_test.log"
    reasons+=("tests/load_test.py --smoke failed (log: $LOG_DIR/load_test.log)")
else
    tail -n 8 "$LOG_DIR/load_test.log"
fi

# The benchmarks are not timed here; a short run only proves they still work.
for bench in "$ROOT"/tests/benchmark_*.py; do
    [ -f "$bench" ] || continue
    name="$(basename "$bench")"
    log "smoke run of $name"
    if ! "$VENV/bin/python" "$bench" --smoke --db "$DB" >"$LOG_DIR/$name.log" 2>&1; then
        tail -n 20 "$LOG_DIR/$name.log"
        reasons+=("benchmark $name failed (log: $LOG_DIR/$name.log)")
    fi
done

if [ "${KEEP_DB:-0}" = 1 ]; then
    log "KEEP_DB=1: kept the database $DB and its filestore $FILESTORES/$DB"
else
    drop_db "$DB" || log "could not drop the database $DB"
fi

reason_args=()
for reason in "${reasons[@]}"; do
    reason_args+=(--reason "$reason")
done
# Prints the reasons and, as its last line, "N passed, N failed"; exits 1 on failure.
"$VENV/bin/python" "$ROOT/setup/check_test_log.py" "$LOG" --exit-code "$odoo_rc" \
    --junit "$junit" --junit "$cluster_junit" "${reason_args[@]}"
