"""``python -m api.cli …``: the same as ``tieuchuan …``."""

from api.cli import main

main(prog_name="tieuchuan")
