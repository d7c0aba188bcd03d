"""Drive the cluster of ``setup/cluster.sh`` from the tests: start, stop and
kill its parts, query the primary and the standby, and talk to Odoo through
HAProxy or to one node directly."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests/e2e"))

from harness import VENV, Client, RpcError  # noqa: E402

CLUSTER_SH = ROOT / "setup/cluster.sh"


class Endpoint:
    """What ``harness.Client`` needs of a server: its URL and database."""

    def __init__(self, url, db, data):
        self.url = url
        self.db = db
        self.data = data


class NodeClient(Client):
    """A browser-like session that also notes which node answered
    (HAProxy's ``X-Odoo-Node`` header)."""

    last_node = None

    def _post(self, path, params, timeout=120):
        response = self.http.post(
            self.server.url + path,
            json={"jsonrpc": "2.0", "method": "call", "params": params},
            timeout=timeout,
        )
        self.last_node = response.headers.get("X-Odoo-Node")
        if response.status_code != 200:
            raise OSError(f"HTTP {response.status_code} from node {self.last_node}")
        body = response.json()
        if "error" in body:
            raise RpcError(body["error"])
        return body.get("result")


class Cluster:
    def __init__(self, directory, db, seed=None):
        self.directory = directory
        self.db = db
        self.seed = seed
        self.env = dict(os.environ, CLUSTER_DIR=str(directory), CLUSTER_DB=db)
        if seed and Path(f"{seed}.dump").is_file():
            self.env["CLUSTER_RESTORE"] = f"{seed}.dump"
            self.env["CLUSTER_FILESTORE"] = f"{seed}.filestore"
        self.data = None
        self.state = {}

    def run(self, *args, timeout=900):
        return subprocess.run(
            ["bash", str(CLUSTER_SH), *args], env=self.env, check=True, timeout=timeout
        )

    def start(self):
        self.run("start")
        self.load_state()
        seed_json = Path(f"{self.seed}.json") if self.seed else None
        saved = self.directory / "provision.json"
        if "CLUSTER_RESTORE" in self.env and seed_json and seed_json.is_file():
            self.data = json.loads(seed_json.read_text())
        elif saved.is_file():
            self.data = json.loads(saved.read_text())
        else:
            self.data = self.provision()
            saved.write_text(json.dumps(self.data))
        return self

    def load_state(self):
        for line in (self.directory / "cluster.env").read_text().splitlines():
            if "=" in line and not line.startswith("#"):
                key, value = line.split("=", 1)
                self.state[key] = value
        self.proxy_url = f"http://127.0.0.1:{self.state['PROXY_PORT']}"
        self.node_urls = {
            "a": f"http://127.0.0.1:{self.state['NODE_A_PORT']}",
            "b": f"http://127.0.0.1:{self.state['NODE_B_PORT']}",
        }

    def provision(self):
        script = (ROOT / "tests/e2e/provision.py").read_text()
        result = subprocess.run(
            [
                str(VENV / "bin/odoo"), "shell",
                "-c", str(self.directory / "run/odoo-a.conf"),
                "-d", self.db, "--log-level=warn", "--no-http",
            ],
            input=script, capture_output=True, text=True, check=True, cwd=ROOT,
        )  # fmt: skip
        lines = [
            x for x in result.stdout.splitlines() if x.startswith("E2E-PROVISION ")
        ]
        if not lines:
            raise RuntimeError(
                f"provisioning failed:\n{result.stdout}\n{result.stderr}"
            )
        return json.loads(lines[-1].split(" ", 1)[1])

    # --- the parts of the cluster ---------------------------------------------------

    def endpoint(self, node=None):
        url = self.node_urls[node] if node else self.proxy_url
        return Endpoint(url, self.db, self.data)

    def client(self, user, node=None, keep_alive=True):
        return NodeClient(self.endpoint(node), user, keep_alive=keep_alive)

    def node_pid(self, node):
        return int((self.directory / f"run/odoo-{node}.pid").read_text())

    def kill_node(self, node):
        """SIGKILL to the node's master and workers at once."""
        os.killpg(self.node_pid(node), signal.SIGKILL)

    def node_up(self, node):
        try:
            return requests.get(f"{self.node_urls[node]}/web/health", timeout=5).ok
        except requests.RequestException:
            return False

    def sql(self, query, standby=False, db=None):
        port = self.state["STANDBY_PORT" if standby else "PRIMARY_PORT"]
        out = subprocess.run(
            [
                "psql", "-X", "-h", "127.0.0.1", "-p", port,
                "-U", self.state["DB_USER"], "-d", db or self.db, "-tAc", query,
            ],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        return [line.split("|") for line in out.stdout.splitlines() if line]


def wait_for(predicate, timeout, step=1.0):
    """Poll ``predicate`` until it returns a true value or ``timeout`` seconds
    passed (generous bounds, not a timed assertion); returns its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(step)
