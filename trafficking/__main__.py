"""``python -m trafficking export …``: regenerate a chart's figure or data from the database."""

from trafficking.cli import main

raise SystemExit(main())
