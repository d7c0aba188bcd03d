from . import test_supplier_install
from . import test_rush_purchase
