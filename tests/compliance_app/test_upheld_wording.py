"""An upheld keberatan is "dikabulkan" everywhere its outcome is named (the glossary): the dashboard's figure,
the annual report's objection table, the Atasan PPID's answer form and its refusal message; "diterima" stays
"received" only."""

import pytest
from django.utils import translation

from compliance_app.views.dashboard import _metric_label
from ppid_portal.errors import MissingField
from requests_app.services.objections import objection_answer
from requests_app.views.objections import AnswerForm
from tests.compliance_app.compliance_fixtures import compliance_cases  # noqa: F401
from tests.compliance_app.test_annual_report import report_text  # noqa: F401


def test_the_dashboard_figure_says_dikabulkan():
    with translation.override("id"):
        assert _metric_label("objections_upheld") == "Keberatan dikabulkan"
        assert _metric_label("objections") == "Keberatan diajukan"
    with translation.override("en"):
        assert _metric_label("objections_upheld") == "Objection upheld"


def test_the_annual_report_heads_the_upheld_column_dikabulkan(report_text):  # noqa: F811
    assert "Keberatan Dikabulkan Ditolak" in report_text
    assert "Diterima (dikabulkan)" not in report_text


def test_the_answer_form_and_its_refusal_say_dikabulkan():
    with translation.override("id"):
        assert str(AnswerForm().fields["answer"].help_text).startswith("Bila dikabulkan:")
    with translation.override("en"):
        assert str(AnswerForm().fields["answer"].help_text).startswith("If upheld:")


@pytest.mark.django_db
def test_the_missing_answer_message_says_dikabulkan(compliance_cases, admin_utama):  # noqa: F811
    from requests_app.models import Objection, ObjectionStatus

    objection = Objection.objects.filter(status=ObjectionStatus.FILED).first()
    assert objection is not None
    with translation.override("id"), pytest.raises(MissingField) as refused:
        objection_answer(objection=objection, actor=admin_utama, outcome="upheld", answer=" ")
    assert "bila dikabulkan" in refused.value.message and "diterima" not in refused.value.message
