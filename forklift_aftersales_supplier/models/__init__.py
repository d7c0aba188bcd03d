from . import forklift_parts_request
from . import purchase_order
