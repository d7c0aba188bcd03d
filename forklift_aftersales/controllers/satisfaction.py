from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from odoo.tools import consteq

from .portal import ForkliftPortal

RATING_FIELDS = ("rating", "rating_result", "rating_timeliness", "rating_attitude")


class ForkliftSatisfactionPortal(ForkliftPortal):
    """The satisfaction survey mailed to the customer (001-B L151–153): the
    link carries the survey's access token, the only key to its page
    (``_forklift_survey_check``); a wrong or missing token gets a 404."""

    def _forklift_survey_page(self, survey_sudo, access_token, error=None, status=200):
        lang = survey_sudo.partner_id.lang
        if lang and request.env["res.lang"]._lang_get(lang):
            request.update_context(lang=lang)
        survey_sudo = survey_sudo.with_context(lang=request.env.lang)
        ratings = survey_sudo._fields["rating"]._description_selection(survey_sudo.env)
        return request.render(
            "forklift_aftersales.satisfaction_survey_page",
            {
                "survey": survey_sudo,
                "access_token": access_token,
                "ratings": ratings,
                "open_for_answers": survey_sudo._is_open_for_answers(),
                "error": error,
            },
            status=status,
        )

    def _forklift_survey_check(self, survey_id, access_token):
        """The survey, in sudo, for the token of its own link only: the
        customer answers from the link mailed to him. Reading surveys in the
        back end is no key to it (``_document_check_access`` would let a
        reader in without the token): staff record an answer given by phone
        there, in their own name (``action_record_phone_answer``)."""
        survey_sudo = self._forklift_check_access(
            "forklift.satisfaction.survey", survey_id, access_token
        )
        if not (
            survey_sudo
            and access_token
            and survey_sudo.access_token
            and consteq(survey_sudo.access_token, access_token)
        ):
            return None
        return survey_sudo

    @http.route(
        ["/forklift/satisfaction/<int:survey_id>"],
        type="http",
        auth="public",
        methods=["GET"],
    )
    def forklift_satisfaction_survey(self, survey_id, access_token=None, **kw):
        survey_sudo = self._forklift_survey_check(survey_id, access_token)
        if not survey_sudo:
            return request.not_found()
        return self._forklift_survey_page(survey_sudo, access_token)

    @http.route(
        ["/forklift/satisfaction/<int:survey_id>/answer"],
        type="http",
        auth="public",
        methods=["POST"],
    )
    def forklift_satisfaction_answer(self, survey_id, access_token=None, **post):
        survey_sudo = self._forklift_survey_check(survey_id, access_token)
        if not survey_sudo:
            return request.not_found()
        answers = {field: post.get(field) for field in RATING_FIELDS}
        answers["comment"] = post.get("comment")
        try:
            # all or nothing: a refused answer leaves the survey as it was
            with request.env.cr.savepoint():
                # sudo is safe: the access token of this very survey was
                # checked; the answer step is the only writer of the answer
                survey_sudo._record_answer(answers, channel="link")
        except (UserError, ValidationError) as error:
            return self._forklift_survey_page(
                survey_sudo, access_token, error=str(error), status=400
            )
        return self._forklift_survey_page(survey_sudo, access_token)
