from . import test_supplier_install
from . import test_rush_purchase
from . import test_supplier_letter
from . import test_supplier_portal
from . import test_quality_claim
from . import test_responsibility_trace
from . import test_timeliness
from . import test_tour
