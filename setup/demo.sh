#!/usr/bin/env bash
# Install everything and start Odoo in the foreground with a demo database of the addons.
# The first run creates the database DEMO_DB (default forklift_demo) with demo data and
# Simplified Chinese and English loaded (a few minutes); later runs start the server at once.
#
# Environment: DEMO_DB, PORT (default 8069), HTTP_INTERFACE (default 127.0.0.1; 0.0.0.0
# to reach the server from another machine), UPDATE=1 to update the addons after
# pulling new code (-u), RESET=1 to drop and recreate the database.
set -euo pipefail

# shellcheck source=setup/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

DB="${DEMO_DB:-forklift_demo}"
PORT="${PORT:-8069}"
odoo_args=(-c "$ROOT/setup/odoo.conf" --addons-path="$ADDONS_PATH" -d "$DB")

bash "$ROOT/setup/install.sh"

# Whether a module is installed in the database (false when the database is missing).
installed() {
    local state
    state="$(psql -d "$DB" -tAc \
        "SELECT state FROM ir_module_module WHERE name = '$1'" 2>/dev/null || true)"
    case "$state" in
    installed | "to upgrade" | "to remove") return 0 ;;
    *) return 1 ;;
    esac
}

if [ "${RESET:-0}" = 1 ] || ! installed forklift_aftersales; then
    if [ -n "$(psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" ]; then
        log "recreating the database $DB (RESET=1, or forklift_aftersales not installed)"
    fi
    drop_db "$DB"
    log "creating the database $DB with demo data (takes a few minutes)"
    "$VENV/bin/odoo" "${odoo_args[@]}" -i "$ADDONS" --with-demo --load-language=zh_CN,en_US \
        --stop-after-init
else
    # An addon added to ADDONS (and to the repository) after the database was created
    missing=()
    IFS=, read -r -a addons <<<"$ADDONS"
    for addon in "${addons[@]}"; do
        if [ -f "$ROOT/$addon/__manifest__.py" ] && ! installed "$addon"; then
            missing+=("$addon")
        fi
    done
    if [ ${#missing[@]} -gt 0 ]; then
        list="$(IFS=,; echo "${missing[*]}")"
        log "installing $list in $DB"
        "$VENV/bin/odoo" "${odoo_args[@]}" -i "$list" --stop-after-init
    fi
    if [ "${UPDATE:-0}" = 1 ]; then
        log "updating $ADDONS in $DB"
        "$VENV/bin/odoo" "${odoo_args[@]}" -u "$ADDONS" --stop-after-init
    fi
fi

# base's data creates the user admin with the password admin (demo data or not): put
# them back when they were changed in this database. Checked without starting Odoo.
if ! "$VENV/bin/python" - "$DB" <<'EOF'; then
import subprocess
import sys

from passlib.context import CryptContext

query = (
    "SELECT u.login, u.active, COALESCE(u.password, '') FROM res_users u"
    " JOIN ir_model_data d ON d.res_id = u.id AND d.model = 'res.users'"
    " WHERE d.module = 'base' AND d.name = 'user_admin'"
)
out = subprocess.run(
    ["psql", "-d", sys.argv[1], "-tA", "-F", "\t", "-c", query],
    check=True,
    capture_output=True,
    text=True,
).stdout.rstrip("\n")
login, active, hashed = (out.split("\t") + ["", "", ""])[:3]
try:
    ok = CryptContext(["pbkdf2_sha512"]).verify("admin", hashed)
except (TypeError, ValueError):  # empty or not a hash passlib knows
    ok = False
sys.exit(0 if ok and login == "admin" and active == "t" else 1)
EOF
    log "resetting the user admin's login and password to admin"
    "$VENV/bin/odoo" shell "${odoo_args[@]}" --no-http --log-level=warn <<'EOF'
user = env.ref("base.user_admin")
user.write({"login": "admin", "password": "admin", "active": True})
env.cr.commit()
EOF
fi

echo
echo "Open http://localhost:$PORT — login: admin / password: admin"
echo
exec "$VENV/bin/odoo" "${odoo_args[@]}" --http-port="$PORT" \
    --http-interface="${HTTP_INTERFACE:-127.0.0.1}"
