"""`python -m labournet` runs the command-line interface."""

from labournet.cli import main

main()
