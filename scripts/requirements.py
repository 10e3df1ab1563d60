"""Print the dependencies listed in pyproject.toml (the one place they are declared), for pip -r.

`--dev` adds the test and lint tools; `--extra NAME` (repeatable) adds an optional group such as `sentry`."""

import sys
import tomllib
from pathlib import Path

project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())["project"]
optional = project["optional-dependencies"]
deps = list(project["dependencies"])
args = sys.argv[1:]
if "--dev" in args:
    deps += optional["dev"]
for i, arg in enumerate(args):
    if arg == "--extra":
        if i + 1 >= len(args) or args[i + 1] not in optional:
            sys.exit(f"--extra needs one of: {', '.join(sorted(optional))}")
        deps += optional[args[i + 1]]
print("\n".join(deps))
