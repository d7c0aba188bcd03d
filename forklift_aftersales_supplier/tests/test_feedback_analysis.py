from odoo.tests import tagged

from .common import SupplierCommon


@tagged("post_install", "-at_install")
class TestSupplierInStatistics(SupplierCommon):
    """The statistics split supplier-caused failures by the supplier the
    sheet names, even before any part is replaced (000 §4.1.4)."""

    def test_statistics_name_the_supplier_of_the_sheet(self):
        case = self._supplier_case(supplier=self.supplier_b)
        other = self._create_case(title="Not a supplier failure")
        self.env.flush_all()
        rows = self.env["forklift.feedback.analysis"].search(
            [("feedback_id", "in", (case | other).ids)]
        )
        by_case = {row.feedback_id: row for row in rows}
        self.assertEqual(by_case[case].supplier_id, self.supplier_b)
        self.assertFalse(by_case[other].supplier_id)
        groups = self.env["forklift.feedback.analysis"]._read_group(
            [("feedback_id", "in", (case | other).ids), ("supplier_id", "!=", False)],
            ["supplier_id"],
            ["__count"],
        )
        self.assertEqual(groups, [(self.supplier_b, 1)])
