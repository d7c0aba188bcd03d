"""The cluster of ``setup/cluster.sh`` for the tests of this folder.

Started once for the run in a folder of its own (CLUSTER_DIR, default a new
temporary folder) and destroyed at the end, whatever the outcome (unless
KEEP_DB=1: then only stopped). The database is restored from CLUSTER_SEED
(``<prefix>.dump``, ``.filestore`` and ``.json`` that the e2e tests saved, see
``harness.Server.save_seed``) when it exists; otherwise ``setup/cluster.sh``
installs the addons and ``tests/e2e/provision.py`` provisions it.
"""

import os
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from cluster import Cluster  # noqa: E402


@pytest.fixture(scope="session")
def cluster():
    directory = os.environ.get("CLUSTER_DIR")
    if not directory:
        directory = tempfile.mkdtemp(prefix="forklift-cluster-")
        # PostgreSQL runs as another user when the tests run as root
        os.chmod(directory, 0o755)
    seed = os.environ.get("CLUSTER_SEED")
    cluster = Cluster(
        Path(directory),
        os.environ.get("CLUSTER_DB", "forklift_cluster_test"),
        Path(seed) if seed else None,
    )
    try:
        cluster.start()
        yield cluster
    finally:
        if os.environ.get("KEEP_DB") == "1":
            cluster.run("stop")
        else:
            cluster.run("destroy")


@pytest.fixture(scope="session")
def users(cluster):
    return cluster.data["users"]
