from . import test_export_install
from . import test_export_flow
