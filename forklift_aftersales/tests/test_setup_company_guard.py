from datetime import date

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ForkliftCommon


@tagged("post_install", "-at_install")
class TestSetupOfOneCompany(ForkliftCommon):
    """The setup a company gives its procedure stays that company's: the
    director of another company of the group reads, changes, removes and adds
    none of its response commitments (R-172–R-174, R-025), make-up working
    days (R-288), duties of departments (R-050, A-07), document codes (R-136)
    or report lists (R-255, R-256); the export division's company is kept
    apart so (R-047)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_a = cls.env.company
        cls.director_b = cls._company_user(
            "setup_director_b",
            "group_forklift_director",
            cls.env["res.company"].create({"name": "Setup Branch B"}),
        )
        ref = cls.env.ref
        # model -> (a record of company A, values an edit writes; the record
        # with them is a new one of company A)
        cls.setup_a = {
            "forklift.sla.policy": (
                ref("forklift_aftersales.sla_policy_local"),
                {"onsite_hours": 500},
            ),
            "forklift.makeup.workday": (
                cls.env["forklift.makeup.workday"].create(
                    {"name": "Spring Festival", "date": date(2026, 2, 14)}
                ),
                {"date": date(2026, 3, 7)},
            ),
            "forklift.duty.assignment": (
                cls.env["forklift.duty.assignment"].create(
                    {
                        "duty": "tracing",
                        "market": "domestic",
                        "group_id": ref("forklift_aftersales.group_forklift_qa").id,
                        "company_id": company_a.id,
                    }
                ),
                {"duty": "claims"},
            ),
            "forklift.document.code": (
                cls.env["forklift.document.code"].create(
                    {
                        "key": "service_order",
                        "name": "Service Order",
                        "code": "MC·JL-05-XS",
                        "company_id": company_a.id,
                    }
                ),
                {"key": "departure_permit", "code": "FORGED"},
            ),
            "forklift.report.recipient": (
                cls.env["forklift.report.recipient"].create(
                    {
                        "name": "Daily summary of A",
                        "report_type": "daily",
                        "market": "domestic",
                        "company_id": company_a.id,
                    }
                ),
                {"active": False},
            ),
        }

    def test_other_company_director_does_not_touch_this_setup(self):
        for model, (record, values) in self.setup_a.items():
            before = record.read(list(values))
            new = {**record.copy_data()[0], **values}
            theirs = record.with_user(self.director_b)
            attacks = {
                "read": lambda r=theirs: r.read(["display_name"]),
                "write": lambda r=theirs, v=values: r.write(v),
                "unlink": lambda r=theirs: r.unlink(),
                "create": lambda m=model, v=new: (
                    self.env[m].with_user(self.director_b).create(v)
                ),
            }
            self._assert_attacks_refused(attacks, model=model)
            self.assertEqual(record.read(list(values)), before, model)
            # his own company's lines (the response commitments it was
            # given when created) are his; none of company A's
            self.assertFalse(
                self.env[model]
                .with_user(self.director_b)
                .search(
                    [
                        ("company_id", "!=", False),
                        ("company_id", "not in", self.director_b.company_ids.ids),
                    ]
                ),
                model,
            )


@tagged("post_install", "-at_install")
class TestSharedSetup(ForkliftCommon):
    """The setup shared by every company (a line left without a company, and
    the fault categories, training topics and committee seats, which have
    none) sets how each company works: its response deadlines, its make-up
    days and public holidays (of a schedule of no company), who holds a duty,
    the codes it prints, whom its reports go to. The
    director of one company changes his company's lines only; a shared line
    is created, changed, deleted or made so only by a director of every
    company, or the administrator (R-044, R-288, R-172–R-174, R-050, R-136,
    R-255, R-256). Nor does he change the approval tiers (R-193–R-201)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Shared Setup B"})
        cls.director_b = cls._company_user(
            "shared_director_b", "group_forklift_director", cls.company_b
        )
        cls.director_ab = cls._group_user(
            "shared_director_ab",
            "group_forklift_director",
            company_id=company_a.id,
            company_ids=[Command.set((company_a | cls.company_b).ids)],
        )
        shared_calendar = cls.env["resource.calendar"].create(
            {"name": "Shared schedule", "company_id": False}
        )
        own_calendar = cls.env["resource.calendar"].create(
            {"name": "Schedule of B", "company_id": cls.company_b.id}
        )
        committee = cls.env.ref("forklift_aftersales.group_forklift_committee")
        position = cls.env["res.groups"].create(
            {
                "name": "Shared seat position",
                "implied_ids": [Command.link(committee.id)],
            }
        )
        # model -> (values of a shared line, values of company B's line,
        # values an edit writes, values that make a line shared)
        cls.shared = {
            "forklift.sla.policy": (
                {"name": "Group-wide", "answer_hours": 4, "company_id": False},
                {"name": "B", "answer_hours": 4, "company_id": cls.company_b.id},
                {"answer_hours": 500},
                {"company_id": False},
            ),
            "forklift.makeup.workday": (
                {
                    "name": "Shared make-up day",
                    "date": date(2026, 2, 14),
                    "calendar_id": shared_calendar.id,
                },
                {
                    "name": "Make-up day of B",
                    "date": date(2026, 2, 15),
                    "calendar_id": own_calendar.id,
                },
                {"date": date(2026, 3, 7)},
                {"calendar_id": shared_calendar.id},
            ),
            "forklift.duty.assignment": (
                None,  # the shipped line, which every company shares
                {
                    "duty": "tracing",
                    "market": "domestic",
                    "group_id": cls.env.ref("forklift_aftersales.group_forklift_qa").id,
                    "company_id": cls.company_b.id,
                },
                {"group_id": cls.env.ref("forklift_aftersales.group_forklift_rnd").id},
                {"company_id": False},
            ),
            "forklift.document.code": (
                {
                    "key": "shared_form",
                    "name": "Shared form",
                    "code": "MC·JL-99-XS",
                    "company_id": False,
                },
                {
                    "key": "shared_form",
                    "name": "Form of B",
                    "code": "B-99",
                    "company_id": cls.company_b.id,
                },
                {"code": "FORGED"},
                {"company_id": False},
            ),
            "forklift.report.recipient": (
                {
                    "name": "Group daily summary",
                    "report_type": "daily",
                    "market": "domestic",
                    "company_id": False,
                },
                {
                    "name": "Daily summary of B",
                    "report_type": "daily",
                    "market": "domestic",
                    "company_id": cls.company_b.id,
                },
                {"active": False},
                {"company_id": False},
            ),
            "resource.calendar.leaves": (
                {
                    "name": "Shared public holiday",
                    "calendar_id": shared_calendar.id,
                    "date_from": "2026-10-01 00:00:00",
                    "date_to": "2026-10-01 23:59:59",
                },
                {
                    "name": "Public holiday of B",
                    "calendar_id": own_calendar.id,
                    "date_from": "2026-10-02 00:00:00",
                    "date_to": "2026-10-02 23:59:59",
                },
                {"date_to": "2026-10-08 23:59:59"},
                {"calendar_id": shared_calendar.id},
            ),
            "forklift.fault.category": (
                {"name": "Shared category"},
                None,
                {"name": "Renamed by B"},
                None,
            ),
            "forklift.training.topic": (
                {"name": "Shared topic"},
                None,
                {"name": "Renamed by B"},
                None,
            ),
            "forklift.committee.seat": (
                {"name": "Shared seat", "position_group_id": position.id},
                None,
                {"name": "Renamed by B"},
                None,
            ),
        }
        cls.records = {
            model: cls.env[model].create(shared_vals)
            for model, (shared_vals, *_rest) in cls.shared.items()
            if shared_vals
        }
        # a time off is of the company of its schedule, or of the user who
        # adds it: the public holiday B's director added to the shared
        # schedule is still every company's
        cls.records["resource.calendar.leaves"].company_id = cls.company_b
        cls.records["forklift.duty.assignment"] = cls.env[
            "forklift.duty.assignment"
        ].search(
            [
                ("duty", "=", "tracing"),
                ("market", "=", "domestic"),
                ("company_id", "=", False),
            ]
        )
        cls.shared["forklift.duty.assignment"] = (
            cls.records["forklift.duty.assignment"].copy_data()[0],
            *cls.shared["forklift.duty.assignment"][1:],
        )

    def test_one_companys_director_does_not_change_the_shared_setup(self):
        for model, (shared_vals, own_vals, edit, make_shared) in self.shared.items():
            record = self.records[model]
            before = record.read(list(edit))
            theirs = record.with_user(self.director_b)
            Model = self.env[model].with_user(self.director_b)
            new_vals = {**shared_vals, **edit}
            if model == "forklift.committee.seat":
                new_vals["position_group_id"] = (
                    self.env["res.groups"]
                    .create(
                        {
                            "name": "Another seat position",
                            "implied_ids": [
                                Command.link(
                                    self.env.ref(
                                        "forklift_aftersales.group_forklift_committee"
                                    ).id
                                )
                            ],
                        }
                    )
                    .id
                )
            attacks = {
                "write": lambda r=theirs, v=edit: r.write(v),
                "unlink": lambda r=theirs: r.unlink(),
                # the shared line is removed first (by the superuser), lest a
                # constraint on the copy speak instead
                "create": lambda r=record, m=Model, v=new_vals: (
                    r.unlink() and m.create(v)
                ),
            }
            if own_vals:
                own = self.env[model].create(own_vals).with_user(self.director_b)
                own.write(edit)  # his company's line stays his
                attacks["make shared"] = lambda r=own, v=make_shared: r.write(v)
            self._assert_attacks_refused(attacks, flushed=theirs, model=model)
            self.assertEqual(record.read(list(edit)), before, model)
            theirs.read(["display_name"])  # he still reads and uses it

    def test_a_director_of_every_company_or_the_administrator_changes_it(self):
        admin = self._company_user(
            "shared_admin", "group_forklift_director,base.group_system", self.company_b
        )
        for model, (_shared_vals, _own, edit, _make_shared) in self.shared.items():
            for user in (self.director_ab, admin):
                with self.subTest(model=model, user=user.login):
                    self.records[model].with_user(user).write(edit)
                    self.records[model].with_user(user).flush_model()

    def test_one_companys_director_does_not_change_the_approval_tiers(self):
        """R-193–R-201: the approval bands of a company (and the shared ones)
        are not lowered by another company's director."""
        tiers = self.env["tier.definition"].search([], limit=2)
        self.assertTrue(tiers, "the shipped approval tiers load")
        tiers[0].company_id = self.env.company
        if len(tiers) > 1:
            tiers[1].company_id = False
        for tier in tiers:
            before = tier.read(["definition_domain", "review_type"])
            theirs = tier.with_user(self.director_b)
            attacks = {
                "write": lambda r=theirs: r.write({"definition_domain": "[]"}),
                "unlink": lambda r=theirs: r.unlink(),
                "create": lambda r=tier: (
                    self.env["tier.definition"]
                    .with_user(self.director_b)
                    .create({**r.copy_data()[0], "company_id": False})
                ),
            }
            self._assert_attacks_refused(attacks, flushed=theirs, tier=tier.name)
            self.assertEqual(tier.read(["definition_domain", "review_type"]), before)


@tagged("post_install", "-at_install")
class TestDutyNotToTheServiceCenter(ForkliftCommon):
    """The duties of departments are held outside the service center: its
    director gives none of them (QA's tracing of who is at fault, the supplier
    included, its claims and its assessment of the service center, R-049) to
    his own staff, who would judge their own work, as the committee seats
    refuse a position outside the committee (R-248)."""

    def test_director_does_not_hand_a_duty_to_his_own_staff(self):
        own = [
            self.env.ref(f"forklift_aftersales.group_forklift_{group}")
            for group in ("user", "director")
        ]
        duties = self.env["forklift.duty.assignment"].search([])
        self.assertTrue(duties, "the shipped duties load")
        for line in duties.with_user(self.director):
            department = line.group_id
            for group in own:
                with (
                    self.subTest(duty=line.duty, market=line.market, group=group.name),
                    self.assertRaisesRegex(ValidationError, "service center's staff"),
                    self.cr.savepoint(),
                ):
                    line.group_id = group
                    line.flush_recordset()
            self.assertEqual(line.group_id, department)
        with self.assertRaisesRegex(ValidationError, "service center's staff"):
            self.env["forklift.duty.assignment"].with_user(self.director).create(
                {
                    "duty": "assessment",
                    "market": "domestic",
                    "group_id": own[0].id,
                    "company_id": self.env.company.id,
                }
            )


@tagged("post_install", "-at_install")
class TestResponseCommitmentsOfANewCompany(ForkliftCommon):
    """R-172–R-176 (000 第四篇 §8, 004 §4.1–4.2): the response commitments
    the module ships are the first company's own (its director adjusts
    them). A company created afterwards (a branch, an overseas subsidiary)
    starts with its own copy of them: its sheets get their answer and on-site
    deadlines and are flagged overdue as the first company's, instead of
    having no deadline and never being late."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.south, cls.south_director = cls._new_company_user(
            "Forklift South", "nc_director", "group_forklift_director"
        )
        cls.south_unit = cls._company_unit("SN-S-0001", cls.south)

    def test_a_new_companys_sheet_has_deadlines_and_is_late(self):
        """A sheet of the new company, reported as one of the first company,
        has the same answer and on-site deadlines, is flagged overdue when
        nobody answered, and the overdue search finds it."""
        first = self._verified_case(severity="emergency")
        south = self._verified_case(
            unit=self.south_unit, company_id=self.south.id, severity="emergency"
        )
        self.assertEqual(south.company_id, self.south)
        self.assertTrue(first.answer_deadline)
        self.assertEqual(south.answer_deadline, first.answer_deadline)
        self.assertEqual(south.onsite_deadline, first.onsite_deadline)
        self.assertEqual(south.sla_policy_id.company_id, self.south)
        self.assertTrue(south.is_sla_overdue)
        self.assertIn(
            south,
            self.env["forklift.feedback"].search([("is_sla_overdue", "=", True)]),
        )

    def test_the_new_companys_commitments_are_its_own(self):
        """The new company's director changes his company's commitments, not
        the first company's, nor theirs his."""
        south_policy = self.env["forklift.sla.policy"].search(
            [("company_id", "=", self.south.id), ("severity", "=", "emergency")],
            limit=1,
        )
        first_policy = self.env.ref(
            "forklift_aftersales.sla_policy_emergency_in_warranty"
        )
        self.assertEqual(first_policy.company_id, self.env.company)
        self.assertTrue(south_policy)
        south_policy.with_user(self.south_director).answer_hours = 3
        self.assertEqual(first_policy.answer_hours, 1)
        self._assert_attacks_refused(
            {
                "write": lambda: first_policy.with_user(self.south_director).write(
                    {"answer_hours": 300}
                )
            }
        )

    def test_a_company_without_commitments_gets_them_at_the_upgrade(self):
        """A company created before the module gave new companies their
        commitments gets them when the module is updated; one that has its
        own keeps them and gets no second set."""
        Policy = self.env["forklift.sla.policy"]
        Policy.search([("company_id", "=", self.south.id)]).unlink()
        own = Policy.search_count([("company_id", "=", self.env.company.id)])
        self.env["res.company"]._forklift_provide_sla_policies_to_all()
        self.assertTrue(
            Policy.search_count(
                [("company_id", "=", self.south.id), ("severity", "=", "emergency")]
            )
        )
        south_count = Policy.search_count([("company_id", "=", self.south.id)])
        self.env["res.company"]._forklift_provide_sla_policies_to_all()
        self.assertEqual(
            Policy.search_count([("company_id", "=", self.south.id)]), south_count
        )
        self.assertEqual(
            Policy.search_count([("company_id", "=", self.env.company.id)]), own
        )
