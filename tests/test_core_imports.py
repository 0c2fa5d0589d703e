"""The analysis core imports and runs without any UI package."""

import pkgutil
import subprocess
import sys

import workbench

UI_MODULES = ("ipywidgets", "IPython", "voila", "plotly.graph_objs._figurewidget", "anywidget",
              "jupyterlab")


def test_every_workbench_module_imports_without_ui_packages():
    modules = [m.name for m in pkgutil.walk_packages(workbench.__path__, "workbench.")
               if not m.name.endswith("__main__")]
    assert "workbench.cli" in modules and "workbench.samples.generator" in modules
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"loaded = [u for u in {UI_MODULES!r} if u in sys.modules]\n"
        "assert not loaded, loaded\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
