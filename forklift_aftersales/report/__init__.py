from . import forklift_aftersales_report_xlsx
