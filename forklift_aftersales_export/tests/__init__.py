from . import test_export_install
from . import test_export_flow
from . import test_flow_approvals_export
from . import test_requirements_export
from . import test_export_duties
from . import test_export_papers
from . import test_export_ship_items
