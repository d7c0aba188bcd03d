from . import res_partner
from . import forklift_supplier_letter
from . import forklift_service_order
from . import forklift_quality_claim
from . import forklift_quality_claim_line
from . import forklift_responsibility_trace
from . import forklift_timeliness_assessment
from . import forklift_case
