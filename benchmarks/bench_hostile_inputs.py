"""Hostile inputs to ``workbench import``: exit code, wall time and peak memory of each.

Every case builds its input in a work folder, then runs ``python -m workbench import FILE
--into DATASET --json`` in a child process; the child's peak resident memory comes from
``os.wait4`` (its own ``ru_maxrss``, not the maximum over all children so far).  A case
passes when the import exits with the code it should (0 imported, 1 rows quarantined,
2 refused) and its peak stays under 2 GB.  Figures go to docs/performance.md ("Hostile
inputs").

usage: python benchmarks/bench_hostile_inputs.py [--workdir DIR] [--json] [--only CASE ...]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:          # run as a script from anywhere
    sys.path.insert(0, str(ROOT))
from workbench.creditcode import check_character  # noqa: E402

#: The children import the workbench of this checkout.
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(
    [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}

LIMIT_MB = 2048
N_UNITS = 1000
PERIODS = [f"{y}-{m:02d}" for y in (2023, 2024) for m in range(1, 13)]
#: One valid month of a coal unit in canonical units (as tests/ingest/conftest.py).
COAL_MONTH = {
    "coal_consumption_t": (100000.0, "t"), "ncv_gj_per_t": (21.0, "GJ/t"),
    "carbon_ar_pct": (55.0, "%"), "cc_tc_per_gj": (0.026, "tC/GJ"),
    "oxidation_rate": (0.99, "1"), "generation_mwh": (300000.0, "MWh"),
    "own_use_mwh": (15000.0, "MWh"), "supply_mwh": (285000.0, "MWh"),
    "heat_supply_gj": (0.0, "GJ"), "operating_hours_h": (600.0, "h"),
    "load_factor": (0.75, "1"), "purchased_electricity_mwh": (0.0, "MWh"),
    "co2_t": (200000.0, "t"),
}
MONTHLY_COLUMNS = ["unit_id", "period", "parameter_code", "value", "unit", "source_code",
                   "report_id", "submitted_at"]


def credit_code(n: int) -> str:
    first17 = f"91320100{n:09d}"
    return first17 + check_character(first17)


def enterprises(n: int = 100) -> pd.DataFrame:
    return pd.DataFrame({"enterprise_id": [credit_code(i) for i in range(1, n + 1)],
                         "enterprise_name": [f"示范电厂{i}" for i in range(1, n + 1)],
                         "province": "江苏", "city": "南京", "industry_code": "power",
                         "verifier_name": ""})


def units() -> pd.DataFrame:
    ents = enterprises()["enterprise_id"]
    return pd.DataFrame({"unit_id": [f"U{i:04d}" for i in range(N_UNITS)],
                         "enterprise_id": [ents[i % len(ents)] for i in range(N_UNITS)],
                         "unit_category_code": "coal_gt300", "capacity_mw": "600",
                         "fuel_code": "coal", "is_chp": "false", "cooling_code": "water",
                         "commissioning_year": "2006"})


def monthly_rows(n: int, unit_prefix: str = "U"):
    """``n`` distinct valid monthly rows (unit x period x parameter), as lists of strings."""
    count = 0
    for u in range(N_UNITS):
        for period in PERIODS:
            for code, (value, unit) in COAL_MONTH.items():
                if count == n:
                    return
                year, month = int(period[:4]), int(period[5:])
                nxt = f"{year + month // 12}-{month % 12 + 1:02d}"
                yield [f"{unit_prefix}{u:04d}", period, code, f"{value:g}", unit, "measured",
                       "", f"{nxt}-10 09:30:00"]
                count += 1


def write_xlsx(path: Path, sheet: str, header: list[str], rows, dimension: str | None = None
               ) -> Path:
    """A minimal workbook of one sheet, streamed: inline strings, numbers as numbers."""
    def col(i: int) -> str:
        s = ""
        i += 1
        while i:
            i, r = divmod(i - 1, 26)
            s = chr(65 + r) + s
        return s

    def cell(ref: str, v: str) -> str:
        if re.fullmatch(r"-?\d{1,15}(?:\.\d+)?", v) and not v.startswith("0"):
            return f'<c r="{ref}"><v>{v}</v></c>'
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'

    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.'
            'org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>'),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.'
            'org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '</Relationships>'),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in files.items():
            book.writestr(name, text)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                     b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                     b'2006/main">')
            if dimension:
                fh.write(f'<dimension ref="{dimension}"/>'.encode())
            fh.write(b"<sheetData>")
            for r, row in enumerate([header, *rows], start=1):
                cells = "".join(cell(f"{col(c)}{r}", v) for c, v in enumerate(row))
                fh.write(f'<row r="{r}">{cells}</row>'.encode())
            fh.write(b"</sheetData></worksheet>")
    return path


def sheet_xml_mb(path: Path) -> float:
    with zipfile.ZipFile(path) as book:
        return book.getinfo("xl/worksheets/sheet1.xml").file_size / 1e6


# -- cases ----------------------------------------------------------------------------------
@dataclass
class Case:
    name: str
    what: str
    expect: int
    build: Callable[[Path], Path]
    master: bool = False      # import into a dataset that holds enterprises and units
    note: Callable[[Path], str] | None = None


def _csv(path: Path, frame: pd.DataFrame, encoding: str = "utf-8") -> Path:
    frame.to_csv(path, index=False, encoding=encoding)
    return path


def xlsx_claimed(d: Path) -> Path:
    rows = enterprises(2).astype(str).to_numpy().tolist()
    return write_xlsx(d / "export.xlsx", "enterprises", list(enterprises().columns), rows,
                      dimension="A1:XFD1048576")


def xlsx_300k(d: Path) -> Path:
    return write_xlsx(d / "monthly.xlsx", "monthly_parameters", MONTHLY_COLUMNS,
                      monthly_rows(300_000))


def xlsx_300k_dangling(d: Path) -> Path:
    return write_xlsx(d / "monthly.xlsx", "monthly_parameters", MONTHLY_COLUMNS,
                      monthly_rows(300_000, unit_prefix="X"))


def one_line(d: Path) -> Path:
    path = d / "enterprises.csv"
    with path.open("w", encoding="utf-8") as fh:
        chunk = "备注" * (1 << 19)          # 1 MiB of text (3 MB UTF-8), no line break
        for _ in range(16):
            fh.write(chunk)
        fh.write("x" * (2 << 20))
    return path


def identical(n: int) -> Callable[[Path], Path]:
    def build(d: Path) -> Path:
        row = next(monthly_rows(1))
        return _csv(d / "monthly_parameters.csv", pd.DataFrame([row] * n,
                                                               columns=MONTHLY_COLUMNS))
    return build


def extra_columns(d: Path) -> Path:
    frame = enterprises(2)
    extras = pd.DataFrame({f"extra_{i}": ["x", "x"] for i in range(10_000)})
    return _csv(d / "enterprises.csv", pd.concat([frame, extras], axis=1))


def unterminated(d: Path) -> Path:
    lines = enterprises(1000).to_csv(index=False).splitlines()
    lines[4] += ',"unterminated note'
    path = d / "enterprises.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def stray_quote(d: Path) -> Path:
    lines = enterprises(1000).to_csv(index=False).splitlines()
    lines[44] += '"'                    # line 45: the empty last cell opens a quote ...
    lines[59] += '"'                    # ... closed on line 60
    path = d / "enterprises.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def fifo(d: Path) -> Path:
    path = d / "enterprises.csv"
    os.mkfifo(path)
    return path


def too_large(d: Path) -> Path:
    path = d / "enterprises.csv"
    with path.open("wb") as fh:         # sparse: 600 MB claimed, nothing on disk
        fh.write(b"enterprise_id,enterprise_name,province,city,industry_code\n")
        fh.truncate(600 * 1024 * 1024)
    return path


def mixed(d: Path) -> Path:
    text = enterprises(2000).to_csv(index=False).splitlines(keepends=True)
    path = d / "enterprises.csv"
    path.write_bytes("".join(text[:1000]).encode("gbk") + "".join(text[1000:]).encode())
    return path


CASES = [
    Case("xlsx_claimed_dimension", "XLSX of 2 rows claiming A1:XFD1048576", 0, xlsx_claimed,
         note=lambda p: f"{p.stat().st_size / 1024:.1f} KB file"),
    Case("xlsx_300k_valid", "XLSX, 300,000 valid monthly rows", 0, xlsx_300k, master=True,
         note=lambda p: f"sheet XML {sheet_xml_mb(p):.0f} MB, "
                        f"file {p.stat().st_size / 1e6:.1f} MB"),
    Case("xlsx_300k_quarantined", "XLSX, 300,000 rows, every unit unknown", 1,
         xlsx_300k_dangling, master=True,
         note=lambda p: f"sheet XML {sheet_xml_mb(p):.0f} MB"),
    Case("csv_one_line_50mb", "CSV of one 50 MB line", 2, one_line,
         note=lambda p: f"{p.stat().st_size / 1e6:.0f} MB"),
    Case("identical_5000", "5,000 identical monthly rows", 1, identical(5000), master=True),
    Case("identical_20000", "20,000 identical monthly rows", 1, identical(20000), master=True),
    Case("extra_columns_10000", "10,000 extra columns", 2, extra_columns),
    Case("unterminated_quote", "unterminated quote on line 5 of 1,001", 2, unterminated),
    Case("stray_quote", "quote opened on line 45, closed on line 60", 2, stray_quote),
    Case("fifo", "FIFO (named pipe) nobody writes to", 2, fifo),
    Case("over_size_limit", "600 MB file (limit 500 MB)", 2, too_large),
    Case("mixed_gbk_utf8", "1,000 GBK rows then 1,000 UTF-8 rows", 2, mixed),
]


#: Runs ``workbench`` (argv[2:]) and, on exit, writes the process's VmHWM to argv[1].
#: ``ru_maxrss`` of a child (``wait4``, ``RUSAGE_CHILDREN``) is not used: Linux carries
#: the parent's high-water mark across fork and exec, so every child would seem at least
#: as large as this benchmark process; VmHWM belongs to the memory the child exec'd into.
LAUNCH = """
import atexit, re, runpy, sys
out = sys.argv[1]
def hwm():
    status = open('/proc/self/status').read()
    open(out, 'w').write(re.search(r'VmHWM:\\s+(\\d+) kB', status).group(1))
atexit.register(hwm)
sys.argv = ['workbench', *sys.argv[2:]]
runpy.run_module('workbench', run_name='__main__', alter_sys=True)
"""


def run_import(source: Path, dataset: Path, log: Path) -> dict:
    """``workbench import`` in a child process: exit code, seconds, child's peak RSS (MB)."""
    hwm = log.with_suffix(".hwm")
    started = time.perf_counter()
    with log.open("w") as out:
        child = subprocess.Popen([sys.executable, "-c", LAUNCH, str(hwm), "import",
                                  str(source), "--into", str(dataset), "--json"], stdout=out,
                                 stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=ENV)
        child.wait()
    seconds = time.perf_counter() - started
    try:
        report = json.loads(log.read_text())
    except ValueError:
        report = {}
    tables = report.get("tables", {})
    peak = int(hwm.read_text()) / 1024 if hwm.exists() else float("nan")
    return {"exit": child.returncode, "seconds": seconds, "peak_rss_mb": peak,
            "read": sum(t["read"] for t in tables.values()),
            "imported": sum(t["imported"] for t in tables.values()),
            "quarantined": sum(t["quarantined"] for t in tables.values()),
            "error": (report.get("errors") or [{}])[0].get("message_en", "")[:90]}


def master_dataset(work: Path) -> Path:
    """A dataset with the enterprises and units the monthly cases refer to (built once)."""
    ds = work / "master"
    if not ds.exists():
        src = work / "master_src"
        src.mkdir()
        files = [_csv(src / "enterprises.csv", enterprises()), _csv(src / "units.csv", units())]
        done = subprocess.run([sys.executable, "-m", "workbench", "import", *map(str, files),
                               "--into", str(ds)], capture_output=True, text=True, env=ENV)
        assert done.returncode == 0, done.stdout + done.stderr
    return ds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--json", action="store_true", help="print the results as JSON too")
    parser.add_argument("--only", nargs="*", help="run only these cases")
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-hostile-"))
    work.mkdir(parents=True, exist_ok=True)
    results = []
    print(f"# {platform.node()}: {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print("| case | input | exit (expected) | wall s | peak RSS MB | read / imported / "
          "quarantined | note |")
    print("|---|---|---|---|---|---|---|")
    for case in CASES:
        if args.only and case.name not in args.only:
            continue
        d = work / case.name
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir()
        source = case.build(d)
        dataset = d / "ds"
        if case.master:
            shutil.copytree(master_dataset(work), dataset)
        r = run_import(source, dataset, d / "report.json")
        r.update(case=case.name, expected=case.expect,
                 note=case.note(source) if case.note else "",
                 ok=r["exit"] == case.expect and r["peak_rss_mb"] < LIMIT_MB)  # NaN fails
        results.append(r)
        counts = f"{r['read']:,} / {r['imported']:,} / {r['quarantined']:,}" if r["read"] else "-"
        note = "; ".join(x for x in (r["note"], r["error"]) if x)
        print(f"| {case.name} | {case.what} | {r['exit']} ({case.expect}) | {r['seconds']:.1f} "
              f"| {r['peak_rss_mb']:,.0f} | {counts} | {note} |", flush=True)
        if case.name == "fifo":
            source.unlink()
    worst = max((r["peak_rss_mb"] for r in results), default=0)
    failed = [r["case"] for r in results if not r["ok"]]
    print(f"\nhighest peak RSS {worst:,.0f} MB (limit {LIMIT_MB:,} MB); "
          f"{'all cases as expected' if not failed else 'FAILED: ' + ', '.join(failed)}")
    if args.json:
        print(json.dumps(results, indent=1))
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
