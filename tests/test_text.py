"""Free text is Markdown rendered safely, with @id mentions resolved by the view."""

from __future__ import annotations

from casefile.core.text import plain, render_block, render_inline


def resolve(ident):
    return {"V1": ("Victim 1", "person-V1"), "E1": ("E1", "evidence-E1")}.get(ident)


def test_paragraphs_lists_and_emphasis():
    html = render_block("First *para*.\n\nSecond **one**:\n\n- a\n- b\n", resolve)
    assert html == ("<p>First <em>para</em>.</p>\n<p>Second <strong>one</strong>:</p>\n"
                    "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n")


def test_raw_html_and_template_syntax_are_text():
    html = render_block('<script>alert(1)</script> <img src="file:///etc/passwd"> {{ 7*7 }} {% if %}', resolve)
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html
    assert "{{ 7*7 }} {% if %}" in html


def test_links_and_images_are_shown_as_written():
    html = render_block("[click](https://evil.example) ![x](https://evil.example/x.png) <https://a.b>", resolve)
    assert "<a " not in html and "<img" not in html
    assert "[click](https://evil.example)" in html and "![x](https://evil.example/x.png)" in html


def test_headings_do_not_break_the_outline():
    assert render_block("# Not a heading\n\nText", resolve) == "<p># Not a heading</p>\n<p>Text</p>\n"


def test_mentions_resolve_and_unknown_stay_text():
    html = render_inline("@V1 saw @E1; write to cases@example.org about @ZZ and `@V1`", resolve)
    assert html == ('<a class="ref" href="#person-V1">Victim 1</a> saw <a class="ref" href="#evidence-E1">E1</a>; '
                    "write to cases@example.org about @ZZ and <code>@V1</code>")


def test_plain_text_for_metadata():
    assert plain("Statement of  @V1\n(see @E1)", resolve) == "Statement of Victim 1 (see E1)"
