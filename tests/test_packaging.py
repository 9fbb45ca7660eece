"""`pip install .` gives the commands: a wheel built from pyproject.toml, installed into a
fresh virtual environment, has both packages, the briefing template, the pinned dependencies
of requirements.txt and working `trafficking-etl` and `trafficking-export` commands."""

from __future__ import annotations

import importlib.metadata
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _builds_offline() -> bool:
    """Whether this environment's setuptools can build a wheel with no download: from 70.1 it
    writes wheels itself; before that it needs the ``wheel`` package."""
    try:
        version = importlib.metadata.version("setuptools")
    except importlib.metadata.PackageNotFoundError:
        return False
    major, minor = (int(p) for p in re.findall(r"\d+", version)[:2])
    if (major, minor) >= (70, 1):
        return True
    try:
        importlib.metadata.version("wheel")
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def _pip(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Built from a copy: an in-tree build would leave build/ and *.egg-info in the clone.
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "requirements.txt", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    for package in ("etl", "trafficking"):
        shutil.copytree(ROOT / package, src / package,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    dist = tmp_path_factory.mktemp("dist")
    # Without a wheel-capable setuptools here, pip fetches one from PyPI into an isolated
    # build environment (the only network CI allows).
    flags = ["--no-build-isolation"] if _builds_offline() else []
    done = _pip("wheel", "--no-deps", *flags, "-w", str(dist), str(src), cwd=src)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    wheels = list(dist.glob("trafficking_dashboard-0.1.0-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_wheel_holds_packages_template_and_pinned_dependencies(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        meta = Parser().parsestr(zf.read("trafficking_dashboard-0.1.0.dist-info/METADATA")
                                 .decode())
        entry_points = zf.read("trafficking_dashboard-0.1.0.dist-info/entry_points.txt").decode()
    for module in ("etl/cli.py", "etl/sources/__init__.py", "etl/preference/__init__.py",
                   "trafficking/cli.py", "trafficking/present/briefing.py",
                   "trafficking/queries/__init__.py", "trafficking/charts/__init__.py",
                   "trafficking/present/templates/briefing.html"):
        assert module in names, module
    assert not [n for n in names if n.startswith(("tests/", "bench/", "deploy/", "app_pages/"))]
    pinned = [line.split("#")[0].strip() for line in (ROOT / "requirements.txt").read_text()
              .splitlines() if line.split("#")[0].strip()]
    assert sorted(meta.get_all("Requires-Dist")) == sorted(pinned)
    assert "jinja2==3.1.6" in pinned and "kaleido==1.5.0" in pinned
    assert meta["Requires-Python"] == ">=3.11"
    assert "trafficking-etl = etl.cli:main" in entry_points
    assert "trafficking-export = trafficking.cli:export_main" in entry_points


def test_installed_commands_run(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True,
                   timeout=120)
    py = venv / "bin" / "python"
    done = _pip("--python", str(py), "install", "--no-deps", "--no-index", str(wheel),
                cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    # The dependencies are this environment's (installing them again would need the network).
    purelib = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()"
                              "['purelib'])"], capture_output=True, text=True, check=True)
    Path(purelib.stdout.strip(), "_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    run = tmp_path / "elsewhere"  # not the clone: the packages must come from the install
    run.mkdir()
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path)}
    etl = subprocess.run([str(venv / "bin" / "trafficking-etl"), "--help"], cwd=run, env=env,
                         capture_output=True, text=True, timeout=120)
    assert etl.returncode == 0, etl.stderr
    assert "refresh" in etl.stdout and "rollback" in etl.stdout
    export = subprocess.run([str(venv / "bin" / "trafficking-export"), "--help"], cwd=run,
                            env=env, capture_output=True, text=True, timeout=120)
    assert export.returncode == 0, export.stderr
    assert "--chart" in export.stdout and "--pack" in export.stdout
    where = subprocess.run(
        [str(py), "-c", "import etl.cli, trafficking.present.briefing as b; print(etl.cli.__file__);"
         " print(b._TEMPLATES.get_template('briefing.html').filename)"],
        cwd=run, env=env, capture_output=True, text=True, timeout=120)
    assert where.returncode == 0, where.stderr
    files = where.stdout.split()
    assert all(f.startswith(str(venv)) for f in files), files
    assert files[1].endswith("trafficking/present/templates/briefing.html")
