#!/usr/bin/env bash
# Lint the repository with the virtualenv's tools (setup/install.sh installs them):
# ruff (check + format), pylint-odoo's mandatory checks on the addons, the share of the
# requirements the tests cite, and the shell scripts (bash -n, plus shellcheck when it
# is installed). Runs every check, then exits non-zero when any of them found something.
set -uo pipefail

# shellcheck source=setup/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT" || exit 1

failed=()
run() {
    local name="$1"
    shift
    printf '[lint] %s\n' "$name"
    "$@" || failed+=("$name")
}

for tool in ruff pylint; do
    [ -x "$VENV/bin/$tool" ] || {
        echo "[lint] ERROR: $VENV/bin/$tool is missing: run setup/install.sh first" >&2
        exit 1
    }
done

# .ruff.toml sets fix = true (OCA's pre-commit setting): never rewrite files here.
run "ruff check" "$VENV/bin/ruff" check --no-fix --output-format=concise .
# (concise: the files and lines only; "ruff format" then shows the changes)
run "ruff format --check" "$VENV/bin/ruff" format --check --output-format=concise .

addons=()
IFS=, read -r -a names <<<"$ADDONS"
for addon in "${names[@]}"; do
    [ -d "$addon" ] && addons+=("$addon")
done
if [ ${#addons[@]} -gt 0 ]; then
    format=text
    [ -t 1 ] && format=colorized
    run "pylint (.pylintrc-mandatory) ${addons[*]}" \
        "$VENV/bin/pylint" --rcfile=.pylintrc-mandatory --output-format="$format" "${addons[@]}"
else
    echo "[lint] no addon directory yet: pylint skipped"
fi

# OCA's checks beyond pylint: prettier on the XML (with its XML plugin, installed by
# setup/install.sh), oca-checks-odoo-module on the addons' XML and manifests, and
# manifestoo on the manifests' licenses and development status. The demo files update
# on purpose a few records that an earlier demo file created (the story needs that
# order), hence xml-duplicate-record-id is not checked.
prettier="$VENV/node/node_modules/.bin/prettier"
if [ -x "$prettier" ]; then
    run "prettier --check (XML)" "$prettier" --log-level warn --check \
        --plugin="$VENV/node/node_modules/@prettier/plugin-xml/src/plugin.js" \
        "forklift_aftersales*/**/*.xml"
else
    echo "[lint] ERROR: $prettier is missing: run setup/install.sh first" >&2
    failed+=("prettier missing")
fi
manifests=()
for addon in "${addons[@]}"; do manifests+=("$addon/__manifest__.py"); done
run "oca-checks-odoo-module" "$VENV/tools/bin/oca-checks-odoo-module" --no-verbose \
    --disable=xml-duplicate-record-id "${manifests[@]}"
# the addons path of the virtualenv's Odoo: its own addons and the OCA wheels
manifestoo_args=(--addons-path "$ADDONS_PATH" --addons-path-python "$VENV/bin/python"
    --odoo-series 19.0)
for addon in "${addons[@]}"; do manifestoo_args+=(--select-include "$addon"); done
run "manifestoo check-licenses" "$VENV/tools/bin/manifestoo" -d . "${manifestoo_args[@]}" \
    check-licenses
run "manifestoo check-dev-status" "$VENV/tools/bin/manifestoo" -d . "${manifestoo_args[@]}" \
    check-dev-status

# The tests must keep citing at least 80% of the must/should requirements of the
# catalogue (REQUIREMENTS.md beside the repository, or the file $REQUIREMENTS names).
catalogue="${REQUIREMENTS:-$ROOT/../shared/REQUIREMENTS.md}"
if [ -f "$catalogue" ]; then
    run "requirements cited by tests (M+S >= 80%)" \
        "$VENV/bin/python" setup/requirements_coverage.py "$catalogue" --min 80
else
    echo "[lint] $catalogue not found: requirements coverage skipped"
fi

scripts=(setup/*.sh .ci/run)
for script in "${scripts[@]}"; do
    run "bash -n $script" bash -n "$script"
done
if command -v shellcheck >/dev/null; then
    # -x follows the "source" lines (setup/env.sh) from the repository root
    run "shellcheck" shellcheck -x -P SCRIPTDIR/.. "${scripts[@]}"
else
    echo "[lint] shellcheck not installed: shell scripts only checked with bash -n"
fi

if [ ${#failed[@]} -gt 0 ]; then
    printf '[lint] FAILED: %s\n' "${failed[@]}" >&2
    exit 1
fi
echo "[lint] OK"
