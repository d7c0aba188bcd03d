from . import forklift_assistance_request
