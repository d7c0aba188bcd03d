from . import test_export_sheet_confirmation
from . import test_access_matrix_supplier_export
from . import test_vp_claim_visibility
