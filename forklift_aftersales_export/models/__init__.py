from . import forklift_feedback
from . import forklift_service_order
from . import forklift_parts_request
from . import stock_picking
from . import forklift_vehicle_return
from . import ir_actions_report
from . import forklift_abnormal_issue
from . import forklift_warning_rule
