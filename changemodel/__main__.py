"""``python -m changemodel``: the command line."""

from changemodel.cli import main

if __name__ == "__main__":
    main()
