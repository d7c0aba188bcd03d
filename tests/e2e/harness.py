"""A real Odoo server with workers, and the HTTP clients that drive it.

``Server`` creates a database with the three addons (no demo data), provisions
it (``provision.py`` in ``odoo shell``), and runs ``odoo --workers=N`` on it;
``Client`` talks to it as a browser session does (``/web/dataset/call_kw``) and
``ApiClient`` as an integrating system does (``/json/2`` with an API key).
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
ODOO_SRC = os.environ.get("ODOO_SRC", "/opt/odoo/19.0")
VENV = Path(os.environ.get("VENV", ROOT / ".venv"))
ADDONS = ",".join(
    (
        "forklift_aftersales",
        "forklift_aftersales_supplier",
        "forklift_aftersales_export",
        "forklift_aftersales_supplier_export",
    )
)
ADDONS_PATH = f"{ODOO_SRC}/addons,{ROOT}"
LOG_DIR = ROOT / ".test-logs"


def filestore_path(db):
    """Where Odoo keeps the files of ``db`` without a data_dir option."""
    data = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local/share"
    return Path(data, "Odoo", "filestore", db)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RpcError(Exception):
    def __init__(self, error):
        data = error.get("data") or {}
        self.name = data.get("name") or error.get("name", "")
        self.message = data.get("message") or error.get("message", "")
        super().__init__(f"{self.name}: {self.message}")


class MissingDatabase(RuntimeError):
    def __init__(self, db):
        super().__init__(
            f"the database {db} is missing (or was not provisioned by this "
            f"harness): run once with --keep to create and keep it"
        )


class Server:
    def __init__(self, db="forklift_e2e", workers=2):
        self.db = db
        self.workers = workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None
        self.data = None
        LOG_DIR.mkdir(exist_ok=True)
        self.log_path = LOG_DIR / f"{db}.server.log"

    def odoo(self, *args, **kw):
        cmd = [str(VENV / "bin/odoo"), *args]
        return subprocess.run(cmd, check=True, cwd=ROOT, **kw)

    def create(self):
        subprocess.run(["dropdb", "--if-exists", "--force", self.db], check=False)
        with open(LOG_DIR / f"{self.db}.install.log", "w") as log:
            self.odoo(
                "-c", str(ROOT / "setup/odoo-test.conf"),
                f"--addons-path={ADDONS_PATH}", "-d", self.db, "-i", ADDONS,
                "--stop-after-init", "--log-level=warn",
                stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        script = (Path(__file__).parent / "provision.py").read_text()
        result = self.odoo(
            "shell", "-c", str(ROOT / "setup/odoo-test.conf"),
            f"--addons-path={ADDONS_PATH}", "-d", self.db, "--log-level=warn",
            input=script, capture_output=True, text=True,
        )  # fmt: skip
        line = [x for x in result.stdout.splitlines() if x.startswith("E2E-PROVISION ")]
        if not line:
            raise RuntimeError(
                f"provisioning failed:\n{result.stdout}\n{result.stderr}"
            )
        self.data = json.loads(line[-1].split(" ", 1)[1])
        (LOG_DIR / f"{self.db}.json").write_text(json.dumps(self.data))
        return self.data

    def save_seed(self, prefix):
        """Save the database (``<prefix>.dump``, pg_dump's custom format), its
        filestore (``<prefix>.filestore``) and the provisioned data
        (``<prefix>.json``): another cluster can restore them in seconds."""
        subprocess.run(
            ["pg_dump", "-Fc", "--no-owner", "-d", self.db, "-f", f"{prefix}.dump"],
            check=True,
        )  # fmt: skip
        filestore = Path(prefix.parent, f"{prefix.name}.filestore")
        shutil.rmtree(filestore, ignore_errors=True)
        source = filestore_path(self.db)
        if source.is_dir():
            shutil.copytree(source, filestore)
        Path(prefix.parent, f"{prefix.name}.json").write_text(json.dumps(self.data))

    def reuse(self):
        """The database a previous run provisioned (E2E_REUSE=1 while developing).
        Raises MissingDatabase when that run did not keep it."""
        saved = LOG_DIR / f"{self.db}.json"
        exists = subprocess.run(
            ["psql", "-d", "postgres", "-tAc",
             f"SELECT 1 FROM pg_database WHERE datname = '{self.db}'"],
            capture_output=True, text=True, check=False,
        ).stdout.strip()  # fmt: skip
        if exists != "1" or not saved.exists():
            raise MissingDatabase(self.db)
        self.data = json.loads(saved.read_text())
        return self.data

    def start(self):
        self.log = open(self.log_path, "a")  # noqa: SIM115 (kept open while running)
        self.process = subprocess.Popen(
            [
                str(VENV / "bin/odoo"),
                "-c", str(ROOT / "setup/odoo-test.conf"),
                f"--addons-path={ADDONS_PATH}", "-d", self.db,
                f"--db-filter=^{self.db}$", f"--http-port={self.port}",
                f"--gevent-port={free_port()}", f"--workers={self.workers}",
                "--max-cron-threads=0", "--limit-time-real=120",
                "--limit-time-cpu=120", "--log-level=info",
            ],
            cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                if requests.get(f"{self.url}/web/health", timeout=2).ok:
                    return
            except requests.RequestException:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"odoo exited, see {self.log_path}")
            time.sleep(0.5)
        raise RuntimeError(f"odoo did not answer, see {self.log_path}")

    def worker_pids(self):
        """The HTTP workers: children of the master process."""
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.process.pid)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        return [int(pid) for pid in out.stdout.split()]

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None

    def drop(self):
        subprocess.run(["dropdb", "--if-exists", "--force", self.db], check=False)

    def sql(self, query):
        out = subprocess.run(
            ["psql", "-d", self.db, "-tAc", query],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        return [line.split("|") for line in out.stdout.splitlines() if line]


class Client:
    """A browser-like session: logs in, then calls models as the web client."""

    def __init__(self, server, user=None, keep_alive=True):
        self.server = server
        self.http = requests.Session()
        if not keep_alive:
            # a new connection per request: no reuse of a connection the
            # server side has just closed (which requests does not retry)
            self.http.headers["Connection"] = "close"
        self.uid = None
        if user:
            self.login(user["login"], user["password"])

    def _post(self, path, params, timeout=60):
        response = self.http.post(
            self.server.url + path,
            json={"jsonrpc": "2.0", "method": "call", "params": params},
            timeout=timeout,
        )
        body = response.json()
        if "error" in body:
            raise RpcError(body["error"])
        # a method returning None answers without "result"
        return body.get("result")

    def login(self, login, password):
        info = self._post(
            "/web/session/authenticate",
            {"db": self.server.db, "login": login, "password": password},
        )
        self.uid = info["uid"]
        return info

    def call(self, model, method, *args, **kwargs):
        return self._post(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def create_from(self, model, button, record_id, values=None):
        """Clicks ``button`` of the ``model`` record ``record_id``, which
        creates a record and opens it, then writes ``values`` on that
        record; returns its id."""
        action = self.call(model, button, [record_id])
        if values:
            self.call(action["res_model"], "write", [action["res_id"]], values)
        return action["res_id"]

    def jsonrpc(self, path, **params):
        return self._post(path, params)

    def get(self, path, **kw):
        return self.http.get(self.server.url + path, timeout=60, **kw)

    def post_form(self, page, action, data, files=None):
        """Submit a form of ``page`` to ``action`` as the browser does, with
        the CSRF token the page carries; returns the page it lands on."""
        html = self.get(page).text
        match = re.search(r'name="csrf_token"\s+(?:t-att-)?value="([^"]+)"', html)
        assert match, f"no CSRF token on {page}"
        return self.http.post(
            self.server.url + action,
            data={"csrf_token": match.group(1), **data},
            files=files,
            timeout=60,
        )


class ApiClient:
    """An integrating system: ``/json/2/<model>/<method>`` with an API key."""

    def __init__(self, server, user):
        self.server = server
        self.http = requests.Session()
        self.http.headers.update(
            {
                "Authorization": f"Bearer {user['key']}",
                "X-Odoo-Database": server.db,
                "Content-Type": "application/json",
            }
        )

    def raw(self, model, method, **body):
        return self.http.post(
            f"{self.server.url}/json/2/{model}/{method}",
            data=json.dumps(body),
            timeout=60,
        )

    def call(self, model, method, **body):
        response = self.raw(model, method, **body)
        if response.status_code != 200:
            try:
                error = response.json()
            except ValueError:
                error = {
                    "name": str(response.status_code),
                    "message": response.text[:300],
                }
            raise RpcError({"data": error})
        return response.json()


if __name__ == "__main__":  # manual use: start a provisioned server and wait
    server = Server(sys.argv[1] if len(sys.argv) > 1 else "forklift_e2e")
    print(json.dumps(server.create(), indent=1))
    server.start()
    print("serving", server.url)
    try:
        server.process.wait()
    finally:
        server.stop()
