from odoo import api, models
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)


def merge_depends(*depends):
    """One ``_depends`` of several: the fields of each model, each once."""
    merged = {}
    for each in depends:
        for model, names in each.items():
            fields_of_model = merged.setdefault(model, [])
            fields_of_model.extend(n for n in names if n not in fields_of_model)
    return merged


class ForkliftStatisticsMixin(models.AbstractModel):
    """What the statistics models (read-only SQL views, ``_auto = False``)
    share: their rows are the query of :meth:`_query`, and every grouped read
    of them first tunes the transaction for such queries
    (:meth:`_tune_session`)."""

    _name = "forklift.statistics.mixin"
    _description = "Forklift Statistics"
    _inherit = ["forklift.copy.refused.mixin"]
    _copy_refused_message = _lt(
        "Statistics are computed from the after-sales records: a row is not duplicated."
    )
    # Memory PostgreSQL may use per hash or sort of the model's queries, at
    # least; None leaves the server's setting.
    _work_mem = None

    @property
    def _table_query(self):
        return self._query()

    @api.model
    def _query(self):
        """The rows of the view (an ``SQL``)."""
        raise NotImplementedError

    @api.model
    def _read_group(self, *args, **kwargs):
        self._tune_session()
        return super()._read_group(*args, **kwargs)

    @api.model
    def _read_grouping_sets(self, *args, **kwargs):
        self._tune_session()
        return super()._read_grouping_sets(*args, **kwargs)

    @api.model
    def _tune_session(self):
        """For the rest of the transaction: no JIT compilation of the
        queries (the planner's cost estimate of a year of sheets or part lines
        exceeds ``jit_above_cost``, and compiling then takes longer than the
        query itself, hundreds of milliseconds), and, with :attr:`_work_mem`,
        enough memory for PostgreSQL to hash the groups of several grouping
        sets in one pass rather than sort the rows once per set."""
        self.env.cr.execute("SET LOCAL jit = off")
        if self._work_mem:
            self.env.cr.execute(
                SQL(
                    """SELECT set_config('work_mem', %s, true)
                        WHERE pg_size_bytes(current_setting('work_mem'))
                              < pg_size_bytes(%s)""",
                    self._work_mem,
                    self._work_mem,
                )
            )
