from . import test_forklift_unit
from . import test_forklift_case
from . import test_forklift_service_order
from . import test_access
from . import test_portal
from . import test_tour
from . import test_parts_request
from . import test_oldpart_return
