"""``workbench investigate enterprise|lab|verifier ID``: one case as an HTML report.

Exit codes: 0 report written; 2 unknown ID or bad input (the message names what was
expected); 1 the notebook failed (the message names the notebook, cell and error).
"""

from __future__ import annotations

from pathlib import Path

import click

from workbench.case_report import ID_PARAMETERS


@click.command()
@click.argument("kind", type=click.Choice(list(ID_PARAMETERS)))
@click.argument("case_id", metavar="ID")
@click.option("--dataset", type=click.Path(exists=True, file_okay=False, path_type=Path),
              required=True, help="数据集目录 / canonical dataset folder.")
@click.option("--results", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="筛查结果目录（默认自动筛查并缓存）/ a `workbench screen` folder "
                   "(default: screen once and cache).")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="输出报告：.html、.pdf（需 chromium）或 .xlsx（各表）/ the report to write: "
                   ".html, .pdf (needs chromium) or .xlsx (its tables).")
@click.option("--locale", type=click.Choice(["zh-CN", "en"]), default="zh-CN",
              show_default=True, help="报告语言 / language of the report.")
def investigate(kind: str, case_id: str, dataset: Path, results: Path | None, out: Path,
                locale: str) -> None:
    """调查一家企业、检测机构或核查机构，输出HTML报告 / Investigate one enterprise, lab or
    verification agency; write an HTML report (code hidden).

    \b
    ID：企业为统一社会信用代码，检测机构为名称或CMA/CNAS编号，核查机构为名称；
        auto = 风险最高者。
    ID: enterprise = unified social credit code; lab = name or CMA/CNAS number;
        verifier = agency name; auto = the highest-risk one.
    Exit codes: 0 written; 1 the notebook failed; 2 unknown ID or bad input.
    """
    from workbench.case_report import REPORT_SUFFIXES, InvestigationError, run_investigation
    from workbench.exports import ConversionError
    from workbench.investigate import UnknownCaseError

    if not (dataset / "manifest.json").is_file():
        raise click.BadParameter(f"{dataset}: expected a workbench dataset folder "
                                 "(with manifest.json)", param_hint="--dataset")
    if out.suffix.lower() not in REPORT_SUFFIXES:
        raise click.BadParameter(f"{out}: expected a .html, .pdf or .xlsx file",
                                 param_hint="--out")
    try:
        path = run_investigation(kind, case_id, dataset, results, out, locale)
    except UnknownCaseError as exc:
        raise click.BadParameter(str(exc), param_hint="ID") from None
    except ConversionError as exc:
        raise click.UsageError(str(exc)) from None
    except InvestigationError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"报告 / report: {path}")
