from odoo import models  # noqa: F401

# Fields of the after-sales documents that portal users do not read over RPC.
