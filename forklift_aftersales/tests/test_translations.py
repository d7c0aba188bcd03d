import html

import polib

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged

from .common import ForkliftCommon

ADDONS = (
    "forklift_aftersales",
    "forklift_aftersales_supplier",
    "forklift_aftersales_export",
    "forklift_aftersales_supplier_export",
)


@tagged("post_install", "-at_install")
class TestTranslationsComplete(TransactionCase):
    """Every term of the addons has its Simplified Chinese (the users
    work in Chinese; REQUIREMENTS: zh_CN for every screen)."""

    def test_every_term_has_its_zh_cn_translation(self):
        for addon in ADDONS:
            path = get_module_path(addon)
            if not path:
                continue
            template = polib.pofile(f"{path}/i18n/{addon}.pot")
            chinese = polib.pofile(f"{path}/i18n/zh_CN.po")
            translated = {
                entry.msgid for entry in chinese if entry.msgstr and not entry.obsolete
            }
            missing = [
                entry.msgid[:60]
                for entry in template
                if entry.msgid and entry.msgid not in translated
            ]
            self.assertFalse(
                missing, f"{addon}: terms without a zh_CN translation: {missing}"
            )


@tagged("post_install", "-at_install")
class TestTierValidationInChinese(ForkliftCommon):
    """The approval banner and buttons of the reused OCA tier validation read
    Chinese for a user working in Chinese, and the banner names every
    reviewer waited for."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["base_tier_validation", "forklift_aftersales"], ["zh_CN"]
        )

    def test_banner_and_buttons_in_chinese(self):
        case = self._verified_case()
        request = self.env["forklift.parts.request"].create(
            self._parts_request_vals(case, 1, "wear")
        )
        request.request_validation()
        chinese = request.with_context(lang="zh_CN")
        chinese.invalidate_recordset(["to_validate_message"])
        self.assertIn("待", chinese.to_validate_message)
        self.assertNotIn("Pending validation", chinese.to_validate_message)
        arch = (
            self.env["forklift.parts.request"]
            .with_context(lang="zh_CN")
            .get_view(view_type="form")["arch"]
        )
        if isinstance(arch, bytes):
            arch = arch.decode()
        arch = html.unescape(arch)
        for label in ("提交审批", "重新审批", "审批通过", "驳回"):
            self.assertIn(label, arch)
        self.assertNotIn("Restart Validation", arch)
