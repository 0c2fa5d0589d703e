"""Run an investigation notebook for one case and export it as a stand-alone HTML report.

:func:`run_investigation` executes ``notebooks/investigate_<kind>.ipynb`` with papermill
(its ``parameters`` cell gets the dataset, results, case ID and locale) and exports the
executed notebook with nbconvert, code hidden: the report shows the notebook's text, tables
and figures only.  The page is self-contained, so it opens offline: the figures carry
plotly.js inline once (the notebooks use plotly's ``notebook`` renderer), the template
(:data:`TEMPLATE`, JupyterLab's) leaves out what it would load from a CDN (require.js,
MathJax, mermaid, the widget manager; no report uses them), scripts the outputs would load
from the network are removed (:func:`offline_outputs`: plotly's figures ask for MathJax),
and a Content-Security-Policy
lets the browser fetch nothing from the network (hyperlinks to cited sources still open
when clicked).  Every table is there in full, a long one scrolling on screen; printing
(PDF) lifts the scroll limit.  The report opens with what it was made from (generation
time, dataset and fingerprint, workbench version, configuration hash) and the findings
already recorded (:mod:`workbench.investigate.about`); the workbook has the same on its
summary sheet and a findings sheet.

An ID the dataset does not hold raises :class:`~workbench.investigate.UnknownCaseError`
before a kernel starts; a failing cell becomes an :class:`InvestigationError` naming the
notebook, the cell and its error.  papermill and nbconvert are imported on first use, so
importing this module stays cheap and UI-free.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.i18n import LOCALES
from workbench.labels import CASE_SHEETS

if TYPE_CHECKING:
    from nbformat import NotebookNode
    from papermill.exceptions import PapermillExecutionError

#: Folder of the investigation notebooks (a source checkout: ``pip install -e .``).
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
#: The notebook parameter that names the case, per kind.
ID_PARAMETERS = {"enterprise": "enterprise_id", "lab": "lab", "verifier": "verifier"}
#: Seconds one notebook cell may run.
CELL_TIMEOUT_S = 600


class InvestigationError(RuntimeError):
    """An investigation notebook failed; the message names the notebook, cell and error."""


def notebook_path(kind: str) -> Path:
    """The investigation notebook of ``kind`` (enterprise, lab or verifier)."""
    if kind not in ID_PARAMETERS:
        raise ValueError(f"unknown investigation kind {kind!r}; use one of "
                         f"{', '.join(ID_PARAMETERS)}")
    path = NOTEBOOKS / f"investigate_{kind}.ipynb"
    if not path.is_file():
        raise InvestigationError(f"{path}: notebook not found; the notebooks ship with a source "
                                 "checkout (pip install -e .)")
    return path


def report_title(kind: str, name: str) -> str:
    """The bilingual title of a report: ``企业调查 · Enterprise investigation — NAME``."""
    from workbench.investigate import case_title

    return f"{case_title(kind, 'zh-CN')} · {case_title(kind, 'en')} — {name}"


#: Report formats by file suffix.
REPORT_SUFFIXES = (".html", ".pdf", ".xlsx")
#: Sheet of the findings already recorded for the case's enterprises.
FINDINGS_SHEET = "已记录问题 Findings"
#: What the report page may load: inline scripts and styles and data/blob images and fonts
#: only, nothing from the network.
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'unsafe-inline'; "
                           "style-src 'unsafe-inline'; img-src data: blob:; font-src data:")
#: Screen and print styles of the report: long tables scroll on screen (headers stay in
#: view) and print in full; the "about" block reads as a compact list.
REPORT_CSS = """
.wb-scroll thead th { position: sticky; top: 0; background: var(--jp-layout-color1, #fff); }
table.wb-about td:first-child { color: #555; white-space: nowrap; }
@media print {
  .wb-scroll { max-height: none !important; overflow: visible !important; }
  .wb-scroll thead th { position: static; }
}
"""
#: nbconvert template of the case reports: JupyterLab's, without the scripts it loads
#: from a CDN, with the Content-Security-Policy and :data:`REPORT_CSS`.
TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block extra_css -%}
<meta http-equiv="Content-Security-Policy" content="{{ resources.workbench_csp }}">
<style type="text/css">{{ resources.workbench_css }}</style>
{%- endblock extra_css -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""
#: Virtual time a case report's figures get to draw before it is printed to PDF (ms).
PDF_DRAW_MS = 5_000


def run_investigation(kind: str, case_id: str, dataset: str | Path,
                      results: str | Path | None = None,
                      out: str | Path = "report.html", locale: str = "zh-CN") -> Path:
    """Execute the ``kind`` notebook for ``case_id`` ("auto" = the highest-risk case) on
    ``dataset`` (and a ``workbench screen`` folder ``results``; None = screen once and
    cache) and write the report, code hidden, to ``out``: HTML, or PDF printed from it by
    headless Chromium when ``out`` ends in ``.pdf`` (:func:`workbench.exports.html_to_pdf`),
    or the case's tables as a workbook when it ends in ``.xlsx`` (:func:`write_workbook`);
    return its path."""
    import nbformat
    import papermill
    from jupyter_client.kernelspec import NoSuchKernel
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    if locale not in LOCALES:
        raise ValueError(f"unknown locale {locale!r}; use one of {LOCALES}")
    out = Path(out)
    if out.suffix.lower() not in REPORT_SUFFIXES:
        raise ValueError(f"{out}: 报告须为 .html、.pdf 或 .xlsx 文件 / the report must be a "
                         ".html, .pdf or .xlsx file")
    if out.suffix.lower() == ".xlsx":
        check_known(kind, case_id, dataset)
        return write_workbook(kind, case_id, dataset, results, out, locale)
    source = notebook_path(kind)
    check_known(kind, case_id, dataset)
    params = {"dataset": str(Path(dataset).resolve()),
              "results": str(Path(results).resolve()) if results else None,
              ID_PARAMETERS[kind]: "" if case_id == "auto" else case_id, "locale": locale}
    with tempfile.TemporaryDirectory(prefix="workbench-investigate-") as tmp:
        executed = Path(tmp) / source.name
        try:
            papermill.execute_notebook(source, executed, parameters=params, cwd=source.parent,
                                       kernel_name="python3", progress_bar=False,
                                       log_output=False, execution_timeout=CELL_TIMEOUT_S)
        except PapermillExecutionError as exc:
            raise InvestigationError(_cell_failure(source.name, executed, exc)) from None
        except (DeadKernelError, CellTimeoutError, NoSuchKernel, RuntimeError) as exc:
            raise InvestigationError(f"{source.name}: {type(exc).__name__}: {exc}") from exc
        nb = nbformat.read(executed, as_version=4)
        if out.suffix.lower() == ".html":
            return export_html(nb, kind, out)
        from workbench.exports import html_to_pdf

        page = export_html(nb, kind, Path(tmp) / "report.html")
        out.parent.mkdir(parents=True, exist_ok=True)
        return html_to_pdf(page, out, wait_ms=PDF_DRAW_MS, timeout=120)


def _cell_failure(notebook: str, executed: Path, exc: PapermillExecutionError) -> str:
    """``NOTEBOOK, cell [N] `first line of the cell`: Error: message`` for a failed cell."""
    import nbformat

    cells = nbformat.read(executed, as_version=4).cells
    failed = [c.source for c in cells if c.get("execution_count") == exc.exec_count]
    lines = failed[0].strip().splitlines() if failed else []
    first = f" `{lines[0]}`" if lines else ""
    return f"{notebook}, cell [{exc.exec_count}]{first}: {exc.ename}: {exc.evalue}"


def check_known(kind: str, case_id: str, dataset: str | Path) -> None:
    """Raise :class:`~workbench.investigate.UnknownCaseError` before starting a kernel when
    ``case_id`` is neither "auto" nor an ID of the dataset (reads one or two small tables)."""
    from workbench.dataset import Dataset
    from workbench.investigate import known_ids, resolve_id

    ds = Dataset(dataset)
    lab_columns = ["lab_name", "lab_accreditation_no"]
    labs = ds.read("lab_reports", columns=lab_columns) if kind == "lab" else None
    resolve_id(kind, case_id, known_ids(kind, ds.read("enterprises"), labs), case_id)


def _case_label(nb: NotebookNode) -> str | None:
    """The case the notebook resolved, from the output metadata of its heading
    (:func:`workbench.investigate.case_metadata`)."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            case = output.get("metadata", {}).get("workbench_case")
            if case:
                return case["label"]
    return None


#: A script or stylesheet an output loads from the network (plotly's figure HTML loads
#: MathJax from a CDN, whatever the renderer is told): left out of the report.
_EXTERNAL = re.compile(
    r"""<script\b[^>]*\bsrc\s*=\s*["']?\s*(?:https?:)?//[^>]*>\s*</script\s*>"""
    r"""|<link\b[^>]*\bhref\s*=\s*["']?\s*(?:https?:)?//[^>]*>""", re.IGNORECASE)


def offline_outputs(nb: NotebookNode) -> int:
    """Remove from the HTML outputs of ``nb`` every script and stylesheet loaded from the
    network (http, https or protocol-relative ``//``); return how many were removed."""
    removed = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                text = data["text/html"]
                text = "".join(text) if isinstance(text, list) else text
                data["text/html"], n = _EXTERNAL.subn("", text)
                removed += n
    return removed


def trace_types(nb: NotebookNode) -> set[str]:
    """The plotly trace types the figures of ``nb`` draw."""
    types = set()
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            fig = output.get("data", {}).get("application/vnd.plotly.v1+json")
            if fig:
                types |= {t.get("type", "scatter") for t in fig.get("data", [])}
    return types


def smaller_plotly(body: str, types: set[str]) -> str:
    """``body`` with the full plotly.js bundle it carries replaced by the cartesian one
    (:mod:`workbench.plotly_bundle`) when that is installed and draws every trace type
    in ``types``; ``body`` unchanged otherwise."""
    from plotly.offline import get_plotlyjs

    from workbench import plotly_bundle

    small = plotly_bundle.cartesian() if types <= plotly_bundle.TRACES else None
    return body.replace(get_plotlyjs(), small, 1) if small else body


def export_html(nb: NotebookNode, kind: str, out_html: Path) -> Path:
    """Write executed notebook ``nb`` as HTML without code or prompts, titled by its case,
    self-contained (:data:`TEMPLATE`: nothing is fetched from the network)."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    nb.metadata["title"] = report_title(kind, _case_label(nb) or "?")
    offline_outputs(nb)
    exporter = HTMLExporter(template_name="lab", template_file="workbench_case_report.html.j2",
                            extra_loaders=[DictLoader({"workbench_case_report.html.j2":
                                                       TEMPLATE})],
                            exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb, resources={
        "workbench_csp": CONTENT_SECURITY_POLICY, "workbench_css": REPORT_CSS})
    body = smaller_plotly(body, trace_types(nb))
    out_html.parent.mkdir(parents=True, exist_ok=True)
    out_html.write_text(body, encoding="utf-8")
    return out_html


def write_workbook(kind: str, case_id: str, dataset: str | Path, results: str | Path | None,
                   out: Path, locale: str = "zh-CN") -> Path:
    """The case's tables as an XLSX workbook (no notebook is run): a summary sheet (title,
    what the workbook was made from as :func:`workbench.investigate.report_about` says:
    generation time, dataset and fingerprint, version, configuration hash, findings store;
    then the case summary), one sheet per table named in Chinese and English, headers and
    codes in ``locale``, the findings already recorded for the case's enterprises
    (:data:`FINDINGS_SHEET`; or why the store could not be read), and the checks the tables
    name explained (:func:`workbench.investigate.checks_frame`: rule, source, thresholds in
    force).  Text is written as text, never as a formula, and a
    cell a spreadsheet would evaluate gets a quote in front
    (:func:`workbench.safe_cells.neutralise`): database text is untrusted."""
    from dataclasses import fields

    import pandas as pd

    from workbench import investigate as inv
    from workbench.i18n import pick
    from workbench.investigate.about import about_frame
    from workbench.review import ReviewData
    from workbench.safe_cells import neutralise_frame

    build = {"enterprise": inv.enterprise_case, "lab": inv.lab_case,
             "verifier": inv.verifier_case}[kind]
    review = ReviewData.open(dataset, results)
    case = build(review, None if case_id == "auto" else case_id)
    summary = pd.DataFrame({"field": list(case.summary), "value": list(case.summary.values())})
    summary["field"] = [inv.header(k, locale) for k in summary["field"]]
    facts, findings, note = inv.report_about(review, case)
    out.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(out, engine="xlsxwriter",
                        engine_kwargs={"options": {"strings_to_formulas": False,
                                                   "strings_to_urls": False}}) as xw:
        title = pd.DataFrame({"field": [report_title(kind, case.label)], "value": [""]})
        neutralise_frame(pd.concat([title, about_frame(facts, locale), summary]).rename(columns={
            "field": pick("项目", "Item", locale), "value": pick("值", "Value", locale)})
        ).to_excel(xw, sheet_name="概况 Summary", index=False)
        for f in fields(case):
            table = getattr(case, f.name)
            if isinstance(table, pd.DataFrame):
                zh, en = CASE_SHEETS[f.name]
                neutralise_frame(inv.display_frame(table, locale)).to_excel(
                    xw, sheet_name=f"{zh} {en}"[:31], index=False)
        recorded = (inv.findings_display(findings, locale) if not note else pd.DataFrame(
            {pick("说明", "Note", locale): [note]}))
        neutralise_frame(recorded).to_excel(xw, sheet_name=FINDINGS_SHEET, index=False)
        zh, en = CASE_SHEETS["checks_used"]
        neutralise_frame(inv.checks_frame(case, review.cfg, locale)).to_excel(
            xw, sheet_name=f"{zh} {en}", index=False)
    return out
