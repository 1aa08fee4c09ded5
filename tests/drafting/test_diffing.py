"""Word-level diffs: what a reader sees (and hears) when text changes, HTML that stays escaped,
and block-by-block comparison of two document snapshots."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from compact.drafting import diffing
from compact.drafting.diffing import (
    DELETE,
    EQUAL,
    INSERT,
    change_counts,
    diff_snapshots,
    has_changes,
    inline_html,
    side_by_side_html,
    summary,
    word_diff,
)

PROPERTY = settings(max_examples=100, deadline=None)
DELETED = '<del class="compact-diff__del"><span class="govuk-visually-hidden">deleted: </span>'
END_DELETED = '<span class="govuk-visually-hidden"> end of deletion</span></del>'
INSERTED = '<ins class="compact-diff__ins"><span class="govuk-visually-hidden">inserted: </span>'
END_INSERTED = '<span class="govuk-visually-hidden"> end of insertion</span></ins>'


def old_text(ops):
    return "".join(text for op, text in ops if op != INSERT)


def new_text(ops):
    return "".join(text for op, text in ops if op != DELETE)


# --- word_diff ------------------------------------------------------------------------------


def test_a_changed_number_is_the_only_change():
    ops = word_diff("We will pay within 30 days.", "We will pay within 14 days.")
    assert ops == [(EQUAL, "We will pay within "), (DELETE, "30"), (INSERT, "14"), (EQUAL, " days.")]
    assert change_counts(ops) == (1, 1)


def test_words_are_never_split():
    """Letter-level cleanup would show "agree" + inserted "ment"; readers see whole words."""
    assert word_diff("We agree.", "We agreement.") == [
        (EQUAL, "We "),
        (DELETE, "agree"),
        (INSERT, "agreement"),
        (EQUAL, "."),
    ]
    assert word_diff("30 days", "300 days") == [(DELETE, "30"), (INSERT, "300"), (EQUAL, " days")]


def test_neighbouring_changed_words_read_as_one_change():
    ops = word_diff("the quick brown fox", "a slow red fox")
    assert ops == [(DELETE, "the quick brown"), (INSERT, "a slow red"), (EQUAL, " fox")]
    assert change_counts(ops) == (3, 3)


def test_equal_and_empty_texts():
    assert word_diff("Same text.", "Same text.") == [(EQUAL, "Same text.")]
    assert word_diff("", "") == []
    assert word_diff("", "New words") == [(INSERT, "New words")]
    assert word_diff("Old words", "") == [(DELETE, "Old words")]
    assert not has_changes(word_diff("Same", "Same"))
    assert has_changes(word_diff("Same", "Different"))


def test_change_counts_count_words_not_punctuation():
    ops = word_diff("We will meet.", "We will meet, every quarter, in public!")
    assert change_counts(ops) == (4, 0)  # every, quarter, in, public


def test_running_out_of_token_codes_falls_back_to_letters(monkeypatch):
    monkeypatch.setattr(diffing, "_MAX_CODE", 5)
    ops = word_diff("one two three four", "one two five six")
    assert (old_text(ops), new_text(ops)) == ("one two three four", "one two five six")


words = st.sampled_from(["we", "will", "pay", "30", "14", "days", "partners", "ﬁnance", "é", "😀", "\u0301", "_"])
separators = st.sampled_from([" ", "  ", "\n", "\r\n", "\t", ".", ", ", "<", "&", "\x00", "\u2028"])
wordy = st.lists(st.one_of(words, separators), max_size=60).map("".join)
any_text = st.one_of(st.text(max_size=200), wordy)


@PROPERTY
@given(any_text, any_text)
def test_the_ops_rebuild_both_texts(old, new):
    ops = word_diff(old, new)
    assert (old_text(ops), new_text(ops)) == (old, new)
    assert all(text for _, text in ops)
    assert has_changes(ops) == (old != new)


@PROPERTY
@given(wordy, wordy)
def test_changes_never_split_a_word(old, new):
    """Changes start and end between tokens (a word or mark with its spaces, or a line break) or
    straight after a word, where a replaced word's trailing spaces are handed back to the text
    after it."""
    ops = word_diff(old, new)
    cuts, position = set(), 0
    for op, text in ops:
        if op != INSERT:
            position += len(text)
            cuts.add(position)
    tokens = {m.end() for m in re.finditer(r"\w+[ \t]*|[^\w\s][ \t]*|\s+", old)}
    word_ends = {m.end() for m in re.finditer(r"\w+|[^\w\s]", old)}
    boundaries = tokens | word_ends | {0}
    assert cuts <= boundaries


# --- HTML -----------------------------------------------------------------------------------


def test_inline_html_marks_and_announces_each_change():
    html = inline_html(word_diff("Pay within 30 days.", "Pay within 14 days."))
    assert html == f"Pay within {DELETED}30{END_DELETED}{INSERTED}14{END_INSERTED} days."


def test_all_text_is_escaped():
    hostile = '<script>alert(1)</script> & "quotes"'
    html = inline_html(word_diff("Safe text.", f"Safe text. {hostile}"))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;" in html
    old_side, new_side = side_by_side_html(word_diff(hostile, "Plain"))
    assert "<script>" not in old_side and "&lt;script&gt;" in old_side
    assert inline_html([(EQUAL, "<b>bold</b>")]) == "&lt;b&gt;bold&lt;/b&gt;"


def test_line_breaks_are_kept():
    html = inline_html(word_diff("First line\nSecond line", "First line\r\nSecond line\n\nThird line"))
    assert "\n" not in html and "\r" not in html
    assert html.startswith("First line") and html.count("<br>") == 4


def test_side_by_side_shows_each_side_only_its_own_changes():
    old_side, new_side = side_by_side_html(
        word_diff("We will meet every quarter.", "We will meet every month, online.")
    )
    assert "<ins" not in old_side and "<del" not in new_side
    assert old_side == f"We will meet every {DELETED}quarter{END_DELETED}."
    assert new_side == f"We will meet every {INSERTED}month, online{END_INSERTED}."


def test_unchanged_text_has_no_markup():
    assert inline_html(word_diff("Same.", "Same.")) == "Same."
    assert side_by_side_html([]) == ("", "")


# --- Snapshots ------------------------------------------------------------------------------


def block(id, kind="commitment", number="", parent=None, **text):
    return {
        "id": id,
        "kind": kind,
        "parent": parent,
        "number": number,
        "title": text.get("title", ""),
        "statement": text.get("statement", ""),
        "body": text.get("body", ""),
        "committed_by": text.get("committed_by", []),
        "tags": text.get("tags", []),
    }


OLD = {
    "title": "Our charter",
    "blocks": [
        block(1, "introduction", body="Why we are doing this."),
        block(2, "key_area", "1", title="Funding"),
        block(3, number="1.1", parent=2, statement="We will pay within 30 days.", committed_by=["All partners"]),
        block(4, number="1.2", parent=2, statement="We will share budgets."),
        block(5, number="1.3", parent=2, statement="We will fund core costs."),
        block(6, "key_area", "2", title="Voice"),
        block(7, number="2.1", parent=6, statement="We will listen.", tags=["Covenant: Voice"]),
    ],
}


def test_snapshot_statuses_and_order():
    new = {
        "title": "Our charter",
        "blocks": [
            block(1, "introduction", body="Why we are doing this."),
            block(2, "key_area", "1", title="Funding"),
            # 1.1 reworded; 1.2 removed, so 1.3 becomes 1.2; 2.1 moved under Funding; a new one added
            block(3, number="1.1", parent=2, statement="We will pay within 14 days.", committed_by=["All partners"]),
            block(5, number="1.2", parent=2, statement="We will fund core costs."),
            block(7, number="1.3", parent=2, statement="We will listen.", tags=["Covenant: Voice"]),
            block(6, "key_area", "2", title="Voice"),
            block(8, number="2.1", parent=6, statement="We will publish minutes."),
        ],
    }
    diffs = diff_snapshots(OLD, new)
    assert [(d.id, d.status) for d in diffs] == [
        (1, "unchanged"),
        (2, "unchanged"),
        (3, "changed"),
        (4, "removed"),  # where it used to be: after 1.1
        (5, "moved"),
        (7, "moved"),
        (6, "unchanged"),
        (8, "added"),
    ]
    by_id = {d.id: d for d in diffs}
    assert (by_id[5].number_old, by_id[5].number_new) == ("1.3", "1.2")
    assert (by_id[4].number_old, by_id[4].number_new) == ("1.2", None)
    assert (by_id[8].number_old, by_id[8].number_new) == (None, "2.1")
    [statement] = by_id[3].fields
    assert (statement.name, statement.label) == ("statement", "Statement")
    assert (DELETE, "30") in statement.ops and (INSERT, "14") in statement.ops
    assert by_id[5].fields == [] and by_id[1].fields == []
    assert [(f.label, f.ops) for f in by_id[4].fields] == [("Statement", [(DELETE, "We will share budgets.")])]
    assert [(f.label, f.ops) for f in by_id[8].fields] == [("Statement", [(INSERT, "We will publish minutes.")])]
    assert summary(diffs) == {"added": 1, "removed": 1, "changed": 1, "moved": 2}


def test_who_commits_and_tags_are_compared_as_lists():
    old = {"blocks": [block(1, committed_by=["All partners"], tags=["Core20PLUS5: Maternity"])]}
    new = {"blocks": [block(1, committed_by=["All partners", "Charities"], tags=["Core20PLUS5: Maternity"])]}
    [diff] = diff_snapshots(old, new)
    assert diff.status == "changed"
    assert [(f.name, f.label, f.ops) for f in diff.fields] == [
        ("committed_by", "Who commits", [(EQUAL, "All partners"), (INSERT, ", Charities")])
    ]


def test_a_reordered_section_counts_as_moved_though_it_has_no_number():
    old = {"blocks": [block(1, "section", title="Purpose"), block(2, "section", title="Glossary"), block(3, "section")]}
    new = {"blocks": [old["blocks"][1], old["blocks"][0], old["blocks"][2]]}
    statuses = {d.id: d.status for d in diff_snapshots(old, new)}
    assert list(statuses.values()).count("moved") == 1 and statuses[3] == "unchanged"


def test_removed_blocks_keep_their_place_and_order():
    old = {"blocks": [block(i, "section", title=f"Section {i}") for i in range(1, 6)]}
    new = {"blocks": [old["blocks"][2]]}  # only 3 survives
    assert [(d.id, d.status) for d in diff_snapshots(old, new)] == [
        (1, "removed"),
        (2, "removed"),
        (3, "unchanged"),
        (4, "removed"),
        (5, "removed"),
    ]


def test_identical_and_empty_snapshots():
    assert {d.status for d in diff_snapshots(OLD, OLD)} == {"unchanged"}
    assert summary(diff_snapshots(OLD, OLD)) == {"added": 0, "removed": 0, "changed": 0, "moved": 0}
    assert diff_snapshots({"blocks": []}, {"blocks": []}) == []
    assert {d.status for d in diff_snapshots({}, OLD)} == {"added"}


def test_a_large_document_diffs():
    """1,300 blocks of about 600 characters, one in ten reworded (the benches time this)."""
    sentence = "We will work with voluntary groups to plan, fund and review services for local people. "

    def snapshot(changed):
        blocks = []
        for i in range(1, 1301):
            body = (sentence * 7)[:600]
            if changed and i % 10 == 0:
                body = body.replace("review", "improve", 2)
            blocks.append(block(i, number=f"{i // 10}.{i % 10}", parent=0, body=body))
        return {"title": "Large", "blocks": blocks}

    diffs = diff_snapshots(snapshot(False), snapshot(True))
    assert len(diffs) == 1300
    assert summary(diffs) == {"added": 0, "removed": 0, "changed": 130, "moved": 0}


def test_a_rewritten_paragraph_reads_as_old_words_out_new_words_in():
    old = "Intro. " + " ".join(f"old{i} words here" for i in range(30)) + " Closing."
    new = "Intro. " + " ".join(f"new{i} text there" for i in range(30)) + " Closing."
    ops = word_diff(old, new)
    assert [op for op, _ in ops] == [EQUAL, DELETE, INSERT, EQUAL]
    assert (old_text(ops), new_text(ops)) == (old, new)
