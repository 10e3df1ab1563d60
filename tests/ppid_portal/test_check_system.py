"""`make setup`/`make run` check WeasyPrint's system libraries and name the Debian packages when they are missing."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Loading WeasyPrint on a machine without Pango fails with OSError (cffi's dlopen): simulate that.
NO_PANGO = """
import sys
class NoPango:
    def find_spec(self, name, path=None, target=None):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0': No such file or directory")
sys.meta_path.insert(0, NoPango())
import runpy
runpy.run_path("scripts/check_system.py", run_name="__main__")
"""


def _check(code=None) -> subprocess.CompletedProcess:
    args = [sys.executable, "-c", code] if code else [sys.executable, "scripts/check_system.py"]
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_passes_where_weasyprint_loads():
    result = _check()
    assert (result.returncode, result.stderr) == (0, "")


def test_names_the_debian_packages_when_pango_is_missing():
    result = _check(NO_PANGO)
    assert result.returncode == 1
    assert "libpango-1.0-0" in result.stderr
    assert "apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0" in result.stderr


@pytest.mark.parametrize("packages", ["DEBIAN_PACKAGES", "OCR_PACKAGES"])
def test_the_dockerfile_installs_the_packages_the_check_names(packages):
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import check_system
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert [p for p in getattr(check_system, packages).split() if p not in dockerfile] == []


def test_warns_but_passes_when_ocr_is_missing(tmp_path):
    """Without OCRmyPDF the portal still runs (a scan's OCR fails with that reason): a warning naming the packages."""
    import os

    python = tmp_path / "python3"
    python.symlink_to(sys.executable)
    env = {**os.environ, "PATH": str(tmp_path)}  # no ocrmypdf, no tesseract on this PATH
    result = subprocess.run([sys.executable, "scripts/check_system.py"], cwd=ROOT, capture_output=True, text=True,
                            timeout=60, env=env)
    assert result.returncode == 0
    assert "OCRmyPDF or Tesseract is missing" in result.stderr
    assert "apt-get install -y tesseract-ocr tesseract-ocr-ind tesseract-ocr-eng ocrmypdf" in result.stderr
