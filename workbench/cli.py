"""The ``workbench`` command: sample data, import, dataset info, and JupyterLab.

Every subcommand has ``--help`` (中文 / English).  Heavy imports happen inside
the commands so ``workbench --help`` answers at once.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import click

from workbench import __version__, schema
from workbench.labels import TEXT
from workbench.samples import DEFAULT_PROBLEM_RATE, DEFAULT_SEED, SECTORS

#: The reviewer notebook opened by ``workbench lab`` / ``workbench demo``.
REVIEWER_NOTEBOOK = "notebooks/reviewer_workbench.ipynb"
#: The committed demo dataset, relative to the repository root.
DEMO_DATASET = "data_samples/demo"


def _repo_root() -> Path | None:
    """The source checkout this package runs from (editable install), if any."""
    here = Path(__file__).resolve().parents[1]
    return here if (here / "notebooks").is_dir() and (here / "pyproject.toml").is_file() else None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="workbench")
def main() -> None:
    """碳排放数据质量审核工作台 / Carbon Audit Workbench.

    \b
    workbench sample   生成示例数据 / generate a sample dataset
    workbench import   导入并校验数据 / validate and import platform exports
    workbench info     数据集概况 / what a dataset holds
    workbench screen   筛查预警与风险排名 / screen a dataset: flags and risk ranking
    workbench lab      打开审核工作台 / open the reviewer workbench in JupyterLab
    workbench demo     示例数据 + 工作台 / demo data + workbench in one step
    workbench dashboard 只读监管看板（Voilà）/ read-only supervisor dashboard (Voila)
    """
    from workbench.config import ConfigError, load_config

    try:
        load_config()          # a broken config file is reported once, here, before any work
    except ConfigError as exc:
        click.echo(f"错误 / error: {exc}", err=True)
        sys.exit(2)


def _sample_sectors(value: str) -> tuple[str, ...]:
    """``--sectors`` as a tuple in the generator's order; a usage error for an unknown one."""
    names = [s.strip().lower() for s in value.split(",") if s.strip()]
    unknown = [s for s in names if s not in SECTORS]
    if unknown or not names:
        raise click.BadParameter(
            f"未知行业 / unknown sector: {', '.join(unknown) or '(none given)'}; "
            f"可选 / choose from {', '.join(SECTORS)}", param_hint="'--sectors'")
    return tuple(s for s in SECTORS if s in names)


@main.command()
@click.option("--scale", type=click.Choice(["demo", "province", "national"]), default="demo",
              show_default=True,
              help="规模：一个省示例 / 全省 / 全国。demo: 60 power enterprises (24 months) + 8 "
                   "steel/cement/aluminium (2024) in 江苏; province: ~200 power + 45 others; "
                   "national: 2,100 power + ~1,200 others, >3M records/year.")
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True,
              help="随机种子（同一种子输出相同）/ random seed; the same seed gives the same bytes.")
@click.option("--problem-rate", type=click.FloatRange(0, 1), default=DEFAULT_PROBLEM_RATE,
              show_default=True,
              help="注入问题的企业比例 / share of enterprises given injected problems.")
@click.option("--sectors", default=",".join(SECTORS), show_default=True,
              callback=lambda ctx, param, value: _sample_sectors(value),
              help="行业（逗号分隔）/ sectors, comma-separated: power, steel, cement, aluminium. "
                   "钢铁、水泥、电解铝 2025 年起月度存证，示例中置于电力数据的最后一年 / the "
                   "2025 sectors file in the power data's last year (2024).")
@click.option("--out", "out", type=click.Path(path_type=Path), required=True,
              help="输出目录（须为空）/ output folder (must not hold a dataset).")
@click.option("--json", "as_json", is_flag=True, help="输出JSON / print one JSON object.")
def sample(scale: str, seed: int, problem_rate: float, sectors: tuple[str, ...], out: Path,
           as_json: bool) -> None:
    """生成示例数据集（含 truth.csv）/ Generate a sample dataset with its truth.csv."""
    from workbench.samples.generator import generate, write

    t0 = time.perf_counter()
    gen = generate(scale, seed, problem_rate, sectors)
    try:
        ds = write(gen, out, scale, seed, problem_rate)
    except FileExistsError as exc:
        raise click.ClickException(str(exc)) from exc
    by_sector = gen.counts_by_sector()
    result = {"dataset": str(out), "scale": scale, "seed": seed, "problem_rate": problem_rate,
              "sectors": {s: by_sector.get(s, {}) for s in sectors},
              "records": gen.record_count(),
              "tables": {k: len(v) for k, v in gen.tables.items()},
              "truth_rows": len(gen.truth), "fingerprint": ds.fingerprint,
              "seconds": round(time.perf_counter() - t0, 2)}
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    click.echo(f"已生成 / generated {result['records']:,} records in {result['seconds']} s "
               f"-> {out}")
    for table, n in result["tables"].items():
        click.echo(f"  {table:<20} {n:>12,}")
    click.echo(f"  truth.csv            {len(gen.truth):>12,}  (注入问题 / injected problems)")
    for sector, counts in result["sectors"].items():
        click.echo(f"  {sector:<10} {counts.get('enterprises', 0):>6,} enterprises "
                   f"{counts.get('units', 0):>7,} units "
                   f"{counts.get('monthly_parameters', 0):>10,} monthly rows "
                   f"{counts.get('truth_rows', 0):>6,} truth rows")


@main.command(name="import")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--into", "into", type=click.Path(path_type=Path), required=True,
              help="目标数据集目录 / canonical dataset folder (created if absent).")
@click.option("--table", default=None,
              help="表名（默认取文件名或工作表名）/ table; default: from the file or sheet name.")
@click.option("--json", "as_json", is_flag=True, help="输出JSON / print one JSON object.")
@click.option("--locale", type=click.Choice(["zh-CN", "en"]), default=None,
              help="输出语言 / language of the summary (default from config).")
def import_(sources: tuple[Path, ...], into: Path, table: str | None, as_json: bool,
            locale: str | None) -> None:
    """校验并导入CSV/XLSX/Parquet / Validate and import CSV, XLSX or Parquet files.

    \b
    不合格的行进入隔离区（文件、行号、列、值、原因）；不会静默丢弃。
    Rejected rows go to DATASET/quarantine/ with file, row, column, value and
    reason; nothing is dropped silently.
    Exit codes: 0 all imported; 1 some rows quarantined; 2 a file could not be read.
    """
    from workbench.config import load_config
    from workbench.ingest import import_files

    cfg = load_config()
    report = import_files(list(sources), into, table=table, config=cfg)
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False))
    else:
        for line in report.summary_lines(locale or cfg["general"]["locale"]):
            click.echo(line)
    sys.exit(report.exit_code)


@main.command()
@click.argument("dataset", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="输出JSON / print one JSON object.")
@click.option("--locale", type=click.Choice(["zh-CN", "en"]), default=None,
              help="输出语言 / language (default from config).")
def info(dataset: Path, as_json: bool, locale: str | None) -> None:
    """数据集概况 / Row counts, periods and fingerprint of a dataset, parts verified.

    \b
    退出码：0 分片与清单一致；1 不一致。
    Exit codes: 0 the parts match the manifest; 1 they do not.
    """
    from workbench.config import load_config
    from workbench.dataset import Dataset, DatasetError
    from workbench.overview import describe, verification_lines

    if not Dataset(dataset).exists():
        raise click.ClickException(f"{dataset}: no manifest.json here; not a workbench dataset")
    locale = locale or load_config()["general"]["locale"]
    try:
        facts = describe(dataset, locale)
    except DatasetError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(facts, ensure_ascii=False))
    else:
        click.echo(f"{facts['dataset']}  fingerprint {facts['fingerprint'][:16]}…")
        for t in facts["tables"]:
            click.echo(f"  {t['label']:<16} {t['rows']:>12,}  {t['periods']}")
        for line in verification_lines(facts["verified"], locale):
            click.echo(line)
    sys.exit(0 if facts["verified"]["ok"] else 1)


@main.command()
@click.argument("dataset", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", "out", type=click.Path(path_type=Path), required=True,
              help="结果目录 / results folder (flags.parquet, risk.parquet, manifest.json).")
@click.option("--engine", type=click.Choice(["pandas", "dask"]), default="pandas",
              show_default=True,
              help="pandas：单进程；dask：分布式 / pandas in-process, or a Dask cluster.")
@click.option("--scheduler", default=None,
              help="Dask调度器地址（默认本机集群）/ Dask scheduler address (default: a "
                   "LocalCluster).")
@click.option("--spot-check-seed", type=int, default=None,
              help="现场抽查抽样种子（默认取配置）/ seed of the on-site spot-check sample "
                   "(default from config).")
@click.option("--json", "as_json", is_flag=True, help="输出JSON / print one JSON object.")
def screen(dataset: Path, out: Path, engine: str, scheduler: str | None,
           spot_check_seed: int | None, as_json: bool) -> None:
    """运行全部检查，输出预警、风险排名 / Run every check; write flags, risk and a manifest."""
    from workbench.check_health import for_tuning
    from workbench.results import ResultsError
    from workbench.screen import screen as run_screen

    def progress(what: str, done: int, total: int) -> None:
        if not as_json:
            click.echo(f"\r  [{done + (what != 'partitions')}/{total}] {what:<45}", nl=False,
                       err=True)

    try:
        manifest = run_screen(dataset, out, engine=engine, scheduler=scheduler,
                              progress=progress, spot_check_seed=spot_check_seed)
    except ResultsError as exc:
        click.echo(f"错误 / error: {exc}", err=True)
        sys.exit(2)
    health, note = _check_health(out, manifest)
    tuning = for_tuning(health)
    if as_json:
        click.echo(json.dumps({**{k: v for k, v in manifest.items() if k != "checks"},
                               "check_health": json.loads(health.to_json(orient="records")),
                               "for_tuning": tuning, "findings_note": note},
                              ensure_ascii=False))
        return
    click.echo("", err=True)
    sev = manifest["flags_by_severity"]
    click.echo(f"{manifest['flags']:,} 条预警 / flags in {manifest['seconds']} s "
               f"(critical {sev.get('critical', 0):,}, warning {sev.get('warning', 0):,}, "
               f"info {sev.get('info', 0):,}) -> {out}")
    spots = manifest["spot_checks"]
    click.echo(f"现场抽查样本 / on-site spot-check sample: {spots['enterprises']} enterprises "
               f"(seed {spots['seed']}) -> {out / 'spot_checks.parquet'}")
    if manifest["skipped"]:
        click.echo("跳过（缺少输入）/ skipped for missing inputs: "
                   + ", ".join(manifest["skipped"]))
    if manifest["sectors_without_checks"]:
        left = manifest["sectors_without_checks"]
        click.echo("未筛查（所属行业尚无检查项）/ not screened, no checks for their sector yet: "
                   + ", ".join(f"{schema.code_name('industry_code', k, 'zh-CN')} / {k} {n}"
                               for k, n in left.items()))
    if tuning:
        click.echo("需调整阈值（复核撤销比例高）/ checks reviewers overrule, for tuning: "
                   + ", ".join(tuning))


def _check_health(out: Path, manifest: dict):
    """Check health of a screening run, with the dismissals of the configured findings store."""
    import pandas as pd

    from workbench.check_health import check_health, read_findings
    from workbench.config import load_config

    cfg = load_config()
    findings, dispositions, note = read_findings(cfg)
    flags = pd.read_parquet(out / "flags.parquet")
    return check_health(flags, manifest["checks"], manifest["unit_months"], findings, cfg,
                        dispositions), note


def _echo_database() -> None:
    """Print the findings database every process started from here opens (no password)."""
    import sqlalchemy as sa

    from workbench.config import load_config

    url = sa.make_url(load_config()["general"]["database_url"])
    click.echo(f"问题库 / findings database: {url.render_as_string(hide_password=True)}")


def _launch_lab(dataset: Path, port: int, no_browser: bool, workdir: Path | None) -> None:
    """Serve the reviewer app over ``dataset`` (``workbench.reviewer_server``) from
    ``workdir`` (default ``runs/lab`` of the checkout) until interrupted."""
    from workbench.config import child_environment, load_config
    from workbench.reviewer_server import serve

    root = _repo_root()
    if root is None:
        raise click.ClickException("the notebooks are not installed beside this package; run "
                                   "from a source checkout (pip install -e .)")
    env = child_environment(WORKBENCH_DATASET=str(dataset.resolve()))
    click.echo(f"数据集 / dataset: {dataset.resolve()}")
    _echo_database()
    folder = (workdir or root / "runs" / "lab").resolve()
    click.echo(f"工作副本与日志 / working copy and log: {folder}")
    try:
        code = serve(root / REVIEWER_NOTEBOOK, folder, env, port,
                     load_config()["general"]["locale"], not no_browser, click.echo)
    except (OSError, RuntimeError) as exc:
        raise click.ClickException(f"JupyterLab 未能启动 / could not start JupyterLab: {exc}"
                                   ) from exc
    sys.exit(code)


workdir_option = click.option(
    "--workdir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="笔记本工作副本、设置与日志所在目录（默认 runs/lab）/ folder of the notebook's working "
         "copy, JupyterLab settings and log (default: runs/lab of the checkout).")


@main.command()
@click.argument("dataset", required=False, type=click.Path(path_type=Path))
@click.option("--port", type=int, default=8888, show_default=True,
              help="端口（被占用时顺延）/ port (the next free one when busy).")
@click.option("--no-browser", is_flag=True, help="不打开浏览器 / do not open a browser.")
@workdir_option
def lab(dataset: Path | None, port: int, no_browser: bool, workdir: Path | None) -> None:
    """打开审核工作台应用 / Open the reviewer workbench app (JupyterLab, code hidden).

    \b
    The app opens with its code hidden (Voilà inside JupyterLab); the notebook behind it
    is a working copy, so the tracked notebooks never change.  The last line printed is
    the address with the port in use and the login token.
    """
    root = _repo_root()
    dataset = dataset or (root / DEMO_DATASET if root else None)
    if dataset is None or not (dataset / "manifest.json").is_file():
        raise click.ClickException(f"{dataset}: not a workbench dataset (run `workbench demo`)")
    _launch_lab(dataset, port, no_browser, workdir)


#: The supervisor dashboard served by ``workbench dashboard``.
DASHBOARD_NOTEBOOK = "notebooks/supervisor_dashboard.ipynb"


#: The only front-end extensions the dashboard page loads (widgets, plotly's renderer and
#: the evidence grids: ipydatagrid with the bqscales and bqplot modules it shares).
VOILA_EXTENSIONS = ("@jupyter-widgets/jupyterlab-manager", "@voila-dashboards/widgets-manager8",
                    "jupyterlab-plotly", "ipydatagrid", "bqscales", "bqplot")


def voila_command(root: Path, port: int, no_browser: bool, settings: dict) -> list[str]:
    """The hardened Voilà command line for the supervisor dashboard.

    Sources stripped and tracebacks hidden (Voilà's defaults, made explicit), no static
    files served but images, only the widget and plotly front-end extensions loaded.
    ``settings`` is the config's ``[dashboard]`` table: ``pool_size`` kernels kept
    preheated (0: a kernel per viewer), replaced ``refill_delay_s`` after use, idle
    kernels culled after ``cull_idle_s`` (connected or not).  Voilà runs as
    ``workbench.dashboard_server``: at most ``pool_size + max_extra_kernels`` kernels
    live at once (a viewer beyond gets a busy page that retries), and the kernel of a
    page closed for ``cull_closed_s`` is shut down.  Requests whose ``Host`` header is neither
    localhost, a loopback address nor one of ``allowed_hosts`` are refused with 403
    (against DNS rebinding): Voilà turns Jupyter Server's host check off
    (``allow_remote_access``), its ``tornado_settings`` turn it back on.
    """
    pool_size = max(int(settings["pool_size"]), 0)
    hosts = {"allow_remote_access": False,
             "local_hostnames": ["localhost", *settings["allowed_hosts"]]}
    # A whole dict (traitlets warns this form is deprecated, but it is the one that gives
    # tornado_settings typed values: key=value items arrive as strings, and "False" is true).
    max_kernels = max(pool_size + int(settings["max_extra_kernels"]), 1)
    cmd = [sys.executable, "-m", "workbench.dashboard_server", str(root / DASHBOARD_NOTEBOOK),
           f"--port={port}",
           "--Voila.ip=127.0.0.1", "--strip_sources=True", "--show_tracebacks=False",
           # what a viewer reads when a cell fails (Voilà's own hint is about its options)
           "--VoilaExecutor.cell_error_instruction=" + " / ".join(TEXT["dash_cell_error"]),
           f"--preheat_kernel={pool_size > 0}", f"--pool_size={pool_size}",
           "--VoilaConfiguration.file_allowlist=.*\\.(png|svg)",
           *(f"--VoilaConfiguration.extension_allowlist={name}" for name in VOILA_EXTENSIONS),
           f"--VoilaKernelManager.fill_delay={settings['refill_delay_s']}",
           "--VoilaConfiguration.multi_kernel_manager_class="
           "workbench.dashboard_server.CappedKernelManager",
           f"--CappedKernelManager.max_kernels={max_kernels}",
           f"--CappedKernelManager.cull_closed_s={settings['cull_closed_s']}",
           "--MappingKernelManager.cull_interval=60",
           f"--MappingKernelManager.cull_idle_timeout={settings['cull_idle_s']}",
           "--MappingKernelManager.cull_connected=True",
           f"--Voila.tornado_settings={hosts!r}"]
    if settings.get("base_url"):
        cmd.append(f"--Voila.base_url={settings['base_url']}")
    if no_browser:
        cmd.append("--no-browser")
    return cmd


@main.command()
@click.argument("dataset", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--results", type=click.Path(path_type=Path), default=None,
              help="筛查结果目录（默认自动筛查并缓存）/ a `workbench screen` folder "
                   "(default: screen once and cache).")
@click.option("--port", type=int, default=8866, show_default=True, help="端口 / port.")
@click.option("--pool-size", type=click.IntRange(0), default=None,
              help="预热内核数（每个内核载入整个数据集；默认取配置 dashboard.pool_size）/ "
                   "kernels kept preheated, each holding the dataset in memory (0: start "
                   "one per viewer; default: config dashboard.pool_size).")
@click.option("--base-url", default=None, metavar="/PREFIX/",
              help="URL 前缀（置于代理之后时，如 JupyterHub 服务 /services/dashboard/）/ URL "
                   "prefix when served behind a proxy (e.g. the JupyterHub service "
                   "/services/dashboard/).")
@click.option("--no-browser", is_flag=True, help="不打开浏览器 / do not open a browser.")
def dashboard(dataset: Path, results: Path | None, port: int, pool_size: int | None,
              base_url: str | None, no_browser: bool) -> None:
    """只读监管看板 / Serve the read-only supervisor dashboard with Voilà.

    \b
    Findings are opened read-only (SQLite mode=ro / PostgreSQL read-only sessions).
    Deep link to one enterprise: http://127.0.0.1:PORT/?enterprise=<credit code>
    """
    root = _repo_root()
    if root is None:
        raise click.ClickException("the notebooks are not installed beside this package; run "
                                   "from a source checkout (pip install -e .)")
    from workbench.config import child_environment, load_config

    cfg = load_config()
    if results is None:   # screen once here, not in every preheated kernel
        from workbench.dataset import Dataset
        from workbench.review import cached_results

        click.echo("筛查结果（首次需筛查）/ screening results (screened once when absent) ...")
        results = cached_results(Dataset(dataset), cfg)
    env = child_environment(WORKBENCH_DATASET=str(dataset.resolve()),
                            WORKBENCH_RESULTS=str(results.resolve()))
    click.echo(f"监管看板 / dashboard: http://127.0.0.1:{port}/ (dataset {dataset.resolve()})")
    _echo_database()
    settings = dict(cfg["dashboard"])
    if pool_size is not None:
        settings["pool_size"] = pool_size
    if base_url:
        settings["base_url"] = "/" + base_url.strip("/") + "/"
    cmd = voila_command(root, port, no_browser, settings)
    os.execvpe(cmd[0], cmd, env)  # noqa: S606 - replace this process with Voila


@main.command()
@click.option("--port", type=int, default=8888, show_default=True, help="端口 / port.")
@click.option("--no-browser", is_flag=True, help="不打开浏览器 / do not open a browser.")
@workdir_option
def demo(port: int, no_browser: bool, workdir: Path | None) -> None:
    """生成（或复用）示例数据并打开工作台 / Make or reuse the demo dataset and open JupyterLab."""
    from workbench.samples.generator import generate, write

    root = _repo_root()
    dataset = (root / DEMO_DATASET) if root else Path("workbench-demo")
    if not (dataset / "manifest.json").is_file():
        click.echo(f"生成示例数据 / generating the demo dataset -> {dataset}")
        write(generate("demo", sectors=SECTORS), dataset, "demo", DEFAULT_SEED,
              DEFAULT_PROBLEM_RATE)
    if "WORKBENCH_CONFIG" not in os.environ:
        os.environ["WORKBENCH_CONFIG"] = str(_demo_config((root or Path.cwd()) / "runs" / "demo"))
    _launch_lab(dataset, port, no_browser, workdir)


#: The demo's own config: a demo reviewer for 江苏.  It names no database, so the demo
#: writes to the default findings database, the one `workbench findings` and
#: `workbench dashboard` open without a config of their own.
DEMO_CONFIG = """# Written by `workbench demo`: the demo reviewer may write findings for 江苏.
# The findings database is the default one (general.database_url in defaults.toml).
[general]
reviewer = "demo-reviewer"

[findings]
reviewer_provinces = { "demo-reviewer" = ["江苏"] }
"""


def _demo_config(folder: Path) -> Path:
    """Write (or bring up to date) and return the demo's config file in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "workbench.toml"
    if not path.is_file() or path.read_text(encoding="utf-8") != DEMO_CONFIG:
        path.write_text(DEMO_CONFIG, encoding="utf-8")
    return path


from workbench.cli_investigate import investigate  # noqa: E402 - workbench investigate
from workbench.findings.cli import findings  # noqa: E402 - the findings subcommands
from workbench.findings.db_cli import db  # noqa: E402 - the admin subcommands

main.add_command(db)
main.add_command(findings)
main.add_command(investigate)

if __name__ == "__main__":
    main()
