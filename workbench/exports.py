"""Format-agnostic export helpers: bilingual labels, self-contained HTML pages, HTML → PDF.

Exports are read by people of either language, so every label carries both
(``bilingual``), with the user's locale first.  HTML pages are self-contained (inline
CSS, no external assets, no scripts; a Content-Security-Policy forbids loading or running
anything, so a page stays inert even if some text escaped escaping) and print on A4.
PDF is that page printed by a headless Chromium/Chrome, the one converter that renders
CJK text, CSS and page breaks faithfully and is commonly installed; when none is
installed :func:`html_to_pdf` says so in both languages instead of writing a poor PDF.
"""

from __future__ import annotations

import html
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from workbench.i18n import pick

#: Browsers able to print a page to PDF, tried in this order on ``PATH``.
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: Seconds a PDF conversion may take before the browser is stopped.
PDF_TIMEOUT_S = 60.0

PAGE_CSS = """
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei",
       "Microsoft YaHei", "PingFang SC", "Helvetica Neue", Arial, sans-serif;
       font-size: 10.5pt; line-height: 1.45; color: #1a1a1a; margin: 0 auto; max-width: 60em;
       padding: 1em; }
h1 { font-size: 17pt; margin: 0 0 .4em; }
h2 { font-size: 13pt; margin: 0 0 .4em; }
h3 { font-size: 10.5pt; margin: .9em 0 .3em; color: #444; }
.second { color: #666; font-weight: normal; }
table { border-collapse: collapse; width: 100%; margin: .3em 0; }
th, td { border: 1px solid #c8c8c8; padding: .25em .45em; text-align: left;
         vertical-align: top; overflow-wrap: anywhere; }
th { background: #f0f0f0; font-weight: 600; }
tr { break-inside: avoid; }
thead { display: table-header-group; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15em 1em; margin: .3em 0; }
dl.facts dt { color: #555; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; margin: .2em 0; }
.muted { color: #777; }
"""


def other_locale(locale: str) -> str:
    """The locale that is not ``locale`` (exports show both, ``locale`` first)."""
    return pick("en", "zh-CN", locale)


def bilingual(zh: str, en: str, locale: str, sep: str = " / ") -> str:
    """``zh`` and ``en`` in one string, the text of ``locale`` first (``状态 / Status``)."""
    first, second = pick(zh, en, locale), pick(zh, en, other_locale(locale))
    return first if first == second else f"{first}{sep}{second}"


def esc(value: object) -> str:
    """``value`` as HTML text: ``None`` as empty, everything else escaped (quotes too)."""
    return "" if value is None else html.escape(str(value), quote=True)


def html_label(zh: str, en: str, locale: str) -> str:
    """A bilingual label as HTML, the other language greyed (both escaped)."""
    first, second = pick(zh, en, locale), pick(zh, en, other_locale(locale))
    return esc(first) if first == second else (
        f'{esc(first)} <span class="second">{esc(second)}</span>')


def html_table(headers: Sequence[tuple[str, str]], rows: Iterable[Sequence[object]],
               locale: str, classes: str = "") -> str:
    """A table under bilingual ``(zh, en)`` headers; every cell is escaped text."""
    head = "".join(f"<th>{html_label(*pair, locale)}</th>" for pair in headers)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>"
                   for row in rows)
    cls = f' class="{esc(classes)}"' if classes else ""
    return f"<table{cls}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def html_facts(items: Iterable[tuple[tuple[str, str], object]], locale: str) -> str:
    """A definition list of (bilingual ``(zh, en)`` label, value) pairs; values escaped."""
    rows = "".join(f"<dt>{html_label(*pair, locale)}</dt><dd>{esc(value)}</dd>"
                   for pair, value in items)
    return f'<dl class="facts">{rows}</dl>'


def html_page(title: str, body: str, locale: str, css: str = PAGE_CSS) -> str:
    """A complete, self-contained HTML document around ``body`` (already HTML).

    ``title`` is plain text (escaped here).  No script runs and nothing is fetched:
    the Content-Security-Policy allows only the inline style.
    """
    return ("<!DOCTYPE html>\n"
            f'<html lang="{esc(locale)}">\n<head>\n<meta charset="utf-8">\n'
            '<meta http-equiv="Content-Security-Policy" '
            "content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)}</title>\n<style>{css}</style>\n</head>\n"
            f"<body>\n{body}\n</body>\n</html>\n")


class ConversionError(RuntimeError):
    """A file could not be converted (no converter, it failed or timed out); zh/en text."""

    def __init__(self, zh: str, en: str):
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


def find_browser(names: Sequence[str] = BROWSERS) -> str | None:
    """Path of the first of ``names`` found on ``PATH``, else None."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


def _run(cmd: list[str], timeout: float) -> tuple[int, str]:
    """Run ``cmd`` in its own process group; (exit code, stderr).  On timeout the whole
    group (the browser forks helpers) is killed and ConversionError raised."""
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise ConversionError(f"PDF 转换超时（{timeout:g} 秒），已终止浏览器",
                              f"PDF conversion timed out after {timeout:g} s; "
                              "the browser was stopped") from None
    return proc.returncode, err.decode(errors="replace")


def html_to_pdf(html_path: str | Path, pdf_path: str | Path, *, browser: str | None = None,
                timeout: float = PDF_TIMEOUT_S, wait_ms: int = 0) -> Path:
    """Print the HTML file ``html_path`` to ``pdf_path`` with headless Chromium/Chrome.

    ``browser`` defaults to the first of :data:`BROWSERS` on ``PATH``.  Page headers and
    footers (URL, date) are off: both the current flag and the pre-120 one are passed,
    and each browser ignores the one it does not know.  ``--no-sandbox`` lets it run as
    root and in containers; it only ever loads our own pages (findings pages forbid
    scripts; case reports run only their embedded plotly.js).  ``wait_ms`` gives the
    page's scripts that much virtual time to draw before printing (figures).  The PDF is
    written to a temporary folder and moved into place when complete, so a failure never
    leaves half a file or removes an earlier one.  CJK text needs a CJK font installed
    (``fc-list :lang=zh``; e.g. Debian ``fonts-noto-cjk``).
    """
    exe = browser or find_browser()
    if exe is None:
        raise ConversionError(
            f"未找到可生成 PDF 的浏览器（{', '.join(BROWSERS)}）；请安装 chromium，"
            "或导出 HTML 后在浏览器中打印",
            f"no browser to print the PDF found on PATH ({', '.join(BROWSERS)}); install "
            "chromium, or export HTML and print it from a browser")
    source, target = Path(html_path).resolve(), Path(pdf_path)
    with tempfile.TemporaryDirectory(prefix="workbench-pdf-", ignore_cleanup_errors=True) as t:
        out = Path(t) / "out.pdf"
        code, err = _run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                          "--no-pdf-header-footer", "--print-to-pdf-no-header",
                          f"--user-data-dir={Path(t) / 'profile'}", f"--print-to-pdf={out}",
                          *([f"--virtual-time-budget={wait_ms}"] if wait_ms else []),
                          source.as_uri()], timeout)
        if not out.is_file() or not out.read_bytes()[:5] == b"%PDF-":
            tail = " | ".join(err.strip().splitlines()[-3:])
            raise ConversionError(f"浏览器未生成 PDF（退出码 {code}）：{tail}",
                                  f"the browser wrote no PDF (exit code {code}): {tail}")
        shutil.move(out, target)
    return target
