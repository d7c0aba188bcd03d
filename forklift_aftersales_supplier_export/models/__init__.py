from . import forklift_supplier_letter
