"""Allow `python -m ncnd_assistant`."""

from ncnd_assistant.cli import main

main()
