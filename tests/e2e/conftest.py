import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from harness import Server  # noqa: E402


@pytest.fixture(scope="session")
def server():
    """One provisioned multi-worker server for the whole run."""
    srv = Server(os.environ.get("E2E_DB", "forklift_e2e"), workers=2)
    reuse = os.environ.get("E2E_REUSE") == "1"
    if reuse:
        srv.reuse()
    else:
        srv.create()
        if os.environ.get("E2E_SEED"):
            # the provisioned database, before any test changed it, for the
            # cluster tests (tests/cluster) that run after these
            srv.save_seed(Path(os.environ["E2E_SEED"]))
    srv.start()
    yield srv
    srv.stop()
    if not reuse and os.environ.get("KEEP_DB") != "1":
        srv.drop()


@pytest.fixture(scope="session")
def users(server):
    return server.data["users"]
