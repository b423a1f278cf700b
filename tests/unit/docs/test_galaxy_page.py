# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The link check and the preview of the Galaxy page (tests/galaxy/galaxy_page.py), on pages rendered the way
galaxy-importer renders them; the galaxy stage runs the same on the importer's rendering of the real READMEs."""

from __future__ import annotations

import importlib.util
import os

import pytest

REPOSITORY_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
_SPEC = importlib.util.spec_from_file_location("galaxy_page", os.path.join(REPOSITORY_ROOT, "tests", "galaxy", "galaxy_page.py"))
galaxy_page = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(galaxy_page)


@pytest.mark.parametrize(
    "link",
    [
        "https://github.com/certops/digicert/blob/main/docs/simulator.md",
        "https://docs.ansible.com/#install",
        "#install",
    ],
)
def test_links_that_resolve_on_galaxy(link):
    page = f'<h2 id="install">Install</h2><p><a href="{link}">here</a></p>'
    assert galaxy_page.broken_links(page) == []


@pytest.mark.parametrize(
    "link, complaint",
    [
        ("http://example.com/", "only https links"),
        ("#use", 'no element with id "use"'),
        ("docs/simulator.md", "Galaxy resolves no relative path"),
        ("LICENSE", "Galaxy resolves no relative path"),
        ("./awx/project/order_cleanup.yml", "Galaxy resolves no relative path"),
        ("../other/README.md", "Galaxy resolves no relative path"),
    ],
)
def test_links_that_break_on_galaxy(link, complaint):
    page = f'<h2 id="install">Install</h2><p><a href="{link}">here</a></p>'
    problems = galaxy_page.broken_links(page)
    assert len(problems) == 1
    assert problems[0].startswith(f"{link}: ")
    assert complaint in problems[0]


def test_the_preview_shows_the_importers_html_and_links_the_plugins_to_the_docs_site(tmp_path):
    readme_html = "<h1>certops.digicert</h1>\n<p>Rendered by the importer &amp; cleaned.</p>"
    role_html = "<h1>order_cleanup</h1>\n<table><tr><td><code>order_cleanup_apply</code></td></tr></table>"
    result = {
        "metadata": {"namespace": "certops", "name": "digicert", "version": "1.1.0"},
        "docs_blob": {
            "collection_readme": {"name": "README.md", "html": readme_html},
            "documentation_files": [],
            "contents": [
                {"content_name": "order_cleanup", "content_type": "role", "doc_strings": {}, "readme_file": "README.md", "readme_html": role_html},
                {
                    "content_name": "digicert_order_cancel",
                    "content_type": "module",
                    "doc_strings": {"doc": {"short_description": "Cancel <pending> orders"}},
                    "readme_file": None,
                    "readme_html": None,
                },
                {"content_name": "_certcentral", "content_type": "doc_fragments", "doc_strings": {}, "readme_file": None, "readme_html": None},
            ],
        },
    }
    output = tmp_path / "galaxy"
    output.mkdir()
    (output / "stale.html").write_text("from an earlier run")

    written = galaxy_page.write_preview(result, str(output))

    assert sorted(os.path.basename(path) for path in written) == ["index.html", "role-order_cleanup.html"]
    assert sorted(os.listdir(output)) == ["index.html", "role-order_cleanup.html"]
    index = (output / "index.html").read_text()
    assert readme_html in index
    assert '<a href="../html/digicert_order_cancel_module.html">certops.digicert.digicert_order_cancel</a>' in index
    assert '<a href="../html/order_cleanup_role.html">certops.digicert.order_cleanup</a>' in index
    assert "Cancel &lt;pending&gt; orders" in index
    assert "_certcentral" not in index
    assert "version 1.1.0" in index
    role_page = (output / "role-order_cleanup.html").read_text()
    assert role_html in role_page
    assert '<a href="role-order_cleanup.html">role order_cleanup</a>' in role_page
    assert [title for title, _page_dir, _html in galaxy_page.readme_pages(result["docs_blob"])] == ["README.md", "role order_cleanup"]
