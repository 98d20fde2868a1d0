"""What the printers make of a stranger's text."""

import tutor


def test_hostile_title_is_printed_literally_in_latex():
    title = r"\input{/etc/hostname} \write18{rm -rf ~} $ & % # _ ^ ~"
    sol = tutor.solve(
        {
            "title": title,
            "source": r"\def\x{1}",
            "variables": ["x"],
            "objective": "x**2",
            "tasks": ["partials"],
        }
    )
    latex = sol.to_latex()
    assert r"\input{" not in latex and r"\write18" not in latex and r"\def\x" not in latex
    assert (
        r"\title{\textbackslash{}input\{/etc/hostname\} \textbackslash{}write18\{rm -rf "
        r"\textasciitilde{}\} \$ \& \% \# \_ \textasciicircum{} \textasciitilde{}}" in latex
    )
    latex.encode("ascii")


def test_markdown_escapes_the_title_and_keeps_the_descriptions_emphasis_but_not_its_html():
    sol = tutor.solve(
        {
            "title": "A *bold* claim | with a pipe",
            "description": "Use **Markdown**. <script>alert(1)</script> [x](javascript:alert(1))",
            "variables": ["x"],
            "objective": "x**2",
            "tasks": ["partials"],
        }
    )
    markdown = sol.to_markdown()
    assert markdown.startswith(r"# A \*bold\* claim \| with a pipe")
    assert (
        r"Use **Markdown**. &lt;script&gt;alert(1)&lt;/script&gt; \[x\](javascript:alert(1))"
        in markdown
    )
    assert "<script>" not in markdown and "[x]" not in markdown
