from odoo import models


class ForkliftTrainingTopic(models.Model):
    """What a training covers: operation, daily maintenance, periodic
    maintenance, repair, or a technical lecture (000 第四篇 §2; 004 §4.7)."""

    _name = "forklift.training.topic"
    _inherit = ["forklift.shared.setup.line.mixin"]
    _description = "Forklift Training Topic"
    _order = "sequence, id"
