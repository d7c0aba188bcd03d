from . import test_export_install
