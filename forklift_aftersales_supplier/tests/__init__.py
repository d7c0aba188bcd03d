from . import test_supplier_install
