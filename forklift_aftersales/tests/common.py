import json
from datetime import date, datetime, timedelta
from uuid import uuid4

from freezegun import freeze_time

from odoo import Command, http
from odoo.exceptions import AccessError, UserError
from odoo.tests import common as odoo_test_common
from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon

# Chromium must open its DevTools port within Odoo's 10 s or the tour is skipped, which
# setup/test.sh counts as a failure. On a busy two-core CI machine it has needed more;
# allow 60 s. A missing or broken browser still fails, only later.
odoo_test_common.CHECK_BROWSER_ITERATIONS = max(
    odoo_test_common.CHECK_BROWSER_ITERATIONS, 600
)

# a minimal PDF, as a dealer's scan of a signed sheet
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# a 1x1 PNG, as the signature widget sends it (base64)
SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVO"
    "RK5CYII="
)


def json_rpc(case, url, params):
    """Post ``params`` to ``url`` as a JSON-RPC call, from the HTTP test
    ``case``'s session; returns the decoded answer, its "result" or its
    "error"."""
    response = case.url_open(
        url,
        data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}),
        headers={"Content-Type": "application/json"},
    )
    return response.json()


def call_kw(case, model, method, args, kwargs=None):
    """Call ``method`` of ``model`` over JSON-RPC as the web client does, as
    the user the HTTP test ``case`` is logged in as; returns the decoded
    answer, its "result" or its "error"."""
    return json_rpc(
        case,
        f"/web/dataset/call_kw/{model}/{method}",
        {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
    )


def portal_post(case, url, data=None, **kwargs):
    """Post the form ``data`` to the portal page ``url`` with the CSRF token
    of the HTTP test ``case``'s session, as the page's own form does;
    ``kwargs`` go to ``url_open`` (``files``, ``allow_redirects``)."""
    return case.url_open(
        url,
        data={"csrf_token": http.Request.csrf_token(case), **(data or {})},
        **kwargs,
    )


def post_signed_sheet(case, order, content=PDF, filename="signed.pdf"):
    """In the HTTP test ``case``, the user logged in returns ``content`` as
    the signed sheet of the service order ``order`` on its portal page;
    returns the page's response."""
    return portal_post(
        case,
        f"/my/forklift/service-orders/{order.id}/signed-sheet",
        files={"signed_sheet": (filename, content, "application/pdf")},
    )


def token_reads(record, token):
    """(method, args, kwargs) of each RPC a reader of ``record`` would call to
    get its access token ``token``: read it, search it, group or export it,
    or have the portal URL made with it."""
    domain = [("id", "=", record.id)]
    return [
        ("read", [record.ids, ["access_token"]], {}),
        ("search_read", [domain, ["access_token"]], {}),
        ("web_read", [record.ids], {"specification": {"access_token": {}}}),
        (
            "web_search_read",
            [],
            {"domain": domain, "specification": {"access_token": {}}},
        ),
        ("export_data", [record.ids, ["access_token"]], {}),
        ("formatted_read_group", [], {"domain": domain, "groupby": ["access_token"]}),
        ("search", [[("access_token", "=", token)]], {}),
        ("search_count", [[("access_token", "=like", token[:4] + "%")]], {}),
        ("get_portal_url", [record.ids], {}),
    ]


def assert_token_unread_by_rpc(case, record, token, users):
    """In the HTTP test ``case``, each of ``users`` (login = password), who
    reads ``record``, is refused its access token ``token`` by every RPC
    that names it; a read of all fields leaves it out, and the fields do not
    list it."""
    model = record._name
    for user in users:
        case.assertTrue(record.with_user(user).has_access("read"))
        case.authenticate(user.login, user.login)
        for method, args, kwargs in token_reads(record, token):
            with case.subTest(user=user.login, method=method):
                answer = call_kw(case, model, method, args, kwargs)
                case.assertNotIn("result", answer)
                case.assertIn("error", answer)
                case.assertNotIn(token, json.dumps(answer["error"]))
        with case.subTest(user=user.login, method="read all"):
            answer = call_kw(case, model, "read", [record.ids])
            case.assertNotIn("access_token", answer["result"][0])
            fields = call_kw(case, model, "fields_get", [])["result"]
            case.assertNotIn("access_token", fields)


def assert_token_not_shared(case, record, token, template):
    """In the HTTP test ``case``, logged in as a reader of ``record``: the
    share wizard and the mail composer with ``template``, which build a
    document's link for whoever reads it, do not give him its token."""
    with case.subTest(helper="share"):
        answer = call_kw(
            case,
            "portal.share",
            "default_get",
            [["share_link", "res_model", "res_id"]],
            {"context": {"active_model": record._name, "active_id": record.id}},
        )
        case.assertNotIn(token, json.dumps(answer))
    with case.subTest(helper="composer"):
        values = {
            "composition_mode": "comment",
            "model": record._name,
            "res_ids": str(record.ids),
            "template_id": template.id,
        }
        answer = call_kw(
            case,
            "mail.compose.message",
            "web_save",
            [[], values],
            {"specification": {"body": {}, "subject": {}}},
        )
        case.assertNotIn(token, json.dumps(answer))


def assert_link_cannot_mark_sent(case, record, context_key):
    """In the HTTP test ``case``, a visitor holding the link of the draft
    ``record`` posts a comment with the context key ``context_key``, which
    the model's ``message_post`` reads to mark it sent: refused, the record
    stays a draft and nothing is posted."""
    messages = record.message_ids
    token = record._portal_ensure_token()
    case.authenticate(None, None)
    answer = json_rpc(
        case,
        "/mail/message/post",
        {
            "thread_model": record._name,
            "thread_id": record.id,
            "token": token,
            "post_data": {"body": "Hello", "message_type": "comment"},
            "context": {context_key: True},
        },
    )
    case.assertEqual(
        answer["error"]["data"]["name"], "odoo.exceptions.AccessError", answer
    )
    record.invalidate_recordset()
    case.assertEqual(record.state, "draft")
    case.assertEqual(record.message_ids, messages)


def stored_values(record):
    """What a user would see change on ``record``: its stored fields, without
    its chatter (the tracking of earlier steps posts late)."""
    record.invalidate_recordset()
    names = [
        name
        for name, field in record._fields.items()
        if field.store
        and not name.startswith(("message_", "activity_", "website_message"))
        and name not in ("write_date", "write_uid")
    ]
    return record.sudo().read(names)[0]


def buy_only_from(product, vendor):
    """Purchasing now buys ``product`` from ``vendor`` only."""
    product.seller_ids = [Command.clear(), Command.create({"partner_id": vendor.id})]
    product.env.flush_all()


def assert_redirected_home(case, response):
    """``response``, in the HTTP test ``case``, redirects (303) to the portal
    home."""
    case.assertEqual(response.status_code, 303)
    case.assertTrue(response.headers["Location"].endswith("/my"))


def assert_sent_home(case, url):
    """Opening ``url`` in the HTTP test ``case`` redirects (303) to the portal home."""
    assert_redirected_home(case, case.url_open(url, allow_redirects=False))


def assert_portal_lists_own(case, url, own, other):
    """In the HTTP test ``case``, the portal list at ``url`` shows the record
    ``own`` and not ``other``; the page of ``own`` shows it, and ``other``'s
    sends the user back to the portal home. Returns the page of ``own``."""
    page = case.url_open(url).text
    case.assertIn(own.name, page)
    case.assertNotIn(other.name, page)
    page = case.url_open(f"{url}/{own.id}").text
    case.assertIn(own.name, page)
    assert_sent_home(case, f"{url}/{other.id}")
    return page


# what a crafted link would put on a page: a text that reads as ours, form
# values, and arguments of the page helpers
LINK_QUERY = "?error=Pay+the+fee+to+account+99&post=x&template=t&values=v&page=2"


def assert_link_puts_nothing(case, url, shown):
    """Opening ``url`` with ``LINK_QUERY`` in the HTTP test ``case`` shows the
    page (``shown`` on it) without the link's text or an error box."""
    response = case.url_open(url + LINK_QUERY)
    case.assertEqual(response.status_code, 200)
    case.assertIn(shown, response.text)
    case.assertNotIn("Pay the fee", response.text)
    case.assertNotIn("alert alert-danger", response.text)


# what a link may add to a portal list: a sort the page does not offer (a
# field list, SQL), Odoo's other search arguments, a page that is no number
LIST_QUERIES = (
    "?sortby=name%20desc%2C(select%201)",
    "?sortby=amount_claimed",
    "?sortby=&search_in=all&search=%27or%201%3D1&filterby=all&groupby=dealer_id",
    "?page=abc&sortby=state",
    "/page/999?sortby=x",
)


def assert_list_link_breaks_nothing(case, url, shown, hidden=()):
    """Opening the portal list ``url`` with each of ``LIST_QUERIES`` in the
    HTTP test ``case`` shows the list (``shown`` on it, none of ``hidden``),
    never an error 500."""
    for query in LIST_QUERIES:
        with case.subTest(url=url, query=query):
            response = case.url_open(url + query)
            case.assertEqual(response.status_code, 200)
            if "/page/" not in query:
                case.assertIn(shown, response.text)
            for name in hidden:
                case.assertNotIn(name, response.text)


# the views of a document Odoo serves a portal user over RPC, without the
# staff's nodes: its list, board and filters
PORTAL_VIEW_TYPES = ("list", "kanban", "search")


def assert_staff_forms_refused(case, user, models):
    """``user``, a portal login, asking over RPC for the staff's form of each
    of ``models`` (by its type, by its id, or with other views) is refused
    with an access error, not a server error; the model's list, board and
    filters are still served to him."""
    for model in models:
        records = case.env[model].with_user(user)
        form = case.env["ir.ui.view"].default_view(model, "form")
        for call, args in (
            ("get_view", {"view_type": "form"}),
            ("get_view", {"view_id": form}),
            ("get_views", {"views": [[False, "list"], [form, "form"]]}),
        ):
            with case.subTest(user=user.login, model=model, call=call, args=args):
                with case.assertRaisesRegex(AccessError, "internal users"):
                    getattr(records, call)(**args)
        views = records.get_views([[False, kind] for kind in PORTAL_VIEW_TYPES])
        case.assertEqual(set(views["views"]), set(PORTAL_VIEW_TYPES))


def rpc_error(case, model, method, args, kwargs=None):
    """The exception ``call_kw`` answers with (``case`` fails if the call succeeds)."""
    body = call_kw(case, model, method, args, kwargs)
    case.assertIn("error", body)
    return body["error"]["data"]["name"]


class ForkliftCommon(BaseCommon):
    """Forklift models, dealers, customers and one user per after-sales group."""

    @classmethod
    def _portal_user(cls, login, company, partner_name=None, **values):
        """A portal login for a contact of ``company`` (a dealer or a customer)."""
        partner = cls.env["res.partner"].create(
            {"name": partner_name or login, "parent_id": company.id}
        )
        return cls._group_user(
            login, "base.group_portal", password=login, partner_id=partner.id, **values
        )

    @classmethod
    def _dealer_portal_users(cls, contact_a, contact_b, **values):
        """Portal logins of dealer A and of dealer B, each ``(login, contact name)``."""
        return tuple(
            cls._portal_user(login, dealer, name, **values)
            for (login, name), dealer in (
                (contact_a, cls.dealer_a),
                (contact_b, cls.dealer_b),
            )
        )

    @classmethod
    def _dealer_logins(cls, prefix, **values):
        """``_dealer_portal_users`` logged in as ``<prefix>_dealer_a`` (Chen,
        of dealer A) and ``<prefix>_dealer_b`` (Liu, of dealer B)."""
        return cls._dealer_portal_users(
            (f"{prefix}_dealer_a", "Chen (dealer A)"),
            (f"{prefix}_dealer_b", "Liu (dealer B)"),
            **values,
        )

    def _commitment_letter(self, **values):
        """A service commitment letter the director drafts with the customer
        and dealer A, with ``values`` (R-025)."""
        return (
            self.env["forklift.service.commitment"]
            .with_user(self.director)
            .create(
                {
                    "partner_id": self.customer.id,
                    "dealer_id": self.dealer_a.id,
                    **values,
                }
            )
        )

    def _portal_wizard_users(self, user, partner):
        """Odoo's portal wizard, opened by ``user`` on ``partner``: its line."""
        wizard = (
            self.env["portal.wizard"]
            .with_user(user)
            .with_context(active_model="res.partner", active_ids=partner.ids)
            .create({})
        )
        return wizard.user_ids

    def _grant_portal_login(self, user, partner):
        """``user`` gives ``partner`` a portal login with Odoo's portal wizard."""
        self._portal_wizard_users(user, partner).action_grant_access()

    def _revoke_portal_login(self, user, partner):
        """``user`` revokes the portal login of ``partner`` with Odoo's portal
        wizard."""
        self._portal_wizard_users(user, partner).action_revoke_access()

    def _outsider_with_login(self, user):
        """A contact of no company whom ``user`` gives a portal login."""
        outsider = self.env["res.partner"].create(
            {"name": "Outsider", "email": "outsider@example.com"}
        )
        self._grant_portal_login(user, outsider)
        self.assertTrue(outsider.user_ids)
        return outsider

    def _assert_told_nothing(self, attack, names):
        """``attack`` (over RPC: a new request, nothing read yet) is refused
        by Odoo's access rights, in a message that names none of ``names``;
        what it tried is undone."""
        self.env.invalidate_all()
        with self.assertRaises(UserError) as refused, self.cr.savepoint():
            attack()
        message = str(refused.exception)
        for name in names:
            self.assertNotIn(name, message)
        self.assertIsInstance(refused.exception, AccessError, message)

    def _assert_no_login_into(self, user, company, outsider, email):
        """``user`` neither gives a new contact of ``company`` (at ``email``)
        a portal login with Odoo's wizard nor moves ``outsider``, a contact
        with a login, under it: nothing changes. Returns the contact."""
        contact = self.env["res.partner"].create(
            {"name": "Clerk", "email": email, "parent_id": company.id}
        )
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self._grant_portal_login(user, contact)
        self.assertFalse(contact.with_context(active_test=False).user_ids)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            outsider.with_user(user).write({"parent_id": company.id})
        self.assertFalse(outsider.parent_id)
        return contact

    def _assert_login_stays(self, user, contact, parent=False):
        """``user`` does not move ``contact``, who has a login, to ``parent``
        (no company by default): it stays where it is."""
        before = contact.parent_id
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            contact.with_user(user).write({"parent_id": parent})
        self.assertEqual(contact.parent_id, before)

    @classmethod
    def _vendor(cls, name, **vals):
        """A supplier company named ``name``; ``vals`` adds to it."""
        return cls.env["res.partner"].create(
            {"name": name, "is_company": True, "supplier_rank": 1, **vals}
        )

    @staticmethod
    def _field_values(record, names):
        """The values of the fields ``names`` of ``record`` as the database
        holds them, whatever the record's user may read: what a refused step
        must leave as it was."""
        record.invalidate_recordset()
        return {name: record.sudo()[name] for name in names}

    def _assert_attacks_refused(
        self, attacks, flushed=None, refusal=AccessError, message=".*", **subtest
    ):
        """Each of ``attacks`` ({name: callable}) raises ``refusal`` (an
        AccessError unless told), saying ``message`` (a regular expression)
        when given, and is undone before the next; with ``flushed``
        (records), their model is flushed within each attack. ``subtest``
        names the case further."""
        for name, attack in attacks.items():
            with (
                self.subTest(attack=name, **subtest),
                self.assertRaisesRegex(refusal, message),
                self.cr.savepoint(),
            ):
                attack()
                if flushed is not None:
                    flushed.flush_model()

    def _assert_writes_refused(self, record, user, vals, message=None):
        """Each field of ``vals`` written alone by ``user`` on ``record`` (as
        an RPC ``write`` would, also with OCA's ``skip_validation_check``,
        which a client may send) is refused, saying ``message`` (a regular
        expression) when given, and the record keeps its values."""
        state = record._fields.get("state") and record.state
        before = self._field_values(record, vals)
        for context in ({}, {"skip_validation_check": True}):
            for name, value in vals.items():
                with self.subTest(
                    record=record, state=state, field=name, context=context
                ):
                    with self.assertRaises(UserError) as refused:
                        record.with_user(user).with_context(**context).write(
                            {name: value}
                        )
                    if message:
                        self.assertRegex(str(refused.exception), message)
        with self.subTest(record=record, state=state, unchanged=True):
            self.assertEqual(self._field_values(record, vals), before)

    def _assert_steps_refused(self, record, user, *steps, error=UserError):
        """Each of ``steps`` (method names of ``record``, called without
        arguments) is refused to ``user`` with ``error``."""
        for step in steps:
            with self.subTest(step=step), self.assertRaises(error):
                getattr(record.with_user(user), step)()

    def _assert_posted_move_kept(self, move, balance, message):
        """The posted ``move`` (a bill or credit note of the flow) keeps its
        lines and stays posted: moving ``balance`` from its payable line to
        its invoice line is refused, saying ``message`` (a regular
        expression), and so is cancelling it. Odoo refuses a posted move's
        lines only in a locked period, and lifts its refusal of the form's
        fields with a client's context key."""
        line = move.invoice_line_ids
        payable = move.line_ids - line
        with self.assertRaisesRegex(UserError, message), self.env.cr.savepoint():
            move.with_context(skip_readonly_check=True).write(
                {
                    "line_ids": [
                        Command.update(line.id, {"balance": balance}),
                        Command.update(payable.id, {"balance": -balance}),
                    ]
                }
            )
        with self.assertRaisesRegex(UserError, "after-sales flow"):
            move.button_cancel()

    def _assert_reads_but_does_not_handle(self, user, case):
        """``user`` reads ``case`` and its forklift, but neither changes the
        sheet nor opens one (000 §3)."""
        self.assertEqual(case.with_user(user).name, case.name)
        self.assertTrue(case.unit_id.with_user(user).warranty_state)
        with self.assertRaises(AccessError):
            case.with_user(user).write({"severity": "major"})
        with self.assertRaises(AccessError):
            self.env["forklift.feedback"].with_user(user).create(
                {"unit_id": case.unit_id.id}
            )

    def _remind_when_overdue(self, record, flag, on_time, late, runs=2):
        """``record`` is not listed by its overdue ``flag`` at ``on_time`` and
        is at ``late``, when the one scheduled job of every deadline runs,
        ``runs`` times (the second run must remind no one again)."""
        model = self.env[record._name]
        overdue = [(flag, "=", True)]
        with freeze_time(on_time):
            self.assertNotIn(record, model.search(overdue))
        with freeze_time(late):
            self.assertIn(record, model.search(overdue))
            for _run in range(runs):
                model._cron_remind_overdue()

    def _report_html(self, report_xmlid, records):
        """The HTML of the QWeb report ``report_xmlid`` printed for ``records``."""
        return (
            self.env["ir.actions.report"]
            ._render_qweb_html(report_xmlid, records.ids)[0]
            .decode()
        )

    @classmethod
    def _group_user(cls, login, groups, **values):
        """A user of ``groups``, comma-separated xml ids; a group named
        without its module is one of forklift_aftersales."""
        return new_test_user(
            cls.env,
            login=login,
            groups=",".join(
                group if "." in group else f"forklift_aftersales.{group}"
                for group in groups.split(",")
            ),
            **values,
        )

    @classmethod
    def _role_users(cls, prefix, *roles, email=False):
        """A user for each of ``roles`` (such as ``qa_manager``), in the group
        named after it (``group_forklift_qa_manager``) and logged in as
        ``<prefix>_<role>``; with an e-mail address of its own (``_user``)
        when ``email``."""
        make_user = cls._user if email else cls._group_user
        return tuple(
            make_user(f"{prefix}_{role}", f"group_forklift_{role}") for role in roles
        )

    @classmethod
    def _govern_dealers(cls, office_director, *dealers):
        """``office_director`` directs the sales office governing ``dealers``
        (dealers A and B when none are named): he confirms their warranty
        parts applications and signs the return of their forklifts
        (000 §4.2.2.3, §4.4.1). Returns him."""
        for dealer in dealers or (cls.dealer_a, cls.dealer_b):
            dealer.forklift_office_director_id = office_director
        return office_director

    @classmethod
    def _vehicle_return_signers(cls, prefix):
        """The office director governing dealers A and B and the domestic sales
        VP, who sign a vehicle return."""
        return (
            cls._govern_dealers(
                cls._group_user(f"{prefix}_office", "group_forklift_office_director")
            ),
            cls._group_user(f"{prefix}_sales_vp", "group_forklift_sales_vp_domestic"),
        )

    def _staff_vehicle_return(self, fault="Mast frame cracked at the weld.", **vals):
        """The service center registers the return of the customer's forklift
        (``self.unit``) for a product fault (R-237); read back as the test's
        user."""
        return (
            self.env["forklift.vehicle.return"]
            .with_user(self.staff)
            .create(
                {
                    "unit_id": self.unit.id,
                    "returned_by": "Li Ming (Harbour Logistics)",
                    "reason_type": "product",
                    "description": f"<p>{fault}</p>",
                    **vals,
                }
            )
            .with_user(self.env.user)
        )

    def _sign_vehicle_return(self, vehicle_return):
        """Submits ``vehicle_return``; office, director and sales VP sign in turn."""
        vehicle_return.action_submit()
        vehicle_return.with_user(self.office_director).action_sign_office()
        vehicle_return.with_user(self.director).action_sign_director()
        vehicle_return.with_user(self.sales_vp).action_sign_sales_vp()

    def _start_rework(self, vehicle_return, tasks, **vals):
        """QA assigns the rework ``tasks`` (department, name, user) and starts it."""
        vehicle_return.with_user(self.qa).task_ids = [
            Command.create(
                {"department": dept, "name": name, "user_id": user.id, **vals}
            )
            for dept, name, user in tasks
        ]
        vehicle_return.with_user(self.qa).action_start_rework()

    def _inspect_defect(self, vehicle_return, item, finding, result):
        """QA inspects ``vehicle_return``, received: the check of ``item``
        failed with ``finding``; ``result`` (HTML) sums the inspection up."""
        vehicle_return.with_user(self.qa).write(
            {
                "check_line_ids": [
                    Command.create({"name": item, "result": "nok", "finding": finding})
                ],
                "inspection_result": result,
            }
        )
        vehicle_return.with_user(self.qa).action_inspect()

    def _rework_and_pass(self, vehicle_return):
        """QA inspects ``vehicle_return``, received (a weld defect found),
        manufacturing re-welds the mast and QA passes it: the return's own
        transfer releases the forklift."""
        self._inspect_defect(
            vehicle_return,
            "Mast welds",
            "crack",
            "<p>Weld defect on the mast frame.</p>",
        )
        self._start_rework(
            vehicle_return, [("manufacturing", "Re-weld the mast frame", self.maker)]
        )
        task = vehicle_return.task_ids
        task.with_user(self.maker).result = "Re-welded."
        task.with_user(self.maker).action_done()
        vehicle_return.with_user(self.qa).action_reinspect_pass()

    @classmethod
    def _company_user(cls, login, groups, company, **values):
        """A user of ``groups`` (as ``_group_user`` names them) working in
        ``company`` only."""
        return cls._group_user(
            login,
            groups,
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
            **values,
        )

    @classmethod
    def _new_company_user(cls, name, login, groups):
        """A new company named ``name`` (a branch, a subsidiary) and a user of
        ``groups`` working in it only (``_company_user``)."""
        company = cls.env["res.company"].create({"name": name})
        return company, cls._company_user(login, groups, company)

    @classmethod
    def _user(cls, login, groups, **values):
        """An internal user of ``groups``, with an e-mail address of its own
        for the notifications under test."""
        return cls._group_user(login, groups, email=f"{login}@example.com", **values)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # chatter and notifications are part of the behaviour under test
        cls.env = cls.env(
            context=dict(
                cls.env.context,
                tracking_disable=False,
                mail_create_nolog=False,
                mail_notrack=False,
                mail_create_nosubscribe=False,
                mail_notify_force_send=False,
            )
        )
        cls.forklift_product = cls.env["product.product"].create(
            {
                "name": "CPCD30 Diesel Forklift",
                "is_forklift": True,
                "is_storable": True,
                "tracking": "serial",
            }
        )
        cls.part = cls.env["product.product"].create(
            {
                "name": "Lift cylinder seal kit",
                "is_storable": True,
                "standard_price": 150,
            }
        )
        partner_model = cls.env["res.partner"]
        cls.dealer_a = partner_model.create(
            {
                "name": "Dealer A Machinery",
                "is_company": True,
                "is_forklift_dealer": True,
                "forklift_has_service_staff": True,
                "email": "service@dealer-a.example.com",
            }
        )
        cls.dealer_b = partner_model.create(
            {
                "name": "Dealer B Handling",
                "is_company": True,
                "is_forklift_dealer": True,
                "forklift_has_service_staff": True,
                "email": "service@dealer-b.example.com",
            }
        )
        cls.customer = partner_model.create(
            {
                "name": "Harbour Logistics",
                "is_company": True,
                "email": "equipment@harbour.example.com",
                "forklift_region": "domestic",
            }
        )
        cls.customer_b = partner_model.create(
            {"name": "Steel Works B", "is_company": True, "forklift_region": "local"}
        )

        cls.staff = cls._user("fa_staff", "forklift_aftersales.group_forklift_user")
        cls.director = cls._user(
            "fa_director", "forklift_aftersales.group_forklift_director"
        )
        cls.supervisor = cls._user(
            "fa_supervisor", "forklift_aftersales.group_forklift_user"
        )
        cls.technician = cls._user(
            "fa_technician", "forklift_aftersales.group_forklift_user"
        )
        cls.qa = cls._user("fa_qa", "forklift_aftersales.group_forklift_qa")
        cls.leader = cls._user("fa_leader", "forklift_aftersales.group_forklift_leader")
        cls.dealer_a.forklift_supervisor_id = cls.supervisor
        cls.unit = cls._create_unit("SN-A-0001", acceptance=date(2026, 1, 10))
        cls.unit_b = cls._create_unit(
            "SN-B-0001",
            acceptance=date(2026, 1, 10),
            partner=cls.customer_b,
            dealer=cls.dealer_b,
        )

    @classmethod
    def _create_unit(
        cls,
        serial,
        acceptance=None,
        delivery=None,
        partner=None,
        dealer=None,
        product=None,
        market="domestic",
    ):
        return cls.env["forklift.unit"].create(
            {
                "name": serial,
                "product_id": (product or cls.forklift_product).id,
                "partner_id": (partner or cls.customer).id,
                "dealer_id": (dealer or cls.dealer_a).id,
                "acceptance_date": acceptance,
                "delivery_date": delivery or acceptance,
                "market": market,
            }
        )

    @classmethod
    def _company_unit(cls, serial, company, **vals):
        """A forklift of the customer in ``company``, accepted on 10 January
        2026; ``vals`` adds to it."""
        return cls.env["forklift.unit"].create(
            {
                "name": serial,
                "product_id": cls.forklift_product.id,
                "partner_id": cls.customer.id,
                "acceptance_date": date(2026, 1, 10),
                "company_id": company.id,
                **vals,
            }
        )

    @classmethod
    def _create_case(cls, unit=None, **vals):
        unit = unit or cls.unit
        return cls.env["forklift.feedback"].create(
            {
                "unit_id": unit.id,
                "title": "Mast drops under load",
                "description": "<p>Forks sink under load.</p>",
                "received_date": datetime(2026, 3, 2, 8, 0),
                **vals,
            }
        )

    @classmethod
    def _verified_case(cls, **vals):
        case = cls._create_case(
            **{
                "verification": "<p>Leaking lift cylinder seal.</p>",
                "responsibility": "manufacturing",
                "route": "technician",
                **vals,
            }
        )
        case.action_verify()
        return case

    def _sheet_quote(self, unit, labour_hours=None):
        """A verified sheet of ``unit``, out of warranty, and the quote the
        service center makes for it (with ``labour_hours`` when given):
        (sheet, quote)."""
        case = self._verified_case(unit=unit, responsibility="out_of_warranty")
        if labour_hours:
            case.labour_hours = labour_hours
        action = case.with_user(self.staff).action_create_quote()
        return case, self.env["sale.order"].browse(action["res_id"])

    @classmethod
    def _service_order(cls, case, performer="technician", **vals):
        return cls.env["forklift.service.order"].create(
            {
                "feedback_id": case.id,
                "performer_type": performer,
                "technician_id": cls.technician.id if performer != "dealer" else False,
                "dealer_id": cls.dealer_a.id if performer == "dealer" else False,
                **vals,
            }
        )

    @staticmethod
    def _record_work(order, **vals):
        """The performer arrived an hour after dispatch, worked two hours and
        took a photo of the quality problem (000 §4.1.2)."""
        order.write(
            {
                "arrival_date": order.dispatched_date + timedelta(hours=1),
                "finished_date": order.dispatched_date + timedelta(hours=3),
                "work_done": "<p>Replaced the lift cylinder seal kit.</p>",
                "photo_ids": [ForkliftCommon._photo(order)],
                **vals,
            }
        )

    @staticmethod
    def _check_and_sign(commissioning):
        """The delivery's quality and performance checked, and the customer's
        Li Ming signs the commissioning (R-041)."""
        commissioning.write(
            {
                "quality_ok": True,
                "performance_ok": True,
                "signature": SIGNATURE,
                "signed_by": "Li Ming",
            }
        )

    @classmethod
    def _done_order(cls, case, performer="technician", **work):
        """A service order for ``case``, dispatched to ``performer``, its
        work recorded (``_record_work``, with ``work`` added) and done."""
        order = cls._service_order(case, performer=performer)
        order.action_dispatch()
        cls._record_work(order, **work)
        order.action_done()
        return order

    @classmethod
    def _registered_order(cls, order, signer, opinion=None):
        """``order`` dispatched, then worked and registered
        (``_work_and_register``)."""
        order.action_dispatch()
        return cls._work_and_register(order, signer, opinion)

    @classmethod
    def _work_and_register(cls, order, signer, opinion=None):
        """The dispatched ``order`` worked (``_record_work``), done, signed by
        the customer's ``signer`` and registered by the service center."""
        cls._record_work(order)
        order.action_done()
        order._sign(signer, SIGNATURE, opinion)
        order.action_register()
        return order

    @classmethod
    def _parts_request_vals(cls, case, quantity=1, reason="wear", **line):
        """A technician's application for ``quantity`` seal kits for
        ``case``, worn out (R-093); ``line`` adds to its line."""
        return {
            "feedback_id": case.id,
            "technician_id": cls.technician.id,
            "line_ids": [
                Command.create(
                    {
                        "product_id": cls.part.id,
                        "quantity": quantity,
                        "warranty_reason": reason,
                        **line,
                    }
                )
            ],
        }

    @classmethod
    def _local_purchase(cls, case, unit_price, quantity=2, scan=None, **vals):
        """A technician's urgent local purchase (000 §4.3.2.2) for ``case``:
        ``quantity`` seal kits at ``unit_price`` bought on 2 March 2026 and
        claimed on the 10th, with the seller's invoice ``scan`` (by default a
        new one, of a seller's invoice of its own: one invoice is reimbursed
        once); ``vals`` adds to it."""
        scan = scan or cls.env["ir.attachment"].create(
            {"name": "invoice.pdf", "raw": f"%PDF-1.4 invoice {uuid4()}".encode()}
        )
        # the day of the claim is the server's (when approval is asked):
        # recorded as it would have been on that day
        claim_date = vals.pop("claim_date", date(2026, 3, 10))
        purchase = cls.env["forklift.local.purchase"].create(
            {
                "feedback_id": case.id,
                "technician_id": cls.technician.id,
                "seller": "Xiaogan Hydraulics Shop",
                "explanation": "Line stopped; seals bought on the spot.",
                "purchase_date": date(2026, 3, 2),
                "invoice_attachment_ids": [Command.link(scan.id)],
                "line_ids": [
                    Command.create(
                        {
                            "product_id": cls.part.id,
                            "quantity": quantity,
                            "unit_price": unit_price,
                        }
                    )
                ],
                **vals,
            }
        )
        if claim_date:
            purchase._write_flow({"claim_date": claim_date})
        return purchase

    @classmethod
    def _training_vals(cls, **vals):
        """A training for the customer on 3 March 2026 at 9:00 (004 §4.7);
        ``vals`` adds to it."""
        return {
            "partner_id": cls.customer.id,
            "start_date": datetime(2026, 3, 3, 9, 0),
            **vals,
        }

    @classmethod
    def _sign_consent(cls, case):
        """The customer signs the consent to the paid service on the sheet
        (R-100) before the work starts."""
        case.with_user(cls.staff).write(
            {"paid_ack_signature": SIGNATURE, "paid_ack_signed_by": "Wang Jun"}
        )

    @classmethod
    def _done_paid_order(cls, case, quantity=1):
        """A service order for the paid ``case``, dispatched, the customer's
        consent signed (``_sign_consent``), ``quantity`` seal kits not under
        warranty replaced (``_record_work``) and done."""
        order = cls._service_order(case)
        order.action_dispatch()
        cls._sign_consent(case)
        cls._record_work(
            order, part_ids=[cls._part_line(cls.part, quantity, warranty=False)]
        )
        order.action_done()
        return order

    @classmethod
    def _director_review(cls, order, note="Report checked with the technician."):
        """The director reviews an own technician's registered report
        (004 §4.4 D, R-130): the sheet closes only then."""
        order.with_user(cls.director).write({"director_review_note": note})
        order.with_user(cls.director).action_director_review()

    @staticmethod
    def _photo(order, name="leaking-seal.png"):
        """A photo of the quality problem attached to ``order`` (a PNG)."""
        return Command.create(
            {
                "name": name,
                "datas": SIGNATURE,
                "res_model": order._name,
                "res_id": order.id,
            }
        )

    def _worked_paid_case(self, unit, done=True):
        """A misuse sheet of ``unit``, paid work: the customer consents on
        site before it starts (R-100), two parts not under warranty are
        replaced and 3 hours worked; ``done`` reports the work done."""
        case = self._verified_case(unit=unit, responsibility="misuse")
        order = self._service_order(case)
        order.action_dispatch()
        case.write({"paid_ack_signature": SIGNATURE, "paid_ack_signed_by": "Wang Jun"})
        self._record_work(
            order, part_ids=[self._part_line(self.part, 2, warranty=False)]
        )
        if done:
            order.action_done()
        case.labour_hours = 3
        return case

    @staticmethod
    def _part_line(product, quantity=1.0, warranty=True):
        return Command.create(
            {
                "product_id": product.id,
                "quantity": quantity,
                "failed_serial": "SEAL-0042",
                "damage_description": "Seal lip torn, oil on the cylinder",
                "is_warranty": warranty,
            }
        )

    def _draft_transfer(
        self, user, source, destination, product, quantity, kind="internal", **move
    ):
        """A draft transfer ``user`` creates of ``quantity`` ``product`` from
        ``source`` to ``destination``, of the picking type ``kind`` (internal,
        in or out)."""
        picking_type = self.env.ref(f"stock.picking_type_{kind}")
        return (
            self.env["stock.picking"]
            .with_user(user)
            .create(
                {
                    "picking_type_id": picking_type.id,
                    "location_id": source.id,
                    "location_dest_id": destination.id,
                    "move_ids": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "product_uom_qty": quantity,
                                "location_id": source.id,
                                "location_dest_id": destination.id,
                                **move,
                            }
                        )
                    ],
                }
            )
        )

    @classmethod
    def _hand_made_delivery(cls, request, product, picking_type=None):
        """A delivery of one part for ``request`` prepared by hand, outside the
        request's own release, and confirmed."""
        spare_parts = cls.env.ref("forklift_aftersales.stock_location_spare_parts")
        customers = cls.env.ref("stock.stock_location_customers")
        picking = cls.env["stock.picking"].create(
            {
                "picking_type_id": (
                    picking_type or cls.env.ref("stock.picking_type_out")
                ).id,
                "location_id": spare_parts.id,
                "location_dest_id": customers.id,
                "forklift_parts_request_id": request.id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": 1,
                            "location_id": spare_parts.id,
                            "location_dest_id": customers.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        return picking


class ShippedPartsCommon(ForkliftCommon):
    """Warranty parts in stock (10 seal kits at 260) and the after-sales
    warehouse that ships them; its other locations (old parts, returned
    forklifts), WH/Stock and the customers' location."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.part.lst_price = 260
        cls.warehouse_user = cls._group_user("fa_wh", "group_forklift_warehouse")
        cls.office_director = cls._govern_dealers(
            cls._group_user(
                "fa_office_director_shipped", "group_forklift_office_director"
            )
        )
        cls.spare_parts = cls.env.ref("forklift_aftersales.stock_location_spare_parts")
        cls.env["stock.quant"]._update_available_quantity(cls.part, cls.spare_parts, 10)
        cls.old_parts = cls.env.ref("forklift_aftersales.stock_location_old_parts")
        cls.returned = cls.env.ref(
            "forklift_aftersales.stock_location_returned_vehicles"
        )
        cls.stock = cls.env.ref("stock.stock_location_stock")
        cls.customers = cls.env.ref("stock.stock_location_customers")

    def _own_transfer(
        self, source, destination, product, quantity, kind="internal", **move
    ):
        """The warehouse's own transfer of ``quantity`` ``product`` from
        ``source`` to ``destination``, of the picking type ``kind`` (internal
        or out), confirmed, reserved and picked."""
        picking = self._draft_transfer(
            self.warehouse_user, source, destination, product, quantity, kind, **move
        )
        picking.action_confirm()
        picking.action_assign()
        self.assertEqual(picking.move_ids.quantity, quantity, "reserved in full")
        picking.move_ids.picked = True
        return picking

    @classmethod
    def _applied_request(
        cls, case, applicant="dealer", reason="unqualified", products=None, quantity=2
    ):
        """Dealer A's or the technician's application for ``quantity`` of
        each of ``products`` (the seal kit) for ``case``, sent for approval."""
        vals = {
            "feedback_id": case.id,
            "applicant_type": applicant,
            "line_ids": [
                Command.create(
                    {
                        "product_id": product.id,
                        "quantity": quantity,
                        "warranty_reason": reason,
                    }
                )
                for product in products or cls.part
            ],
        }
        if applicant == "dealer":
            vals["dealer_id"] = cls.dealer_a.id
        else:
            vals["technician_id"] = cls.technician.id
        request = cls.env["forklift.parts.request"].create(vals)
        request.request_validation()
        return request

    def _assert_dealer_application(self, request):
        """``request`` is dealer A's one application, for two seal kits, in
        draft and waiting first for the office director in charge of the
        dealer (R-091, R-196)."""
        self.assertEqual(len(request), 1)
        self.assertEqual(request.applicant_type, "dealer")
        self.assertEqual(request.dealer_id, self.dealer_a)
        self.assertEqual(request.line_ids.product_id, self.part)
        self.assertEqual(request.line_ids.quantity, 2)
        self.assertEqual(request.state, "draft")
        pending = request.review_ids.filtered(lambda r: r.status == "pending")
        self.assertIn(self.office_director, pending.reviewer_ids)

    @classmethod
    def _approve_request(cls, request):
        """The director approves ``request``; a dealer's, once the office
        director in charge of the dealer has confirmed it."""
        if request.applicant_type == "dealer":
            request.with_user(cls.office_director).validate_tier()
        request.with_user(cls.director).validate_tier()

    @classmethod
    def _ship_request(cls, request):
        """The warehouse ships the two parts of the approved ``request``."""
        picking = request.picking_id
        picking.action_assign()
        picking.move_ids.quantity = 2
        picking.with_user(cls.warehouse_user).button_validate()

    def _ship_picking(self, picking, quantity):
        """The warehouse ships ``quantity`` of the part on ``picking``, the
        rest on a backorder."""
        picking.action_assign()
        picking.move_ids.quantity = quantity
        picking.move_ids.picked = True
        picking.with_user(self.warehouse_user).with_context(
            skip_backorder=True
        ).button_validate()
        self.assertEqual(picking.state, "done")

    def _create_return(self, picking, quantity):
        """The return of ``quantity`` of the part ``picking`` moved, created
        by the warehouse with stock's return wizard (not validated)."""
        wizard = (
            self.env["stock.return.picking"]
            .with_user(self.warehouse_user)
            .with_context(active_id=picking.id, active_model="stock.picking")
            .create({})
        )
        wizard.product_return_moves.quantity = quantity
        return self.env["stock.picking"].browse(
            wizard.action_create_returns()["res_id"]
        )

    def _return_to_stock(self, delivery, quantity):
        """The warehouse returns ``quantity`` of the part ``delivery`` shipped
        to stock, with stock's return wizard, and validates the return."""
        returned = self._create_return(delivery, quantity)
        self.assertFalse(returned.forklift_parts_request_id)
        returned.move_ids.quantity = quantity
        returned.move_ids.picked = True
        returned.with_user(self.warehouse_user).button_validate()
        self.assertEqual(returned.state, "done")
        return returned

    def _partly_shipped_request(self, quantity=1):
        """Dealer A's approved request of two seal kits for a verified sheet,
        ``quantity`` of them shipped by the warehouse, the rest on a
        backorder."""
        request = self._applied_request(self._verified_case(route="dealer"))
        self._approve_request(request)
        self._ship_picking(request.picking_id, quantity)
        return request

    @classmethod
    def _shipped_request(cls, applicant="dealer"):
        """Two seal kits (2 x 150) applied for by a dealer or a technician,
        approved by the director and shipped by the warehouse."""
        case = cls._verified_case(
            route="dealer" if applicant == "dealer" else "technician"
        )
        request = cls._applied_request(case, applicant)
        cls._approve_request(request)
        cls._ship_request(request)
        return request

    @classmethod
    def _replaced_note(cls):
        """The old parts owed back for a request shipped and replaced on 2
        March 2026 (their return note)."""
        with freeze_time("2026-03-02"):
            request = cls._shipped_request()
            cls._replace_parts(request)
            return request.oldpart_return_ids

    def _inspect_oldparts(self, note, verdict, explanation=None, qa=None):
        """Records the ``verdict`` on ``note``; the service center, then QA sign."""
        note.verdict = verdict
        if explanation:
            note.explanation = explanation
        note.with_user(self.staff).action_sign_service_center()
        note.with_user(qa or self.qa).action_sign_qa()

    @classmethod
    def _replace_parts(cls, request, quantity=2):
        """The applicant replaces the two seal kits shipped for ``request``
        and reports the work done now: the old parts' 30 days start
        (R-167, A-15)."""
        dealer = request.applicant_type == "dealer"
        order = cls._service_order(
            request.feedback_id, performer="dealer" if dealer else "technician"
        )
        order.action_dispatch()
        order.write(
            {
                "arrival_date": order.dispatched_date,
                "work_done": "<p>Replaced the lift cylinder seal kit.</p>",
                "part_ids": [cls._part_line(cls.part, quantity)],
                "photo_ids": [cls._photo(order)],
            }
        )
        order.action_done()
        return order
