import re
from pathlib import Path

from lxml import etree

from odoo.modules.module import get_manifest
from odoo.tests import HttpCase, tagged
from odoo.tools import convert_file, file_path

from .common import json_rpc

# The addons whose demo data define the logins of the README, in install order.
DEMO_ADDONS = (
    "forklift_aftersales",
    "forklift_aftersales_export",
    "forklift_aftersales_supplier",
)
# A row of the README table: | `login` | `password` | role | ...
README_ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|\s*`([^`]+)`\s*\|")


@tagged("post_install", "-at_install")
class TestDemoLogins(HttpCase):
    """Every login of the README's "Demo logins" table opens a session.

    The test database has no demo data: the test loads the addons' demo files
    itself, in this transaction, the way the server loads them with demo data
    (rolled back at the end). Then it logs in over HTTP with each README login
    and password, through the real password check, and opens the user's home
    page. The table and the demo users must list the same logins.
    """

    @classmethod
    def _readme_logins(cls):
        """{login: password} of the README's demo logins table."""
        readme = Path(file_path("forklift_aftersales")).parent / "README.md"
        if not readme.is_file():
            return None
        logins, in_section = {}, False
        for line in readme.read_text(encoding="utf-8").splitlines():
            if line.startswith("#"):
                in_section = line.lstrip("#").strip() == "Demo logins"
                continue
            match = in_section and README_ROW.match(line)
            if match:
                logins[match[1]] = match[2]
        return logins

    @classmethod
    def _demo_files(cls, addon):
        return [
            (addon, name)
            for name in get_manifest(addon).get("demo", [])
            if name.endswith(".xml")
        ]

    @classmethod
    def _demo_users(cls):
        """{login: (addon, xml id, password)} of the users in the demo files."""
        users = {}
        for addon in DEMO_ADDONS:
            for module, name in cls._demo_files(addon):
                tree = etree.parse(file_path(f"{module}/{name}"))
                for record in tree.iterfind("//record[@model='res.users']"):
                    fields = {
                        field.get("name"): (field.text or "").strip()
                        for field in record.iterfind("field")
                    }
                    if "login" in fields:
                        users[fields["login"]] = (
                            module,
                            record.get("id"),
                            fields.get("password"),
                        )
        return users

    def _load_demo_data(self):
        """Load the demo files of the installed addons, as ``--with-demo``
        would, unless this database already has them."""
        # the demo users read Chinese or English: both are installed
        self.env["res.lang"]._activate_lang("zh_CN")
        installed = (
            self.env["ir.module.module"]
            .search([("name", "in", DEMO_ADDONS), ("state", "=", "installed")])
            .mapped("name")
        )
        for addon in DEMO_ADDONS:
            if addon not in installed:
                continue
            if self.env["ir.model.data"].search_count(
                [("module", "=", addon), ("model", "=", "res.users")], limit=1
            ):
                continue
            for module, name in self._demo_files(addon):
                convert_file(self.env, module, name, {}, mode="init", noupdate=True)
        return installed

    def _login(self, login, password):
        """Log in over HTTP as a browser's login form does (real password
        check); return the session's user id."""
        body = json_rpc(
            self,
            "/web/session/authenticate",
            {"db": self.env.cr.dbname, "login": login, "password": password},
        )
        self.assertNotIn("error", body, f"{login} cannot log in")
        return body["result"]["uid"]

    def test_readme_lists_every_demo_login(self):
        readme = self._readme_logins()
        if readme is None:
            self.skipTest("README.md is not beside the addons (installed from a wheel)")
        demo = self._demo_users()
        self.assertEqual(
            set(readme) - {"admin"},
            set(demo),
            "the README's demo logins table and the demo users differ",
        )
        for login, password in readme.items():
            expected = "admin" if login == "admin" else demo[login][2]
            self.assertEqual(password, expected, f"password of {login}")

    def test_every_readme_login_logs_in(self):
        readme = self._readme_logins()
        if readme is None:
            self.skipTest("README.md is not beside the addons (installed from a wheel)")
        demo = self._demo_users()
        installed = self._load_demo_data()
        home = self.env.ref("forklift_aftersales.forklift_feedback_action")
        languages = {code for code, _name in self.env["res.lang"].get_installed()}
        # base's data sets the admin password to admin; a test database may
        # have changed it
        self.env.ref("base.user_admin").password = "admin"
        for login, password in readme.items():
            if login != "admin" and demo[login][0] not in installed:
                continue
            with self.subTest(login=login):
                user = self.env["res.users"].search([("login", "=", login)])
                self.assertEqual(len(user), 1)
                self.assertIn(user.lang, languages)
                self.assertEqual(user.tz, "Asia/Shanghai")
                if not user.share:
                    self.assertEqual(user.action_id.id, home.id, "lands in After-Sales")
                self.assertEqual(self._login(login, password), user.id)
                page = self.url_open("/my" if user.share else "/odoo")
                self.assertEqual(page.status_code, 200)
                self.assertNotIn("/web/login", page.url, f"{login} is not logged in")
