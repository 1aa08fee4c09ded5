from compact.core.richtext import markdown_to_html


def test_script_is_shown_as_text_not_run():
    html = markdown_to_html('<script>alert("x")</script> **bold**')
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert "<strong>bold</strong>" in html


def test_javascript_links_are_dropped():
    html = markdown_to_html("[click](javascript:alert(1))")
    assert 'href="javascript' not in html.lower()
    assert "<a " not in html


def test_links_get_safe_rel_and_govuk_class():
    html = markdown_to_html("[NHS](https://www.nhs.uk)")
    assert 'class="govuk-link"' in html
    assert "noopener" in html
