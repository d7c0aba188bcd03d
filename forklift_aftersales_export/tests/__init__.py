from . import test_export_install
from . import test_export_flow
from . import test_flow_approvals_export
from . import test_requirements_export
