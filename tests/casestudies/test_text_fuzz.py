"""Any text either saves cleanly (stripped, within its limit) or is refused with a
ValidationError keyed by the field, never any other exception."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compact.casestudies import services
from compact.casestudies.models import QUOTE_MAX, SECTION_MAX, SUMMARY_MAX, TITLE_MAX, CaseStudy

pytestmark = pytest.mark.django_db

any_text = st.one_of(
    st.text(max_size=50),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=0, max_size=200),
    st.sampled_from(["", "   ", "\x00", "a\u2028b", "\x1b[31m", "x" * (TITLE_MAX + 1), "🙂" * TITLE_MAX]),
)
FIELDS = {"title": TITLE_MAX, "summary": SUMMARY_MAX, "challenge": SECTION_MAX, "impact": SECTION_MAX}
HYPOTHESIS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@HYPOTHESIS
@given(title=any_text, summary=any_text, challenge=any_text, impact=any_text)
def test_create_saves_cleanly_or_refuses_with_a_field_key(partnership, cast, title, summary, challenge, impact):
    values = {"title": title, "summary": summary, "challenge": challenge, "impact": impact}
    try:
        cs = services.case_study_create(partnership=partnership, actor=cast["member"], **values)
    except ValidationError as error:
        assert set(error.message_dict) <= set(FIELDS), error.message_dict
        return
    cs = CaseStudy.objects.get(pk=cs.pk)
    for name, limit in FIELDS.items():
        saved = getattr(cs, name)
        assert saved == saved.strip() and len(saved) <= limit
        assert "\x00" not in saved
    assert cs.title and "\n" not in cs.title


@HYPOTHESIS
@given(text=any_text, attribution=any_text)
def test_quotes_save_cleanly_or_refuse_with_a_field_key(case_study, cast, text, attribution):
    try:
        quote = services.quote_add(case_study=case_study, actor=cast["author"], text=text, attribution=attribution)
    except ValidationError as error:
        assert set(error.message_dict) <= {"text", "attribution"}, error.message_dict
        return
    assert 0 < len(quote.text) <= QUOTE_MAX and quote.text == quote.text.strip()


@HYPOTHESIS
@given(name=any_text)
def test_people_and_plus_groups_save_cleanly_or_refuse(partnership, case_study, cast, name):
    try:
        services.person_add(case_study=case_study, actor=cast["author"], name=name)
    except ValidationError as error:
        assert set(error.message_dict) <= {"name"}, error.message_dict
    try:
        services.plus_group_create(partnership=partnership, actor=cast["convenor"], name=name)
    except ValidationError as error:
        assert set(error.message_dict) <= {"name", "description"}, error.message_dict


def test_limits_from_the_issue():
    assert (TITLE_MAX, SUMMARY_MAX, SECTION_MAX, QUOTE_MAX) == (150, 600, 6000, 1000)
