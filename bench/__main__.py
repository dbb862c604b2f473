"""``python -m bench``: run every benchmark and rewrite bench/results/."""

from __future__ import annotations

from bench import sandbox


def main() -> None:
    sandbox.main()


if __name__ == "__main__":
    main()
