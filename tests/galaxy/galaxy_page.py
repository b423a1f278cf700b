# Copyright (c) 2026 certops.digicert contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The collection's page as Galaxy shows it, from galaxy-importer's own rendering, and a check of its links.

galaxy-importer renders README.md and every role's README.md from Markdown to HTML and returns that HTML in its
result's ``docs_blob``; Galaxy and Automation Hub show exactly that. scripts/galaxy-check.sh runs this on the
result of its import:

- it writes a small static preview of the page into OUTPUT_DIR (dist/docs/galaxy): ``index.html`` with the README,
  one page per role README, and the plugins, each linked to its page in the docs site (dist/docs/html, built by
  scripts/docs.sh);
- it fails, naming each link, when a link of the README or of a role README would not resolve on Galaxy.

A link resolves on Galaxy when it is an https URL or an anchor (``#name``) of an element of the same rendered page.
Galaxy shows the README at an address of its own web UI, so a relative path (``LICENSE``, ``docs/simulator.md``)
resolves against that address and finds nothing, whether the tarball ships the file or not; such links go to the
repository (galaxy.yml's ``repository``) instead. Python-Markdown gives headings no ``id``, so an anchor exists only
where the Markdown sets one (``## Install {#install}``).

Usage: python galaxy_page.py IMPORTER_RESULT OUTPUT_DIR
"""

from __future__ import annotations

import html
import json
import os
import shutil
import sys
from html.parser import HTMLParser
from urllib.parse import urlsplit

# Where the preview's plugin links point: the docs site, built by scripts/docs.sh beside the preview.
DOCS_SITE = "../html"
# The content types that have a page in the docs site, and the suffix of that page's name.
DOCS_SITE_PAGES = {"module": "module", "role": "role"}


class _LinkCollector(HTMLParser):
    """The targets of the links (``a href``, ``img src``) of a page, and the ids its elements define."""

    def __init__(self):
        super().__init__()
        self.links = []
        self.anchors = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.anchors.add(attributes["id"])
        if tag == "a" and attributes.get("name"):
            self.anchors.add(attributes["name"])
        target = attributes.get("href") if tag == "a" else attributes.get("src") if tag == "img" else None
        if target is not None:
            self.links.append(target)


def links_and_anchors(page_html):
    """The link targets of a rendered page, in order, and the set of anchors it defines."""
    collector = _LinkCollector()
    collector.feed(page_html)
    collector.close()
    return collector.links, collector.anchors


def broken_links(page_html):
    """Sentences naming each link of the page (a README rendered by the importer) that would not resolve on Galaxy,
    with the fix; empty when every link resolves.

    Galaxy shows a README at an address of its own (its web UI, not the tarball's layout), so a relative path
    resolves against that address and finds nothing there, whether or not the tarball ships the file: only https
    addresses and anchors of the rendered page itself are safe."""
    links, anchors = links_and_anchors(page_html)
    problems = []
    for link in links:
        parts = urlsplit(link)
        if parts.scheme == "https" and parts.netloc:
            continue
        if parts.scheme or parts.netloc:
            problems.append(f"{link}: only https links are safe on Galaxy; use the https address")
        elif not parts.path:
            if parts.fragment not in anchors:
                problems.append(
                    f'{link}: the rendered page has no element with id "{parts.fragment}"; '
                    f"give the heading one ({{#{parts.fragment}}}) or link to one that exists"
                )
        else:
            problems.append(
                f"{link}: Galaxy resolves no relative path (its page is not the tarball); link to the file "
                f"in the repository (galaxy.yml: repository) or to its page in the docs site instead"
            )
    return problems


def readme_pages(docs_blob):
    """The rendered READMEs of the page: [(title, directory in the tarball, HTML)], the collection's first."""
    pages = [("README.md", "", docs_blob["collection_readme"]["html"])]
    for item in sorted(docs_blob["contents"], key=lambda item: item["content_name"]):
        if item["content_type"] == "role":
            pages.append((f"role {item['content_name']}", f"roles/{item['content_name']}", item["readme_html"]))
    return pages


def _page(title, navigation, body):
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n"
        "<style>body{font-family:sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;line-height:1.5}"
        "nav{border-bottom:1px solid #ccc;padding-bottom:.5rem;margin-bottom:1rem}"
        "pre{background:#f4f4f4;padding:.5rem;overflow-x:auto}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:.2rem .4rem}.note{color:#555;font-size:90%}</style>\n"
        f"</head>\n<body>\n<nav>{navigation}</nav>\n{body}\n</body>\n</html>\n"
    )


def write_preview(result, output_dir):
    """Write the preview of the Galaxy page into output_dir (replaced): the README and the role READMEs exactly as
    the importer rendered them, and the plugins with links to the docs site. Returns the paths written."""
    docs_blob = result["docs_blob"]
    metadata = result.get("metadata") or {}
    name = f"{metadata.get('namespace', '')}.{metadata.get('name', '')}"
    roles = [item for item in docs_blob["contents"] if item["content_type"] == "role"]
    role_files = {item["content_name"]: f"role-{item['content_name']}.html" for item in roles}
    navigation = " · ".join(
        ['<a href="index.html">README</a>']
        + [f'<a href="{role_files[role]}">role {html.escape(role)}</a>' for role in sorted(role_files)]
        + ['<a href="index.html#galaxy-preview-plugins">plugins</a>']
    )
    note = (
        '<p class="note">A preview of what Galaxy and Automation Hub show for this collection, from '
        f"galaxy-importer's rendering of the tarball (version {html.escape(str(metadata.get('version', '')))})."
        "</p>\n"
    )

    plugin_rows = []
    for item in sorted(docs_blob["contents"], key=lambda item: (item["content_type"], item["content_name"])):
        suffix = DOCS_SITE_PAGES.get(item["content_type"])
        if suffix is None:
            continue
        doc = (item.get("doc_strings") or {}).get("doc") or {}
        description = doc.get("short_description") or ""
        label = f"{name}.{item['content_name']}"
        plugin_rows.append(
            f"<tr><td>{html.escape(item['content_type'])}</td>"
            f'<td><a href="{DOCS_SITE}/{item["content_name"]}_{suffix}.html">{html.escape(label)}</a></td>'
            f"<td>{html.escape(description)}</td></tr>"
        )
    plugins = (
        '<h2 id="galaxy-preview-plugins">Plugins and roles</h2>\n'
        '<p class="note">Each links to its page in the docs site (dist/docs/html, scripts/docs.sh).</p>\n'
        "<table>\n<tr><th>Type</th><th>Name</th><th>Description</th></tr>\n" + "\n".join(plugin_rows) + "\n</table>"
    )

    if os.path.isdir(output_dir):
        shutil.rmtree(output_dir)
    os.makedirs(output_dir)
    written = []
    pages = {"index.html": (name, docs_blob["collection_readme"]["html"] + "\n" + plugins)}
    for item in roles:
        pages[role_files[item["content_name"]]] = (f"{name}.{item['content_name']}", item["readme_html"])
    for file_name, (title, body) in pages.items():
        path = os.path.join(output_dir, file_name)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(_page(title, navigation, note + body))
        written.append(path)
    return written


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    result_path, output_dir = argv[1:]
    with open(result_path, encoding="utf-8") as handle:
        result = json.load(handle)
    written = write_preview(result, output_dir)
    print(f"Galaxy page preview: {os.path.join(output_dir, 'index.html')} ({len(written)} pages)")
    pages = readme_pages(result["docs_blob"])
    problems = []
    for title, _page_dir, page_html in pages:
        problems.extend(f"{title}: {problem}" for problem in broken_links(page_html))
    if problems:
        print(f"{len(problems)} link(s) would not resolve on Galaxy:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    links = sum(len(links_and_anchors(page_html)[0]) for _title, _page_dir, page_html in pages)
    print(f"Galaxy page links: all {links} links of the README and the role READMEs resolve on Galaxy")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
