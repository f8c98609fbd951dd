import os
import sys

# `python -m gates` puts the current folder (the repository under check) first on sys.path, so a
# `yaml.py` or `rich/` committed there would be imported in place of the real package and run
# inside the gate. Drop it: nothing of the repository is ever imported. (`python -P -m gates`
# and the `gate` script never add it.)
if (
    not sys.flags.safe_path
    and sys.path
    and sys.path[0]
    and os.path.realpath(sys.path[0]) == os.path.realpath(os.getcwd())
):
    del sys.path[0]

from gates.cli import main

raise SystemExit(main())
