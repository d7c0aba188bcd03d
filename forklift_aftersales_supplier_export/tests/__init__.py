from . import test_export_sheet_confirmation
