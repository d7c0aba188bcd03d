from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestExportInstall(TransactionCase):
    def test_export_sheets_have_their_own_numbering(self):
        """R-269 (000-I L103): export sheets are numbered apart from domestic
        ones."""
        feedback_model = self.env["forklift.feedback"]
        export = feedback_model.create({"market": "export", "title": "Overseas call"})
        domestic = feedback_model.create(
            {"market": "domestic", "title": "Domestic call"}
        )
        self.assertTrue(export.name.startswith("FB-E2"), export.name)
        self.assertTrue(domestic.name.startswith("FB-D"), domestic.name)
