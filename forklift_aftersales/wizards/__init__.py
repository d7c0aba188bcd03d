from . import forklift_wizard_mixin
from . import forklift_oldpart_receive_wizard
from . import forklift_assistance_request
from . import forklift_parts_delivery_wizard
from . import forklift_feedback_supplier_correction
from . import mail_compose_message
from . import stock_return_picking
