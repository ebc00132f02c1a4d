"""``python -m advocacy``: the same as the ``advocacy`` command."""

from advocacy.cli import main

if __name__ == "__main__":
    main()
