"""Documentation is part of the product: every import column and every command is documented."""

from __future__ import annotations

from pathlib import Path

import click

from advocacy.cli.app import cli
from advocacy.importers.formats import KINDS

ROOT = Path(__file__).resolve().parents[2]


def test_every_column_of_every_import_kind_is_in_the_import_formats_document() -> None:
    document = (ROOT / "docs" / "import-formats.md").read_text(encoding="utf-8")

    for kind in KINDS.values():
        section = document.split(f"## {kind.name}\n", 1)[1].split("\n## ", 1)[0]
        for column in kind.columns:
            marker = f"| `{column.name}`{'*' if column.required else ''} |"
            assert marker in section, f"{kind.name}.{column.name} is not documented"


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found += _commands(command, f"{prefix}{name} ")
    return found


def test_every_command_explains_itself_in_its_help() -> None:
    for name, command in _commands(cli):
        assert command.help, f"`advocacy {name}` has no help text"


# Commands that print no document: `serve` runs the web server until it is stopped.
NO_DOCUMENT = {"serve"}


def test_every_command_that_reads_the_database_takes_db_and_json() -> None:
    for name, command in _commands(cli):
        if isinstance(command, click.Group):
            continue
        options = {option for param in command.params for option in getattr(param, "opts", [])}
        assert "--db" in options, f"`advocacy {name}` lacks --db"
        if name not in NO_DOCUMENT:
            assert "--json" in options, f"`advocacy {name}` lacks --json"


def test_the_readme_gives_the_two_set_up_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")

    assert "make demo" in readme
    assert "make test" in readme
